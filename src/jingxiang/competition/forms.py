"""Forms of the competition: public registration (a phone can fill it), an organiser's pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingxiang.competition.models import Edition, Entry, StageEntry, Track
from jingxiang.competition.rules import EDITION_RULES
from jingxiang.core.forms import MobileField, PlainTextAreaField, PlainTextField, StyledFormMixin
from jingxiang.core.pickers import PickerField
from jingxiang.core.timerules import TimeRulesFormMixin
from jingxiang.reviewing.rules import ROUND_RULES

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OrganiserForm(StyledFormMixin, forms.Form):
    """An operator appoints a login to an edition's organising committee."""

    user = PickerField(
        label=_("组委会成员"),
        source="competition.organisers",
        placeholder=_("输入姓名或用户名"),
        help_text=_("被指定的人可管理本届大赛的赛道、赛段、评委与结果"),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        from django.contrib.auth import get_user_model

        from jingxiang.competition.search import organiser_choices

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            organiser_choices(actor) or get_user_model().objects.none()
        )


class CodeForm(StyledFormMixin, forms.Form):
    mobile = MobileField(label=_("负责人手机号"))


class RegisterForm(StyledFormMixin, forms.Form):
    mobile = MobileField(label=_("负责人手机号"))
    code = forms.CharField(label=_("验证码"), max_length=10)
    track = forms.ModelChoiceField(label=_("赛道"), queryset=Track.objects.none(), empty_label=None)
    title = PlainTextField(label=_("项目名称"), max_length=80)
    summary = PlainTextAreaField(label=_("项目简介"), max_length=3000)
    team_name = PlainTextField(label=_("团队名称"), max_length=60)
    leader_name = PlainTextField(label=_("负责人姓名"), max_length=50)
    organisation_name = PlainTextField(label=_("所属企业或单位"), max_length=100, required=False)
    members = PlainTextAreaField(
        label=_("团队成员"),
        max_length=2000,
        help_text=_("一行一人:姓名, 角色, 股份百分比(可不填),负责人也写上。例如:李明, 技术负责人, 35%"),
    )
    tags = PlainTextField(
        label=_("领域关键词"), max_length=100, required=False, help_text=_("用逗号分隔,如:镜片, 镀膜")
    )
    plan = forms.FileField(label=_("商业计划书(PDF,≤10 MB)"))
    other = forms.FileField(label=_("其他材料(可选:PDF、图片、Word、Excel)"), required=False)

    def __init__(self, *args: Any, edition: Edition, anonymous: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = Track.objects.filter(edition=edition, active=True)  # type: ignore[attr-defined]
        if not anonymous:
            del self.fields["mobile"]
            del self.fields["code"]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        tags = [tag.strip() for tag in str(data.pop("tags", "") or "").replace(",", ",").split(",")]
        other = data.pop("other", None)
        return {**data, "tags": [tag for tag in tags if tag], "attachments": [other] if other else []}


class EditionForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = EDITION_RULES
    name = PlainTextField(label=_("届次名称"), max_length=120)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    slug = forms.SlugField(label=_("网址代码"), max_length=40)
    description = PlainTextAreaField(label=_("大赛简介"), required=False, max_length=3000)
    registration_opens = forms.DateTimeField(label=_("报名开始"), widget=DATETIME)
    registration_closes = forms.DateTimeField(label=_("报名截止"), widget=DATETIME)
    advance_preliminary = forms.IntegerField(label=_("初赛晋级名额"), min_value=1, max_value=500, initial=20)
    advance_semifinal = forms.IntegerField(label=_("复赛晋级名额"), min_value=1, max_value=100, initial=8)


class TrackForm(StyledFormMixin, forms.Form):
    code = forms.SlugField(label=_("代码"), max_length=40)
    name = PlainTextField(label=_("赛道"), max_length=60)
    description = PlainTextField(label=_("说明"), max_length=200, required=False)
    order = forms.IntegerField(label=_("顺序"), min_value=0, max_value=100, initial=0)
    active = forms.BooleanField(label=_("开放报名"), required=False, initial=True)


class StageRoundForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = ROUND_RULES
    opens_at = forms.DateTimeField(label=_("开始评分时间"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("截止评分时间"), widget=DATETIME)


class JudgeForm(StyledFormMixin, forms.Form):
    talent = PickerField(
        label=_("评委(平台人才)"),
        source="competition.judges",
        placeholder=_("输入姓名或拼音"),
        help_text=_("平台上有登录账号的专家"),
    )
    expertise = PlainTextField(label=_("专业领域"), max_length=200, required=False, help_text=_("用逗号分隔"))
    max_load = forms.IntegerField(label=_("最多评审份数"), min_value=1, max_value=500, initial=20)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        from jingxiang.competition.search import judge_choices
        from jingxiang.talents.models import Talent

        super().__init__(*args, **kwargs)
        self.fields["talent"].queryset = judge_choices(actor) or Talent.objects.none()  # type: ignore[attr-defined]

    def expertise_list(self) -> list[str]:
        text = str(self.cleaned_data.get("expertise") or "").replace(",", ",")
        return [tag.strip() for tag in text.split(",") if tag.strip()]


class CurrentEntryForm(forms.Form):
    entry = forms.ModelChoiceField(queryset=Entry.objects.none(), required=False)

    def __init__(self, *args: Any, stage: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = StageEntry.objects.filter(stage=stage).values_list("entry_id", flat=True)
        self.fields["entry"].queryset = Entry.objects.filter(pk__in=ids)  # type: ignore[attr-defined]
