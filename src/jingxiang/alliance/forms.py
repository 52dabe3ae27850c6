"""Forms of the alliance app. They check what a form can; the services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingxiang.alliance.models import (
    AgreementParty,
    AgreementStatus,
    Alliance,
    AllianceKind,
    DeclaredKind,
    Domain,
    Member,
    MemberRole,
    ObligationStatus,
    TaskStatus,
)
from jingxiang.alliance.outputs import LINK_KINDS
from jingxiang.alliance.rules import AGREEMENT_RULES, ALLIANCE_RULES, MEMBER_RULES
from jingxiang.core.forms import MobileField, PlainTextAreaField, PlainTextField, StyledFormMixin
from jingxiang.core.pickers import PickerField, PickerMultipleField
from jingxiang.core.timerules import TimeRulesFormMixin
from jingxiang.organisations.models import Organisation

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _members(alliance: Alliance) -> Any:
    return (
        Member.objects.current()
        .filter(alliance=alliance)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def _limit(field: Any, queryset: Any) -> None:
    """Offer ``queryset`` in a model choice field (the rows this form may choose from)."""
    field.queryset = queryset


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.organisation.name)


class MemberMultipleField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.organisation.name)


class AllianceForm(StyledFormMixin, TimeRulesFormMixin, forms.Form):
    time_rules = ALLIANCE_RULES

    name = PlainTextField(label=_("联盟名称"), max_length=100)
    short_name = PlainTextField(label=_("简称"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=AllianceKind.choices)
    secretariat = forms.ModelChoiceField(label=_("秘书处单位"), queryset=Organisation.objects.none())
    founded_on = forms.DateField(label=_("成立日期"), widget=DATE)
    description = PlainTextAreaField(label=_("简介"), required=False)
    charter = PlainTextAreaField(label=_("联盟章程"), required=False, max_length=20000)
    is_public = forms.BooleanField(
        label=_("在公开页展示联盟、成员和非保密成果"), required=False, initial=True
    )
    standard_domains = forms.BooleanField(
        label=_("建立五大领域(技术研发、技能培训、质量检测、品牌升级、市场拓展)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, secretariats: Any = None, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["secretariat"]
            del self.fields["standard_domains"]
        else:
            _limit(self.fields["secretariat"], secretariats)
            if secretariats is not None and secretariats.count() == 1:
                self.fields["secretariat"].initial = secretariats.first()


class MemberForm(StyledFormMixin, TimeRulesFormMixin, forms.Form):
    time_rules = MEMBER_RULES

    organisation = PickerField(label=_("成员单位"), source="alliance.organisations")
    role = forms.ChoiceField(label=_("联盟职务"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    joined_on = forms.DateField(label=_("入盟日期"), widget=DATE)
    contact_name = PlainTextField(label=_("联络人"), max_length=40, required=False)
    contact_mobile = MobileField(label=_("联络人手机"), required=False)
    domains = forms.ModelMultipleChoiceField(
        label=_("参与领域"),
        queryset=Domain.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = PlainTextField(label=_("说明"), max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        alliance: Alliance,
        apply_for: list[Any] | None = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _limit(self.fields["domains"], alliance.domains.filter(archived_at__isnull=True))
        if editing:
            del self.fields["organisation"]
            del self.fields["joined_on"]
        elif apply_for is not None:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("申请单位"),
                queryset=Organisation.objects.filter(pk__in=[o.pk for o in apply_for]),
                initial=apply_for[0] if len(apply_for) == 1 else None,
                widget=forms.Select(attrs={"class": "select"}),
            )
            del self.fields["role"]
        else:
            _limit(self.fields["organisation"], Organisation.objects.approved())


class LeaveForm(StyledFormMixin, forms.Form):
    left_on = forms.DateField(label=_("退盟日期"), widget=DATE, initial=timezone.localdate)
    reason = PlainTextField(label=_("退盟原因"), max_length=300)


class ReviewForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"), choices=[("approve", _("通过")), ("reject", _("不通过"))]
    )
    note = PlainTextField(label=_("审核意见"), max_length=300, required=False)


class DomainForm(StyledFormMixin, forms.Form):
    name = PlainTextField(label=_("领域"), max_length=40)
    description = PlainTextAreaField(label=_("工作目标"), required=False)
    order = forms.IntegerField(label=_("排序"), min_value=0, max_value=999, required=False)
    lead = MemberChoiceField(label=_("牵头单位"), queryset=Member.objects.none(), required=False)
    members = MemberMultipleField(
        label=_("工作组成员"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, alliance: Alliance, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self.fields["lead"], _members(alliance))
        _limit(self.fields["members"], _members(alliance))


class TaskForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("计划年度"), min_value=2000, max_value=2100)
    title = PlainTextField(label=_("任务"), max_length=120)
    description = PlainTextAreaField(label=_("内容"), required=False)
    owner = MemberChoiceField(label=_("责任单位"), queryset=Member.objects.none())
    due_on = forms.DateField(label=_("完成期限"), widget=DATE)
    expected_output = PlainTextField(label=_("预期成果"), max_length=200)

    def __init__(self, *args: Any, alliance: Alliance, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self.fields["owner"], _members(alliance))
        if editing:
            del self.fields["year"]


class ReassignForm(StyledFormMixin, forms.Form):
    owner = MemberChoiceField(label=_("改派给"), queryset=Member.objects.none())

    def __init__(self, *args: Any, alliance: Alliance, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self.fields["owner"], _members(alliance).filter(status="active"))


class ProgressForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=TaskStatus.choices)
    note = PlainTextAreaField(label=_("进展说明"), required=False, max_length=2000)


class LinkForm(StyledFormMixin, forms.Form):
    confidential = forms.BooleanField(label=_("不在公开页展示"), required=False)

    def __init__(self, *args: Any, kind: str, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        link = LINK_KINDS[kind]
        self.fields = {
            "record": PickerField(
                label=link.label, source=f"alliance.{kind}", queryset=link.candidates(user)
            ),
            **self.fields,
        }
        self.fields["record"].widget.attrs.setdefault("class", "input")


class DeclareForm(StyledFormMixin, forms.Form):
    declared_kind = forms.ChoiceField(label=_("申报类型"), choices=DeclaredKind.choices)
    title = PlainTextField(label=_("成果名称"), max_length=200)
    attachment = forms.FileField(label=_("佐证材料"))
    confidential = forms.BooleanField(label=_("不在公开页展示"), required=False)


class MeetingForm(StyledFormMixin, forms.Form):
    title = PlainTextField(label=_("会议名称"), max_length=120)
    domain = forms.ModelChoiceField(
        label=_("工作组"), queryset=Domain.objects.none(), required=False, empty_label=_("联盟全体会议")
    )
    starts_at = forms.DateTimeField(label=_("时间"), widget=DATETIME)
    venue = PlainTextField(label=_("地点"), max_length=200, required=False)
    agenda = PlainTextAreaField(label=_("议程"), max_length=5000)

    def __init__(self, *args: Any, alliance: Alliance, domains: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = domains if domains is not None else alliance.domains.filter(archived_at__isnull=True)
        _limit(self.fields["domain"], choices)


class MinutesForm(StyledFormMixin, forms.Form):
    attendees = MemberMultipleField(
        label=_("出席单位"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minutes = PlainTextAreaField(label=_("会议纪要"), max_length=20000)

    def __init__(self, *args: Any, alliance: Alliance, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self.fields["attendees"], _members(alliance))


class DecisionForm(StyledFormMixin, forms.Form):
    text = PlainTextField(label=_("决议"), max_length=300)
    make_task = forms.BooleanField(label=_("形成工作任务"), required=False)
    domain = forms.ModelChoiceField(label=_("落实领域"), queryset=Domain.objects.none(), required=False)
    owner = MemberChoiceField(label=_("责任单位"), queryset=Member.objects.none(), required=False)
    due_on = forms.DateField(label=_("完成期限"), widget=DATE, required=False)
    expected_output = PlainTextField(label=_("预期成果"), max_length=200, required=False)

    def __init__(self, *args: Any, alliance: Alliance, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self.fields["domain"], alliance.domains.filter(archived_at__isnull=True))
        _limit(self.fields["owner"], _members(alliance))

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("make_task"):
            for name in ("owner", "due_on", "expected_output"):
                if not cleaned.get(name):
                    self.add_error(name, _("形成任务时必须填写此项。"))
        return cleaned


class AgreementForm(StyledFormMixin, TimeRulesFormMixin, forms.Form):
    time_rules = AGREEMENT_RULES

    title = PlainTextField(label=_("协议名称"), max_length=120)
    scope = PlainTextAreaField(label=_("合作内容"), max_length=5000)
    parties = PickerMultipleField(label=_("平台内签约方"), source="alliance.organisations", required=False)
    outside_parties = forms.CharField(
        label=_("平台外签约方"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一家:单位名称,统一社会信用代码"),
    )
    signed_on = forms.DateField(label=_("签约日期"), widget=DATE)
    term_start = forms.DateField(label=_("有效期自"), widget=DATE)
    term_end = forms.DateField(label=_("有效期至"), widget=DATE)
    text_file = forms.FileField(label=_("协议文本"), required=False)
    confidential = forms.BooleanField(label=_("不对外公开"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self.fields["parties"], Organisation.objects.approved())

    def outside(self) -> list[tuple[str, str]]:
        rows = []
        for line in (self.cleaned_data.get("outside_parties") or "").splitlines():
            if not line.strip():
                continue
            name, _sep, uscc = line.replace(",", ",").partition(",")
            rows.append((name.strip(), uscc.strip()))
        return rows


class AgreementStatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=AgreementStatus.choices)


class ObligationForm(StyledFormMixin, forms.Form):
    party = forms.ModelChoiceField(label=_("履约方"), queryset=AgreementParty.objects.none())
    description = PlainTextField(label=_("义务内容"), max_length=200)
    target = forms.DecimalField(
        label=_("目标值"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    unit = PlainTextField(label=_("计量单位"), max_length=20, required=False)
    due_on = forms.DateField(label=_("完成期限"), widget=DATE)

    def __init__(self, *args: Any, agreement: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self.fields["party"], agreement.parties.all())


class ObligationReportForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[
            (ObligationStatus.IN_PROGRESS, ObligationStatus.IN_PROGRESS.label),
            (ObligationStatus.DELIVERED, ObligationStatus.DELIVERED.label),
            (ObligationStatus.WAIVED, ObligationStatus.WAIVED.label),
        ],
    )
    achieved = forms.DecimalField(
        label=_("完成值"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    note = PlainTextField(label=_("履约说明"), max_length=300, required=False)
    evidence = forms.FileField(label=_("佐证材料"), required=False)
    waive_reason = PlainTextField(label=_("豁免原因"), max_length=300, required=False)
