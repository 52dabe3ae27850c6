"""Forms of campus recruitment (fields only; the services check the rules again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingxiang.academy.models import Ladder
from jingxiang.accounts.forms import PrivacyConsentMixin
from jingxiang.core.forms import MobileField, PlainTextAreaField, PlainTextField, StyledFormMixin
from jingxiang.core.pickers import PickerMultipleField
from jingxiang.core.timerules import TimeRulesFormMixin
from jingxiang.organisations.models import Organisation, OrganisationKind, OrganisationStatus
from jingxiang.recruitment.models import Degree, InterviewSlot, Job, TalentTier
from jingxiang.recruitment.rules import FAIR_RULES


class FairForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = FAIR_RULES
    title = PlainTextField(label=_("名称"), max_length=100)
    university = forms.ModelChoiceField(
        label=_("高校"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.UNIVERSITY, archived_at__isnull=True),
    )
    fair_date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    venue = PlainTextField(label=_("地点"), max_length=200)
    description = PlainTextAreaField(label=_("简介"), required=False)
    booths = forms.IntegerField(label=_("展位数"), min_value=1, max_value=500)
    interviews_from = forms.TimeField(label=_("面试开始"), widget=forms.TimeInput(attrs={"type": "time"}))
    interviews_until = forms.TimeField(label=_("面试结束"), widget=forms.TimeInput(attrs={"type": "time"}))
    slot_minutes = forms.IntegerField(label=_("每场面试分钟数"), min_value=5, max_value=120, initial=20)
    region = PlainTextField(label=_("工作地区(工资标准)"), max_length=50, initial="临海市")


class InviteForm(StyledFormMixin, forms.Form):
    # The shared picker (search as you type, names typed without JavaScript): a checkbox per approved
    # firm made the fair's page 77 KB with a few hundred firms, and the cluster has thousands.
    firms = PickerMultipleField(
        label=_("邀请企业"),
        source="organisations.firms",
        queryset=Organisation.objects.filter(
            kind=OrganisationKind.FIRM, status=OrganisationStatus.APPROVED, archived_at__isnull=True
        ).order_by("name"),
        placeholder=_("输入企业名称搜索"),
    )


class JobForm(StyledFormMixin, forms.Form):
    post = PlainTextField(
        label=_("岗位"),
        max_length=50,
        help_text=_("如:验光、抛光、质检(与行业能级工资协议的岗位名称一致时按能级工资标准核对)"),
    )
    skill_level = forms.ChoiceField(label=_("技能等级"), choices=Ladder.choices)
    degree = forms.ChoiceField(label=_("学历要求"), choices=Degree.choices)
    headcount = forms.IntegerField(label=_("招聘人数"), min_value=1, max_value=999)
    salary_min = forms.DecimalField(label=_("月薪下限(元)"), min_value=0, max_digits=9, decimal_places=2)
    salary_max = forms.DecimalField(label=_("月薪上限(元)"), min_value=0, max_digits=9, decimal_places=2)
    location = PlainTextField(label=_("工作地点"), max_length=100)
    description = PlainTextAreaField(label=_("岗位描述"), required=False)


class CodeForm(StyledFormMixin, forms.Form):
    mobile = MobileField(label=_("手机号"))


class RegisterForm(PrivacyConsentMixin, StyledFormMixin, forms.Form):
    mobile = MobileField(label=_("手机号"))
    code = forms.CharField(label=_("验证码"), max_length=10)
    name = PlainTextField(label=_("姓名"), max_length=50)
    school = PlainTextField(label=_("学校"), max_length=100)
    major = PlainTextField(label=_("专业"), max_length=100, required=False)
    degree = forms.ChoiceField(label=_("学历"), choices=Degree.choices)
    graduation_year = forms.IntegerField(label=_("毕业年份"), min_value=2000, max_value=2100)


class LoginForm(StyledFormMixin, forms.Form):
    mobile = MobileField(label=_("手机号"))
    code = forms.CharField(label=_("验证码"), max_length=10)


class CVForm(StyledFormMixin, forms.Form):
    cv = forms.FileField(
        label=_("简历(PDF,不超过 5 MB)"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )


class ClassForm(StyledFormMixin, forms.Form):
    starts_at = forms.TimeField(label=_("上课开始"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label=_("上课结束"), widget=forms.TimeInput(attrs={"type": "time"}))


class ApplyForm(StyledFormMixin, forms.Form):
    jobs = forms.ModelMultipleChoiceField(
        label=_("选择岗位(可多选)"), queryset=Job.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, jobs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jobs"].queryset = jobs  # type: ignore[attr-defined]
        self.fields["jobs"].label_from_instance = lambda job: (  # type: ignore[attr-defined]
            f"{job.fair_firm.firm.name} · {job.post}({job.salary_min:.0f}–{job.salary_max:.0f} 元)"
        )


class MoveForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("screened", _("通过筛选")), ("interview", _("邀请面试")), ("rejected", _("不通过"))]
    )
    reason = PlainTextField(max_length=200, required=False)
    ids = forms.CharField()


class OfferForm(StyledFormMixin, forms.Form):
    salary = forms.DecimalField(label=_("录用月薪(元)"), min_value=0, max_digits=9, decimal_places=2)


class OfferRevokeForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("撤销原因(会告知学生)"), max_length=200)


class HireForm(StyledFormMixin, forms.Form):
    hired_on = forms.DateField(label=_("入职日期"), widget=forms.DateInput(attrs={"type": "date"}))
    tier = forms.ChoiceField(label=_("台州人才层次"), choices=TalentTier.choices, required=False)


class NoteForm(StyledFormMixin, forms.Form):
    note = PlainTextAreaField(label=_("备注"), required=False)


class PlaceForm(StyledFormMixin, forms.Form):
    slot = forms.ModelChoiceField(label=_("面试时段"), queryset=InterviewSlot.objects.none())

    def __init__(self, *args: Any, fair: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = fair.slots.all()  # type: ignore[attr-defined]
