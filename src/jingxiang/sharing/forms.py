from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jingxiang.conversations.forms import note_field
from jingxiang.core.forms import PlainTextAreaField, PlainTextField, StyledFormMixin
from jingxiang.core.pickers import PickerMultipleField
from jingxiang.core.timerules import TimeRulesFormMixin
from jingxiang.organisations.models import Organisation, OrganisationSize
from jingxiang.sharing import rules
from jingxiang.sharing.models import Booking, ServiceMode, SharingProfile
from jingxiang.talents.models import Skill


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


# Calendar lines are typed as "周一 09:00-17:00" (or "Mon 09:00-17:00" in the English interface).
ZH_WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = {
    token.lower(): index for tokens in (ZH_WEEKDAYS, EN_WEEKDAYS) for index, token in enumerate(tokens)
}
WINDOW_LINE = re.compile(r"^(\S+)\s+(\d{1,2}:\d{2})\s*[-–~至]\s*(\d{1,2}:\d{2})$")


def weekday_tokens() -> tuple[str, ...]:
    return EN_WEEKDAYS if (get_language() or "").startswith("en") else ZH_WEEKDAYS


EXCEPTION_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(.*)$")


def windows_as_text(profile: SharingProfile) -> str:
    tokens = weekday_tokens()
    return "\n".join(
        f"{tokens[w.weekday]} {w.start_time:%H:%M}-{w.end_time:%H:%M}" for w in profile.windows.all()
    )


def exceptions_as_text(profile: SharingProfile) -> str:
    return "\n".join(f"{e.date:%Y-%m-%d} {e.note}".strip() for e in profile.exceptions.all())


def profile_initial(talent: Any, profile: SharingProfile | None) -> dict[str, Any]:
    """The profile form as saved, or a first proposal (office hours on weekdays) before there is one."""
    if profile is None:
        return {
            "offers_onsite": True,
            "offers_remote": True,
            "offers_consultation": talent.think_tank,
            "windows": "\n".join(f"{label} 09:00-17:00" for label in weekday_tokens()[:5]),
        }
    return {
        "offers_onsite": profile.offers_onsite,
        "offers_remote": profile.offers_remote,
        "offers_consultation": profile.offers_consultation,
        "labour_contract_end": profile.labour_contract_end,
        "conflict_firms": list(profile.conflict_firms.all()),
        "windows": windows_as_text(profile),
        "exceptions": exceptions_as_text(profile),
        "note": profile.note,
    }


class SharingProfileForm(StyledFormMixin, forms.Form):
    offers_onsite = forms.BooleanField(label=_("可驻厂服务"), required=False)
    offers_remote = forms.BooleanField(label=_("可远程服务"), required=False)
    offers_consultation = forms.BooleanField(label=_("可智库咨询"), required=False)
    labour_contract_end = forms.DateField(
        label=_("劳动合同到期日"),
        required=False,
        widget=DateInput(),
        help_text=_("有原用人单位时填写;共享期限不得超过劳动合同剩余期限"),
    )
    conflict_firms = PickerMultipleField(
        label=_("回避企业(利益冲突/竞业限制)"),
        source="organisations.firms",
        queryset=Organisation.objects.none(),
        required=False,
    )
    windows = PlainTextAreaField(
        label=_("每周可用时段"),
        required=False,
        help_text=_("每行一个时段,如:周一 09:00-17:00"),
    )
    exceptions = PlainTextAreaField(
        label=_("不可用日期"),
        required=False,
        help_text=_("每行一个日期,可加原因,如:2026-12-01 出差"),
    )
    note = PlainTextField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["conflict_firms"].queryset = Organisation.objects.approved().firms()

    def clean_windows(self) -> list[tuple[int, dt.time, dt.time]]:
        parsed = []
        for number, raw in enumerate(self.cleaned_data["windows"].splitlines(), start=1):
            line = raw.strip()
            if not line:
                continue
            match = WINDOW_LINE.match(line)
            try:
                if match is None or match.group(1).lower() not in WEEKDAY_NAMES:
                    raise ValueError
                start = dt.time.fromisoformat(match.group(2).zfill(5))
                end = dt.time.fromisoformat(match.group(3).zfill(5))
            except ValueError:
                raise forms.ValidationError(
                    _("第 %(n)s 行格式不对,应为“周一 09:00-17:00”。") % {"n": number}
                ) from None
            if end <= start:
                raise forms.ValidationError(_("第 %(n)s 行:结束时间必须晚于开始时间。") % {"n": number})
            parsed.append((WEEKDAY_NAMES[match.group(1).lower()], start, end))
        return parsed

    def clean_exceptions(self) -> list[tuple[dt.date, str]]:
        parsed = []
        for number, raw in enumerate(self.cleaned_data["exceptions"].splitlines(), start=1):
            line = raw.strip()
            if not line:
                continue
            match = EXCEPTION_LINE.match(line)
            try:
                if match is None:
                    raise ValueError
                day = dt.date.fromisoformat(match.group(1))
            except ValueError:
                raise forms.ValidationError(
                    _("第 %(n)s 行格式不对,应为“2026-12-01 原因”。") % {"n": number}
                ) from None
            parsed.append((day, match.group(2).strip()[:100]))
        return parsed


class RequestForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = rules.REQUEST_RULES

    firm = forms.ModelChoiceField(label=_("需求企业"), queryset=Organisation.objects.none(), empty_label=None)
    title = PlainTextField(label=_("需求标题"), max_length=100)
    problem = PlainTextAreaField(label=_("问题描述"), max_length=3000)
    skills = PickerMultipleField(
        label=_("所需技能"),
        source="talents.skills",
        queryset=Skill.objects.filter(is_active=True).select_related("domain"),
        required=False,
    )
    hours_needed = forms.IntegerField(label=_("每月需要小时"), min_value=1, max_value=400)
    period_start = forms.DateField(label=_("开始日期"), widget=DateInput())
    period_end = forms.DateField(label=_("结束日期"), widget=DateInput())
    mode = forms.ChoiceField(label=_("服务方式"), choices=ServiceMode.choices)
    budget = forms.DecimalField(label=_("预算(元)"), min_value=Decimal("0"), max_digits=12, decimal_places=2)

    def __init__(self, *args: Any, firm_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["firm"].queryset = Organisation.objects.filter(pk__in=firm_ids)


class InviteForm(forms.Form):
    talents = forms.ModelMultipleChoiceField(
        label=_("邀请人才"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一位人才。")},
    )
    note = note_field()

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["talents"].queryset = queryset


class RespondForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("回复"), choices=[("accept", _("接受")), ("decline", _("婉拒"))], widget=forms.RadioSelect
    )
    reason = PlainTextField(label=_("说明(婉拒时必填)"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not cleaned.get("reason"):
            self.add_error("reason", _("婉拒邀请时请写明原因,便于驿站重新匹配。"))
        return cleaned


class AgreementForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    """The terms of a new agreement, or of an amendment (``kept_start``: the running version's start)."""

    time_rules = rules.agreement_rules()

    period_start = forms.DateField(label=_("开始日期"), widget=DateInput())
    period_end = forms.DateField(label=_("结束日期"), widget=DateInput())
    monthly_hour_cap = forms.IntegerField(label=_("每月工时上限"), min_value=1, max_value=400)
    mode = forms.ChoiceField(label=_("服务方式"), choices=ServiceMode.choices)
    hourly_rate = forms.DecimalField(
        label=_("服务费率(元/小时)"), min_value=Decimal("0"), max_digits=10, decimal_places=2
    )
    tasks = PlainTextAreaField(label=_("工作内容"), max_length=3000)
    confidentiality = PlainTextAreaField(
        label=_("保密与知识产权条款"), max_length=3000, required=False, help_text=_("留空则使用平台标准条款")
    )
    supplementary_insurance = PlainTextField(
        label=_("补充商业保险(可选)"), max_length=200, required=False, help_text=_("如:某保险公司雇主责任险")
    )

    def __init__(self, *args: Any, kept_start: dt.date | None = None, **kwargs: Any) -> None:
        self.kept_start = kept_start
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        start = self.cleaned_data.get("period_start")
        self.time_rules = rules.agreement_rules(
            start_moved=self.kept_start is None or start != self.kept_start
        )
        return super().clean()


def agreement_initial(invitation: Any) -> dict[str, Any]:
    """A draft agreement proposes the request's period and mode, and the talent's rate and hours."""
    req, talent = invitation.request, invitation.talent
    cap = min(req.hours_needed, talent.monthly_hours) if talent.monthly_hours else req.hours_needed
    return {
        "period_start": req.period_start,
        "period_end": req.period_end,
        "monthly_hour_cap": cap,
        "mode": req.mode,
        "hourly_rate": talent.hourly_rate,
        "tasks": req.problem,
    }


class SignForm(forms.Form):
    party = forms.CharField(widget=forms.HiddenInput)
    consent = forms.BooleanField(label=_("本人知情并同意参加共享用工"), required=False)


SLOT_VALUE = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/(\d{2}:\d{2})$")


def parse_slot(value: str) -> tuple[dt.date, dt.time, dt.time] | None:
    """A slot button's value (``2026-12-04T09:00/11:00``, selectors.FreeSlot.value) as day and times."""
    match = SLOT_VALUE.match(value.strip())
    if not match:
        return None
    try:
        return (
            dt.date.fromisoformat(match[1]),
            dt.time.fromisoformat(match[2]),
            dt.time.fromisoformat(match[3]),
        )
    except ValueError:
        return None


class BookingForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    """A booking: a free slot picked from the talent's calendar (the ``slot`` button), or, as a
    fallback, a day and two times typed in."""

    time_rules = rules.BOOKING_RULES
    # The rules speak of the booking's moments; the form has a day and two times of day.
    time_rule_fields = {"starts_at": "start_time", "ends_at": "end_time"}

    note = PlainTextField(label=_("安排说明"), max_length=200, required=False)
    slot = forms.CharField(required=False, widget=forms.HiddenInput)
    date = forms.DateField(label=_("日期"), widget=DateInput(), required=False)
    start_time = forms.TimeField(
        label=pgettext_lazy("booking form", "开始时间"), widget=TimeInput(), required=False
    )
    end_time = forms.TimeField(
        label=pgettext_lazy("booking form", "结束时间"), widget=TimeInput(), required=False
    )

    TYPED = ("date", "start_time", "end_time")

    def typed_fields(self) -> list[Any]:
        return [self[name] for name in self.TYPED]

    def other_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name not in (*self.TYPED, "slot")]

    def clean(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        slot = cleaned.get("slot")
        if slot:
            parsed = parse_slot(slot)
            if parsed is None:
                self.add_error(None, _("所选时段无效,请重新点选空闲时段。"))
            else:
                cleaned["date"], cleaned["start_time"], cleaned["end_time"] = parsed
        else:
            for name in self.TYPED:
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, _("请点选一个空闲时段,或填写日期和开始、结束时间。"))
        return super().clean()

    def time_rule_values(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        """The booking's start and end moments, also kept in ``cleaned_data`` for the service."""
        day, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            tz = timezone.get_current_timezone()
            cleaned["starts_at"] = dt.datetime.combine(day, start, tzinfo=tz)
            cleaned["ends_at"] = dt.datetime.combine(day, end, tzinfo=tz)
        return cleaned


class TimesheetForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = rules.TIMESHEET_RULES

    hours = forms.DecimalField(
        label=_("工时(小时)"), min_value=Decimal("0.25"), max_digits=6, decimal_places=2
    )
    description = PlainTextAreaField(label=_("工作内容"), max_length=2000)

    def __init__(self, *args: Any, booking: Booking, **kwargs: Any) -> None:
        self.booking = booking
        super().__init__(*args, **kwargs)

    def time_rule_values(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        return rules.timesheet_moments(self.booking)


PICK_DECISION = {"required": _("请选择确认或提出异议。"), "invalid_choice": _("请选择确认或提出异议。")}


class ReviewForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("审核"),
        choices=[("approve", _("确认")), ("dispute", _("提出异议"))],
        widget=forms.RadioSelect,
        error_messages=PICK_DECISION,
    )
    reason = PlainTextField(label=_("异议理由"), max_length=300, required=False)


FILL_RESOLUTION = {"required": _("请填写裁定工时和裁定意见。"), "invalid": _("请填写裁定工时和裁定意见。")}


class ResolveForm(StyledFormMixin, forms.Form):
    approved_hours = forms.DecimalField(
        label=_("裁定工时"),
        min_value=Decimal("0"),
        max_digits=6,
        decimal_places=2,
        error_messages=FILL_RESOLUTION,
    )
    note = PlainTextField(label=_("裁定意见"), max_length=300, error_messages=FILL_RESOLUTION)


class GenerateForm(StyledFormMixin, forms.Form):
    month = forms.RegexField(
        label=_("结算月份"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        widget=forms.TextInput(attrs={"type": "month"}),
        error_messages={"invalid": _("请按“2026-06”的格式填写月份。")},
    )

    def clean_month(self) -> dt.date:
        year, month = self.cleaned_data["month"].split("-")
        return dt.date(int(year), int(month), 1)


class AdjustForm(StyledFormMixin, forms.Form):
    hours = forms.DecimalField(label=_("调整工时(可为负)"), max_digits=8, decimal_places=2, initial=0)
    amount = forms.DecimalField(label=_("调整金额(元,可为负)"), max_digits=12, decimal_places=2)
    reason = PlainTextField(label=_("调整原因"), max_length=300)


class SubsidyPolicyForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = rules.SUBSIDY_RULES

    name = PlainTextField(label=_("政策名称"), max_length=100)
    percentage = forms.DecimalField(
        label=_("补贴比例(%)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
    )
    eligible_sizes = forms.MultipleChoiceField(
        label=_("适用企业规模"), choices=OrganisationSize.choices, widget=forms.CheckboxSelectMultiple
    )
    cap_per_firm_year = forms.DecimalField(
        label=_("每家企业每年上限(元)"), min_value=Decimal("0"), max_digits=12, decimal_places=2
    )
    annual_budget = forms.DecimalField(
        label=_("年度预算(元)"), min_value=Decimal("0"), max_digits=14, decimal_places=2
    )
    valid_from = forms.DateField(label=_("生效日期"), widget=DateInput())
    valid_to = forms.DateField(label=_("失效日期"), widget=DateInput())


class OutcomeForm(StyledFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("评分"), coerce=int, choices=[(n, f"{n} ★") for n in range(5, 0, -1)]
    )
    problem_solved = forms.BooleanField(label=_("问题已解决"), required=False)
    patent_number = PlainTextField(
        label=_("专利申请号"), max_length=40, required=False, help_text=_("如:CN202510123456.7")
    )
    cost_saved = forms.DecimalField(
        label=_("节约成本(元)"), min_value=Decimal("0"), max_digits=12, decimal_places=2, required=False
    )
    products_improved = PlainTextField(label=_("改进的产品"), max_length=200, required=False)
    note = PlainTextAreaField(label=_("说明"), max_length=2000, required=False)
    evidence = forms.FileField(
        label=_("佐证材料"),
        required=False,
        validators=[FileExtensionValidator(["pdf", "jpg", "jpeg", "png", "docx", "xlsx"])],
        help_text=_("PDF、图片、Word 或 Excel,不超过 10 MB"),
    )

    def clean_evidence(self) -> Any:
        evidence = self.cleaned_data.get("evidence")
        if evidence is not None and evidence.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 10 MB。"))
        return evidence
