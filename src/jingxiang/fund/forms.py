"""Forms of the talent fund (fields only; the services check every rule again)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jingxiang.core.forms import PlainTextAreaField, PlainTextField, StyledFormMixin
from jingxiang.core.timerules import TimeRulesFormMixin
from jingxiang.fund import rules
from jingxiang.fund.catalogue import attachment_kinds
from jingxiang.fund.models import (
    AwardKind,
    EliteGrade,
    Fund,
    IPKind,
    RecoveryCause,
    RuleKind,
    Stage,
    TalentTier,
)
from jingxiang.organisations.models import Organisation, OrganisationKind, OrganisationStatus


class TierForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = rules.DATED_RULES
    code = forms.SlugField(label=_("代码"), max_length=20)
    name = PlainTextField(label=_("名称"), max_length=50)
    rank = forms.IntegerField(label=_("层次序号(1 为最高)"), min_value=1, max_value=20)
    valid_from = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label=_("失效日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    source = PlainTextField(label=_("依据"), max_length=200, required=False)


class GradeForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = rules.DATED_RULES
    code = forms.SlugField(label=_("代码"), max_length=10)
    name = PlainTextField(label=_("名称"), max_length=50)
    support = forms.DecimalField(
        label=_("资助金额(元)"), min_value=Decimal("0"), max_digits=14, decimal_places=2
    )
    valid_from = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label=_("失效日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    source = PlainTextField(label=_("依据"), max_length=200, required=False)


class FundForm(StyledFormMixin, forms.Form):
    name = PlainTextField(label=_("名称"), max_length=100)
    manager = forms.ModelChoiceField(
        label=_("管理机构"),
        queryset=Organisation.objects.filter(
            kind__in=(OrganisationKind.GOVERNMENT, OrganisationKind.ASSOCIATION),
            status=OrganisationStatus.APPROVED,
            archived_at__isnull=True,
        ),
    )
    capital = forms.DecimalField(
        label=_("基金规模(元)"), min_value=Decimal("0"), max_digits=14, decimal_places=2
    )


class CapitalForm(StyledFormMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("注资金额(元)"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    note = PlainTextField(label=_("说明"), max_length=200, required=False)


class CallForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = rules.CALL_RULES
    fund = forms.ModelChoiceField(label=_("基金"), queryset=Fund.objects.filter(archived_at__isnull=True))
    title = PlainTextField(label=_("名称"), max_length=120)
    description = PlainTextAreaField(label=_("申报说明"), required=False)
    opens_on = forms.DateField(label=_("申报开始"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("申报截止"), widget=forms.DateInput(attrs={"type": "date"}))
    appeal_days = forms.IntegerField(label=_("申诉期(天)"), min_value=1, max_value=90, initial=7)
    reviewers_per_application = forms.IntegerField(
        label=_("每个项目评审专家数"), min_value=1, max_value=9, initial=2
    )
    exit_premium_team_share = forms.DecimalField(
        label=_("退出时团队分享溢价比例(%)"),
        initial=Decimal("70"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
    )
    review_days = forms.IntegerField(label=_("每轮评分期(天)"), min_value=1, max_value=90, initial=14)
    scale_max = forms.DecimalField(
        label=_("评分满分"), min_value=Decimal("1"), max_value=Decimal("100"), decimal_places=1, initial=10
    )


class RuleForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = rules.RULE_RULES
    kind = forms.ChoiceField(label=_("规则"), choices=RuleKind.choices)
    value = PlainTextField(
        label=_("取值"),
        max_length=200,
        help_text=_("人才层次、精英计划等级填代码(逗号分隔,如 top,leading 或 A,B);比例、天数、金额填数字。"),
    )
    valid_from = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label=_("失效日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class CriterionForm(StyledFormMixin, forms.Form):
    stage = forms.ChoiceField(label=_("环节"), choices=Stage.choices)
    name = PlainTextField(label=_("评分项"), max_length=60)
    weight = forms.DecimalField(label=_("权重"), min_value=Decimal("0.01"), max_digits=5, decimal_places=2)


class ReviewerForm(StyledFormMixin, forms.Form):
    login = PlainTextField(label=_("专家账号(用户名或手机号)"), max_length=150)
    organisation = forms.ModelChoiceField(
        label=_("所在单位"),
        required=False,
        queryset=Organisation.objects.filter(archived_at__isnull=True).order_by("name"),
    )
    expertise = PlainTextField(label=_("专长标签(逗号分隔)"), max_length=200, required=False)
    max_load = forms.IntegerField(label=_("最多评审项目数"), min_value=1, max_value=200, initial=10)
    conflicts = forms.ModelMultipleChoiceField(
        label=_("申报回避单位"),
        required=False,
        queryset=Organisation.objects.filter(kind=OrganisationKind.FIRM, archived_at__isnull=True).order_by(
            "name"
        ),
    )

    def clean_login(self) -> Any:
        login = self.cleaned_data["login"].strip()
        user = get_user_model().objects.filter(Q(username=login) | Q(mobile=login), is_active=True).first()
        if user is None:
            raise forms.ValidationError(gettext("找不到该账号。"))
        return login

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if "login" in cleaned:
            login = cleaned["login"]
            cleaned["user"] = get_user_model().objects.filter(Q(username=login) | Q(mobile=login)).first()
        return cleaned


class ApplicationForm(StyledFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("申报单位"), queryset=Organisation.objects.none())
    project_title = PlainTextField(label=_("项目名称"), max_length=120)
    summary = PlainTextAreaField(label=_("项目简介(商业计划摘要)"))
    tags = PlainTextField(label=_("领域标签(逗号分隔)"), max_length=200, required=False)
    talent_name = PlainTextField(label=_("领衔人才"), max_length=50)
    talent_tier = forms.ModelChoiceField(
        label=_("人才层次"), required=False, queryset=TalentTier.objects.filter(archived_at__isnull=True)
    )
    elite_grade = forms.ModelChoiceField(
        label=_("500精英计划等级"),
        required=False,
        queryset=EliteGrade.objects.filter(archived_at__isnull=True),
    )
    founder_equity = forms.DecimalField(
        label=_("创始人持股比例(%)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
    )
    registered_town = PlainTextField(label=_("注册地(镇/街道)"), max_length=50, required=False)
    registration_date = forms.DateField(
        label=_("注册日期(已注册或计划)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    requested_amount = forms.DecimalField(
        label=_("申请资助(元)"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    ip_summary = PlainTextAreaField(label=_("知识产权说明"), required=False)
    revenue_last_year = forms.DecimalField(
        label=_("上年营业收入(元)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    investment_raised = forms.DecimalField(
        label=_("已获融资(元)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    employees = forms.IntegerField(label=_("员工人数"), required=False, min_value=0, max_value=100000)

    def __init__(self, *args: Any, firms: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if firms is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = firms  # type: ignore[attr-defined]


class TeamForm(StyledFormMixin, forms.Form):
    name = PlainTextField(label=_("姓名"), max_length=50)
    role = PlainTextField(label=_("职务"), max_length=50)
    share = forms.DecimalField(
        label=_("持股比例(%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
    )


class IPForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=IPKind.choices)
    title = PlainTextField(label=_("名称"), max_length=120)
    number = PlainTextField(label=_("号码"), max_length=40, required=False)


class AttachmentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("附件类型"))
    file = forms.FileField(label=_("文件"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (key, gettext(spec["label"])) for key, spec in attachment_kinds().items() if key != "evidence"
        ]


class DiligenceForm(StyledFormMixin, forms.Form):
    done = forms.BooleanField(label=_("核查通过"), required=False)
    finding = PlainTextField(label=_("核查意见"), max_length=300, required=False)


class DecisionForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("决定"), choices=[("approve", _("同意资助")), ("reject", _("不予资助"))]
    )
    reasons = PlainTextAreaField(label=_("决定理由"))


class AppealForm(StyledFormMixin, forms.Form):
    grounds = PlainTextAreaField(label=_("申诉理由"))


class AppealDecideForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("处理"), choices=[("uphold", _("申诉成立,重新答辩")), ("dismiss", _("驳回申诉"))]
    )
    reply = PlainTextAreaField(label=_("答复"))


class AwardForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("方式"), choices=AwardKind.choices)
    amount = forms.DecimalField(
        label=_("资助/投资金额(元)"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    stake = forms.DecimalField(
        label=_("基金持股比例(%,股权投资)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
    )
    team_premium_share = forms.DecimalField(
        label=_("退出时团队分享溢价比例(%,股权投资)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
    )
    terms = PlainTextAreaField(label=_("其他条款"), required=False)


class TrancheForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = rules.TRANCHE_RULES
    milestone = PlainTextField(label=_("里程碑"), max_length=200)
    amount = forms.DecimalField(
        label=_("金额(元)"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    due_on = forms.DateField(label=_("应达成日期"), widget=forms.DateInput(attrs={"type": "date"}))


class EvidenceForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("佐证材料(PDF、图片或 Excel)"))
    note = PlainTextAreaField(label=_("完成情况说明"))


class EvidenceReviewForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("审核"), choices=[("approve", _("通过并拨付")), ("return", _("退回补充"))]
    )
    note = PlainTextField(label=_("审核意见"), max_length=300, required=False)


class NoteForm(StyledFormMixin, forms.Form):
    note = PlainTextField(label=_("说明"), max_length=300)


class ReportForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    progress = PlainTextAreaField(label=_("年度进展"))
    revenue = forms.DecimalField(
        label=_("年度营业收入(元)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    employees = forms.IntegerField(label=_("年末员工人数"), required=False, min_value=0, max_value=100000)
    still_in_town = forms.BooleanField(label=_("仍在本镇注册经营"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class RecoveryForm(StyledFormMixin, forms.Form):
    cause = forms.ChoiceField(label=_("原因"), choices=RecoveryCause.choices)
    amount = forms.DecimalField(
        label=_("收回金额(元)"), min_value=Decimal("0"), max_digits=14, decimal_places=2
    )
    note = PlainTextAreaField(label=_("收回依据"))
