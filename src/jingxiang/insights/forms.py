"""The period and dimension filter of the dashboards, and the operators' small forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingxiang.core.forms import PlainTextField, StyledFormMixin
from jingxiang.insights.definitions import indicators
from jingxiang.insights.selectors import Period, month_start
from jingxiang.organisations.models import OrganisationSize

MONTH_INPUT = forms.DateInput(format="%Y-%m", attrs={"type": "month"})


class MonthField(forms.DateField):
    """A month typed as 2026-03 (the browser's month picker) or a full date."""

    input_formats = ["%Y-%m", "%Y-%m-%d"]
    widget = MONTH_INPUT

    def to_python(self, value: Any) -> dt.date | None:
        day = super().to_python(value)
        return month_start(day) if day else None


class PeriodForm(StyledFormMixin, forms.Form):
    first = MonthField(label=_("起始月份"), required=False)
    last = MonthField(label=_("截止月份"), required=False)
    region = forms.ChoiceField(label=_("区域"), required=False)
    size = forms.ChoiceField(
        label=_("企业规模"), required=False, choices=[("", _("全部")), *OrganisationSize.choices]
    )

    def __init__(self, *args: Any, regions: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region: Any = self.fields["region"]
        region.choices = [("", _("全部")), *[(r, r) for r in regions or []]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        this_month = month_start(timezone.localdate())
        first, last = data.get("first"), data.get("last")
        last = last or this_month
        first = first or last.replace(month=1)
        if last > this_month:
            self.add_error("last", _("截止月份不能晚于本月:未来的月份还没有记录。"))
        if first > this_month:
            self.add_error("first", _("起始月份不能晚于本月。"))
        if first > last:
            self.add_error("first", _("起始月份不能晚于截止月份。"))
        if (last.year - first.year) * 12 + last.month - first.month >= 60:
            self.add_error("first", _("一次最多查看 60 个月。"))
        data["first"], data["last"] = first, last
        return data

    def period(self) -> Period:
        return Period(self.cleaned_data["first"], self.cleaned_data["last"])


class SnapshotForm(StyledFormMixin, forms.Form):
    month = MonthField(label=_("月份"))
    reason = PlainTextField(
        label=_("原因"),
        required=False,
        max_length=300,
        help_text=_("重新计算已冻结的月份时必填,会记入审计。"),
    )


class TargetForm(StyledFormMixin, forms.Form):
    indicator = forms.ChoiceField(label=_("指标"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    value = forms.DecimalField(label=_("目标值"), max_digits=16, decimal_places=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["indicator"]
        field.choices = [(i.code, f"{i.name}({i.unit_label})") for i in indicators().values()]


class ReportForm(StyledFormMixin, forms.Form):
    month = MonthField(label=_("月份"))
