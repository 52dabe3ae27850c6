from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jingxiang.core.filters import FilterSet
from jingxiang.core.forms import PlainTextAreaField, PlainTextField, StyledFormMixin
from jingxiang.core.timerules import TimeRulesFormMixin
from jingxiang.demands import validation
from jingxiang.demands.models import (
    Category,
    Challenge,
    ChallengeApplication,
    ChallengeCriterion,
    ChallengeStatus,
    Demand,
    DemandStatus,
    KnowledgeDocument,
    Visibility,
)
from jingxiang.demands.rules import CHALLENGE_RULES, DEMAND_RULES, MILESTONE_RULES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ",".join(validation.ATTACHMENT_TYPES)})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        problems = []
        for upload in files:
            try:
                validation.check_attachment(upload)
            except ValidationError as error:
                problems.extend(error.messages)
        if problems:
            raise ValidationError(problems)
        return list(files)


class DemandForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = DEMAND_RULES

    title = PlainTextField(
        label=_("标题"), max_length=validation.TITLE_MAX, help_text=_("一句话说清问题,如:板材架抛光后有白雾")
    )
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    description = PlainTextAreaField(
        label=_("需求描述"),
        max_length=validation.DESCRIPTION_MAX,
        help_text=_("用您自己的话描述现象、影响和期望,平台会据此推荐专家和机构。"),
    )
    budget = forms.DecimalField(
        label=_("预算(元)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        help_text=_("不填表示面议"),
    )
    deadline = forms.DateField(
        label=_("期望完成日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    hours_needed = forms.IntegerField(
        label=_("预计工时(小时)"), required=False, min_value=0, max_value=10_000
    )
    region = PlainTextField(label=_("区域"), max_length=50, required=False, help_text=_("如:杜桥镇"))
    visibility = forms.ChoiceField(label=_("可见范围"), choices=Visibility.choices, initial=Visibility.PUBLIC)
    attachments = MultipleFileField(
        label=_("附件"),
        required=False,
        help_text=_("可选,最多 5 个,每个不超过 10 MB;支持 PDF、JPG/PNG、Word、Excel。"),
    )

    def clean_description(self) -> str:
        return validation.clean_text(
            self.cleaned_data["description"],
            label=str(_("需求描述")),
            minimum=validation.DESCRIPTION_MIN,
            maximum=validation.DESCRIPTION_MAX,
        )


class ScreenForm(StyledFormMixin, forms.Form):
    action = forms.ChoiceField(
        label=_("审核结论"),
        choices=[("publish", _("发布")), ("return", _("退回修改")), ("merge", _("合并到重复需求"))],
        widget=forms.RadioSelect,
    )
    reason = PlainTextField(label=_("退回原因"), max_length=300, required=False)
    merge_into = forms.IntegerField(label=_("合并到需求"), required=False, widget=forms.Select)

    def __init__(self, *args: Any, candidates: list[Demand] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {d.pk: d for d in candidates or []}
        self.fields["merge_into"].widget.choices = [("", "—")] + [
            (d.pk, f"{d.number} {d.title}") for d in candidates or []
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == "return" and not cleaned.get("reason"):
            self.add_error("reason", _("退回修改时必须写明原因,企业会看到。"))
        if action == "merge" and cleaned.get("merge_into") not in self.candidates:
            self.add_error("merge_into", _("请选择要合并到的同企业需求。"))
        return cleaned


class InviteForm(StyledFormMixin, forms.Form):
    supplier = forms.CharField(widget=forms.HiddenInput)
    message = PlainTextField(label=_("留言"), max_length=300, required=False)


class ProposalForm(StyledFormMixin, forms.Form):
    supplier = forms.ChoiceField(label=_("以谁的名义"), choices=[])
    summary = PlainTextAreaField(
        label=_("方案简述"), max_length=1000, help_text=_("怎么解决、需要企业配合什么,10–1000 字")
    )
    price = forms.DecimalField(
        label=_("报价(元)"), required=False, min_value=Decimal("0"), max_digits=12, decimal_places=2
    )
    hours = forms.IntegerField(label=_("预计工时(小时)"), required=False, min_value=0, max_value=10_000)

    def __init__(self, *args: Any, supplier_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier"].choices = supplier_choices
        if len(supplier_choices) == 1:
            self.fields["supplier"].initial = supplier_choices[0][0]


class DeclineForm(StyledFormMixin, forms.Form):
    reason = PlainTextField(label=_("婉拒原因"), max_length=300)


class DecideForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("采纳")), ("decline", _("不采纳"))], widget=forms.HiddenInput
    )
    reason = PlainTextField(label=_("说明"), max_length=300, required=False)


class CloseForm(StyledFormMixin, forms.Form):
    solved = forms.TypedChoiceField(
        label=_("问题解决了吗"),
        choices=[("", "—"), ("yes", _("已解决")), ("no", _("未解决"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
    )
    rating = forms.TypedChoiceField(
        label=_("合作评价"),
        choices=[("", "—")] + [(str(n), "★" * n) for n in range(5, 0, -1)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    notes = PlainTextAreaField(label=_("结果说明"), max_length=2000, required=False)


class KnowledgeForm(StyledFormMixin, forms.Form):
    content = forms.CharField(
        label=_("内容(YAML)"),
        widget=forms.Textarea(attrs={"rows": 28, "spellcheck": "false", "class": "input code"}),
    )
    note = PlainTextField(label=_("修改说明"), max_length=200)


class ChallengeForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = CHALLENGE_RULES

    title = PlainTextField(label=_("榜单名称"), max_length=80)
    award_amount = forms.DecimalField(
        label=_("榜额(元)"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    deadline = forms.DateField(label=_("揭榜截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ip_terms = PlainTextAreaField(label=_("知识产权约定"), max_length=3000)
    deliverables = PlainTextAreaField(label=_("交付成果要求"), max_length=3000)
    criteria = PlainTextAreaField(
        label=_("评分项与权重"),
        max_length=1000,
        help_text=_("每行一项,格式“名称:权重”,权重合计 100"),
        initial=_("技术方案可行性:40\n团队能力与业绩:25\n进度计划:20\n费用合理性:15"),
    )

    def clean_criteria(self) -> list[tuple[str, int]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            name, sep, weight = line.replace(":", ":").rpartition(":")
            try:
                value = int(weight.strip().rstrip("%"))
            except ValueError:
                value = -1
            if not sep or not name.strip() or value <= 0:
                raise ValidationError(_("第 %(n)s 行格式应为“名称:权重”,权重为正整数。") % {"n": number})
            rows.append((name.strip(), value))
        return rows

    def time_rule_values(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        from django.utils import timezone

        return {**cleaned, "today": timezone.localdate()}


class ApplyForm(StyledFormMixin, forms.Form):
    supplier = forms.ChoiceField(label=_("以谁的名义揭榜"), choices=[])
    team = PlainTextField(label=_("团队成员"), max_length=300, help_text=_("姓名、单位、分工"))
    proposal = PlainTextAreaField(label=_("揭榜方案"), max_length=5000)

    def __init__(self, *args: Any, supplier_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier"].choices = supplier_choices


class ReviewerForm(StyledFormMixin, forms.Form):
    username = forms.CharField(label=_("评审专家登录名或手机号"), max_length=150)

    def clean_username(self) -> Any:
        """The user named by login or mobile (the service decides whether they may review)."""
        from django.contrib.auth import get_user_model
        from django.db.models import Q

        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(Q(username=name) | Q(mobile=name)).first()
        if user is None:
            raise ValidationError(_("找不到登录名或手机号为“%(name)s”的用户。") % {"name": name})
        return user


class SelectWinnerForm(StyledFormMixin, forms.Form):
    application = forms.ModelChoiceField(
        queryset=ChallengeApplication.objects.none(), widget=forms.HiddenInput
    )
    reason = PlainTextField(label=_("选定说明"), max_length=300, required=False)

    def __init__(self, *args: Any, challenge: Challenge, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = challenge.applications.all()


class ScoreForm(StyledFormMixin, forms.Form):
    """One 0–10 score per criterion of the challenge's scorecard (fields ``c<criterion id>``)."""

    def __init__(self, *args: Any, criteria: list[ChallengeCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            wrong = _("“%(name)s”的分数必须是 0–10 的整数。") % {"name": criterion.name}
            self.fields[f"c{criterion.pk}"] = forms.IntegerField(
                label=_("%(name)s(权重 %(weight)s%%)") % {"name": criterion.name, "weight": criterion.weight},
                min_value=0,
                max_value=10,
                help_text=_("0–10 分"),
                error_messages={"invalid": wrong, "min_value": wrong, "max_value": wrong},
                widget=forms.NumberInput(attrs={"step": 1, "inputmode": "numeric"}),
            )
        self.criteria = criteria

    def scores(self) -> dict[int, int]:
        return {criterion.pk: self.cleaned_data[f"c{criterion.pk}"] for criterion in self.criteria}


class PlanForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    # The rules apply to each row; the service checks them together with the instalments, so that every
    # problem of the plan shows at once. The mixin offers operators the back-dating reason.
    time_rules = MILESTONE_RULES

    plan = PlainTextAreaField(
        label=_("里程碑与付款计划"),
        max_length=3000,
        help_text=_(
            "每行一个里程碑,格式“名称,计划完成日期,付款金额”,如:方案验证,2026-08-01,30000;金额合计须等于榜额"
        ),
    )

    def clean_plan(self) -> list[tuple[str, dt.date, Decimal]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["plan"].splitlines(), start=1):
            line = line.strip().replace(",", ",")
            if not line:
                continue
            parts = [part.strip() for part in line.split(",")]
            try:
                title, due, amount = parts
                rows.append((title, dt.date.fromisoformat(due), Decimal(amount.replace("¥", ""))))
            except (ValueError, ArithmeticError):
                raise ValidationError(
                    _("第 %(n)s 行格式应为“名称,2026-08-01,30000”。") % {"n": number}
                ) from None
        if not rows:
            raise ValidationError(_("至少要有一个里程碑。"))
        return rows

    def time_rule_values(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        return {}


class MilestoneAcceptForm(StyledFormMixin, forms.Form):
    note = PlainTextField(label=_("验收意见"), max_length=300, required=False)


class MilestonePayForm(StyledFormMixin, forms.Form):
    reference = PlainTextField(label=_("付款凭证号"), max_length=60)


class ChallengeCloseForm(StyledFormMixin, forms.Form):
    solved = forms.BooleanField(label=_("问题已解决"), required=False, initial=True)
    notes = PlainTextAreaField(label=_("结项说明"), max_length=3000)


class DemandFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    category = django_filters.ChoiceFilter(
        label=_("类别"), choices=Category.choices, empty_label=_("全部类别")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=DemandStatus.choices, empty_label=_("全部状态")
    )
    region = django_filters.CharFilter(label=_("区域"), lookup_expr="icontains")
    mine = django_filters.BooleanFilter(
        label=_("只看本企业"), method="filter_mine", widget=forms.CheckboxInput
    )

    class Meta:
        model = Demand
        fields = ["q", "category", "status", "region", "mine"]

    def __init__(self, *args: Any, organisation_ids: set[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_ids = organisation_ids or set()
        if not self.organisation_ids:
            self.filters.pop("mine")
            self.form.fields.pop("mine", None)

    def filter_search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        from django.db.models import Q

        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(organisation__name__icontains=value)
        )

    def filter_mine(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(organisation_id__in=self.organisation_ids) if value else queryset


class BoardFilter(DemandFilter):
    visibility = django_filters.ChoiceFilter(
        label=_("可见范围"), choices=Visibility.choices, empty_label=_("全部")
    )
    age = django_filters.ChoiceFilter(
        label=_("等待时长"),
        choices=[("3", _("3 天以上")), ("7", _("7 天以上")), ("30", _("30 天以上"))],
        empty_label=_("不限"),
        method="filter_age",
    )
    flagged = django_filters.BooleanFilter(
        label=_("疑似重复"), method="filter_flagged", widget=forms.CheckboxInput
    )

    class Meta:
        model = Demand
        fields = ["q", "category", "status", "visibility", "region", "age", "flagged"]

    def filter_age(self, queryset, name, value):  # type: ignore[no-untyped-def]
        from django.db.models import Q
        from django.utils import timezone

        cutoff = timezone.now() - dt.timedelta(days=int(value))
        return queryset.filter(
            Q(submitted_at__lte=cutoff) | Q(submitted_at__isnull=True, created_at__lte=cutoff)
        )

    def filter_flagged(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(duplicate_of__isnull=False) if value else queryset


class ChallengeFilter(FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=ChallengeStatus.choices, empty_label=_("全部状态")
    )
    category = django_filters.ChoiceFilter(
        label=_("类别"), field_name="demand__category", choices=Category.choices, empty_label=_("全部类别")
    )

    class Meta:
        model = Challenge
        fields = ["status", "category"]


KNOWLEDGE_CHOICES = KnowledgeDocument.choices
