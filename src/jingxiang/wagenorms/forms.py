"""Forms of 权益链."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingxiang.core.forms import PlainTextField, StyledFormMixin
from jingxiang.organisations.models import Organisation, OrganisationKind, OrganisationStatus
from jingxiang.wagenorms.models import LineStatus
from jingxiang.wages import reference

_DATE = forms.DateInput(attrs={"type": "date"})


class AgreementForm(StyledFormMixin, forms.Form):
    title = PlainTextField(label=_("协议名称"), max_length=200)
    employers = PlainTextField(label=_("企业方"), max_length=200)
    employer_association = forms.ModelChoiceField(
        label=_("行业协会(企业方代表)"),
        queryset=Organisation.objects.filter(
            kind=OrganisationKind.ASSOCIATION, status=OrganisationStatus.APPROVED, archived_at__isnull=True
        ),
        required=False,
        help_text=_("选定后,由该协会确认每轮协商纪要,并查看本协议的合规与统计汇总(不含个人工资)。"),
    )
    text = forms.CharField(
        label=_("协议数据(YAML)"),
        widget=forms.Textarea(attrs={"rows": 16, "class": "mono"}),
        help_text=_("岗位、岗位类别、八级工标准、计件单价、年增幅与加班基数;格式见 docs/wages.md。"),
        max_length=200_000,
    )
    note = PlainTextField(label=_("说明"), max_length=300, required=False)


class VersionForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("协议数据(YAML)"), widget=forms.Textarea(attrs={"rows": 16}), max_length=200_000
    )
    note = PlainTextField(label=_("修改说明"), max_length=300)


class RoundForm(StyledFormMixin, forms.Form):
    held_on = forms.DateField(label=_("协商日期"), widget=_DATE)
    union_proposal = PlainTextField(
        label=_("职工方要约"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    employer_proposal = PlainTextField(
        label=_("企业方回应"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    minutes = PlainTextField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)


class VoteForm(StyledFormMixin, forms.Form):
    held_on = forms.DateField(label=_("表决日期"), widget=_DATE)
    representatives = forms.IntegerField(label=_("职工代表总数"), min_value=1, max_value=100000)
    present = forms.IntegerField(label=_("到会人数"), min_value=0, max_value=100000)
    approve = forms.IntegerField(label=_("赞成"), min_value=0, max_value=100000)
    against = forms.IntegerField(label=_("反对"), min_value=0, max_value=100000)
    abstain = forms.IntegerField(label=_("弃权"), min_value=0, max_value=100000)


class FilingForm(StyledFormMixin, forms.Form):
    filed_on = forms.DateField(label=_("报送日期"), widget=_DATE)
    authority = PlainTextField(label=_("审查机关"), max_length=100, initial="临海市人力资源和社会保障局")


class ReviewForm(StyledFormMixin, forms.Form):
    receipt = forms.BooleanField(label=_("已收到审查机关的无异议意见书"), required=False)
    objection = PlainTextField(
        label=_("审查意见(有异议时填写)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
    )


class UploadForm(StyledFormMixin, forms.Form):
    firm = forms.TypedChoiceField(label=_("企业"), coerce=int)
    file = forms.FileField(label=_("工资表(.xlsx)"))

    def __init__(self, *args: Any, firms: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["firm"].choices = firms  # type: ignore[attr-defined]


class FollowUpForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("处理"),
        choices=[(LineStatus.FIXED.value, _("已补发差额")), (LineStatus.EXPLAINED.value, _("说明原因"))],
    )
    explanation = PlainTextField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500)


def _level_choices() -> list[tuple[str, str]]:
    return [(level.code, level.name_zh) for level in reference().levels]


class SelfCheckForm(StyledFormMixin, forms.Form):
    """The public self-check: nothing is stored; the engine judges the values."""

    post = forms.ChoiceField(label=_("岗位"))
    level = forms.ChoiceField(label=_("认定技能等级"))
    region = forms.ChoiceField(label=_("地区"))
    month = forms.CharField(label=_("工资月份"), max_length=7, help_text=_("如 2026-03"))
    base_wage = forms.DecimalField(label=_("基本工资(元)"), min_value=0, max_digits=12, decimal_places=2)
    piece_pay = forms.DecimalField(
        label=_("计件工资(元)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    skill_allowance = forms.DecimalField(
        label=_("技能津贴(元)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    other_pay = forms.DecimalField(
        label=_("其他工资(元)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )

    def __init__(
        self, *args: Any, posts: list[tuple[str, str]], regions: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].choices = posts  # type: ignore[attr-defined]
        self.fields["level"].choices = _level_choices()  # type: ignore[attr-defined]
        self.fields["region"].choices = regions  # type: ignore[attr-defined]


class RoundConfirmForm(StyledFormMixin, forms.Form):
    remark = PlainTextField(label=_("企业方意见(可选)"), max_length=500, required=False)
