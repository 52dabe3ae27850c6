"""Forms of the marketplace; the rules they repeat for the user's sake are enforced by the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingxiang.core.forms import PlainTextAreaField, PlainTextField, StyledFormMixin
from jingxiang.core.timerules import TimeRulesFormMixin
from jingxiang.organisations.models import Organisation, OrganisationSize
from jingxiang.services import rules
from jingxiang.services.models import FollowUp, ServiceCategory, Voucher
from jingxiang.sharing.forms import DateInput, TimeInput


class ServiceForm(StyledFormMixin, forms.Form):
    title = PlainTextField(label=_("服务名称"), max_length=100)
    category = forms.ChoiceField(label=_("服务类别"), choices=ServiceCategory.choices)
    description = PlainTextAreaField(label=_("服务说明"), max_length=4000)
    price = forms.DecimalField(
        label=_("价格(元)"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("留空表示按需报价。"),
    )
    lead_time_days = forms.IntegerField(label=_("周期(天)"), min_value=1, max_value=365)
    deliverables = PlainTextField(label=_("交付成果"), max_length=300)


class OrderRequestForm(StyledFormMixin, forms.Form):
    firm = forms.ModelChoiceField(label=_("委托企业"), queryset=Organisation.objects.none(), empty_label=None)
    brief = PlainTextAreaField(label=_("需求说明"), max_length=4000)

    def __init__(self, *args: Any, firms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField[Any], self.fields["firm"]).queryset = firms


class QuoteForm(StyledFormMixin, forms.Form):
    price = forms.DecimalField(
        label=_("报价(元)"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    note = PlainTextField(label=_("报价说明"), max_length=300, required=False)


class VoucherChoiceField(forms.ModelChoiceField[Voucher]):
    def label_from_instance(self, obj: Voucher) -> str:
        return f"{obj.number} · {obj.programme.name}({obj.programme.share}%)"


class PlaceForm(StyledFormMixin, forms.Form):
    voucher = VoucherChoiceField(
        label=_("使用创新券"), queryset=Voucher.objects.none(), required=False, empty_label=_("不使用创新券")
    )

    def __init__(self, *args: Any, vouchers: list[Voucher], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField[Any], self.fields["voucher"])
        field.queryset = Voucher.objects.filter(pk__in=[v.pk for v in vouchers]).select_related("programme")


class MilestoneForm(StyledFormMixin, forms.Form):
    title = PlainTextField(label=_("节点"), max_length=100)
    due_date = forms.DateField(label=_("计划日期"), widget=DateInput())
    note = PlainTextField(label=_("说明"), max_length=300, required=False)


class DisputeForm(StyledFormMixin, forms.Form):
    reason = PlainTextField(label=_("异议理由"), max_length=300)


class RateForm(StyledFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("评分"), coerce=int, choices=[(n, str(n)) for n in range(5, 0, -1)]
    )
    note = PlainTextField(label=_("评价"), max_length=300, required=False)


class ProgrammeForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = rules.PROGRAMME_RULES

    name = PlainTextField(label=_("项目名称"), max_length=100)
    eligible_sizes = forms.MultipleChoiceField(
        label=_("适用企业规模"), choices=OrganisationSize.choices, widget=forms.CheckboxSelectMultiple
    )
    eligible_regions = PlainTextField(
        label=_("适用区域"),
        max_length=300,
        required=False,
        help_text=_("用顿号或逗号分隔;留空表示不限区域。"),
    )
    categories = forms.MultipleChoiceField(
        label=_("适用服务类别"), choices=ServiceCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    share = forms.DecimalField(
        label=_("抵扣比例(%)"),
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
    )
    cap_per_firm_year = forms.DecimalField(
        label=_("每家企业每年上限(元)"), min_value=Decimal("0"), max_digits=12, decimal_places=2
    )
    budget = forms.DecimalField(
        label=_("总预算(元)"), min_value=Decimal("0"), max_digits=14, decimal_places=2
    )
    valid_from = forms.DateField(label=_("生效日期"), widget=DateInput())
    valid_to = forms.DateField(label=_("失效日期"), widget=DateInput())

    def clean_eligible_regions(self) -> list[str]:
        text = self.cleaned_data["eligible_regions"].replace(",", ",").replace("、", ",")
        return [part.strip() for part in text.split(",") if part.strip()]


class VoucherApplyForm(StyledFormMixin, forms.Form):
    firm = forms.ModelChoiceField(label=_("企业"), queryset=Organisation.objects.none(), empty_label=None)
    purpose = PlainTextField(label=_("用途"), max_length=300)

    def __init__(self, *args: Any, firms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField[Any], self.fields["firm"]).queryset = firms


class DecideForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("批准")), ("reject", _("不批准"))])
    note = PlainTextField(label=_("审批意见"), max_length=300, required=False)


class ConsultationForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = rules.CONSULTATION_RULES
    time_rule_fields = {"starts_at": "start_time"}

    firm = forms.ModelChoiceField(label=_("企业"), queryset=Organisation.objects.none(), empty_label=None)
    date = forms.DateField(label=_("日期"), widget=DateInput())
    start_time = forms.TimeField(label=_("开始时间"), widget=TimeInput(), help_text=_("咨询时长 1 小时。"))
    topic = PlainTextField(label=_("咨询问题"), max_length=200)

    def __init__(self, *args: Any, firms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField[Any], self.fields["firm"]).queryset = firms

    def time_rule_values(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        day, start = cleaned.get("date"), cleaned.get("start_time")
        if day and start:
            cleaned["starts_at"] = dt.datetime.combine(day, start, tzinfo=timezone.get_current_timezone())
        return cleaned


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", _("确认")), ("decline", _("婉拒"))])


class RecordForm(StyledFormMixin, forms.Form):
    advice = PlainTextAreaField(label=_("咨询意见"), max_length=4000)
    follow_up = forms.ChoiceField(label=_("后续"), choices=FollowUp.choices)
