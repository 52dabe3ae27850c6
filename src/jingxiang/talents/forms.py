from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingxiang.core.forms import (
    MobileField,
    PlainTextAreaField,
    PlainTextField,
    ResidentIdField,
    StyledFormMixin,
)
from jingxiang.core.pickers import PickerField, SkillLevelField
from jingxiang.organisations.models import Organisation
from jingxiang.talents.models import Gender, Skill, Talent, TalentKind
from jingxiang.talents.services import is_typed_in


class TalentForm(StyledFormMixin, forms.Form):
    name = PlainTextField(label=_("姓名"), max_length=50)
    gender = forms.ChoiceField(label=_("性别"), choices=[("", "—"), *Gender.choices], required=False)
    kind = forms.ChoiceField(label=_("人才类别"), choices=TalentKind.choices)
    title = PlainTextField(label=_("职称/职务"), max_length=50, required=False)
    level = PlainTextField(
        label=_("层级/荣誉"), max_length=50, required=False, help_text=_("如:大国工匠、高级技师、教授")
    )
    home_organisation = PickerField(
        label=_("所在单位"),
        source="talents.home_organisations",
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("留空表示独立(无单位)"),
    )
    region = PlainTextField(label=_("区域"), max_length=50, required=False)
    mobile = MobileField(label=_("手机号"), required=False)
    resident_id = ResidentIdField(label=_("身份证号"), required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    description = PlainTextAreaField(label=_("简介"), max_length=3000, required=False)
    hourly_rate = forms.DecimalField(
        label=_("服务费率(元/小时)"), min_value=Decimal("0"), max_digits=10, decimal_places=2, required=False
    )
    monthly_hours = forms.IntegerField(label=_("每月可共享小时"), min_value=0, max_value=400, required=False)
    shares_talent = forms.BooleanField(label=_("参与互聘共享"), required=False)
    think_tank = forms.BooleanField(label=_("共享人才智库成员"), required=False)
    skills = SkillLevelField(
        label=_("技能与熟练程度"),
        source="talents.skills",
        queryset=Skill.objects.filter(is_active=True).select_related("domain"),
        required=False,
        help_text=_("熟练程度 1–5;证书认定的技能等级另行保留"),
    )

    def __init__(self, *args: Any, organisations: Any, instance: Talent | None = None, **kwargs: Any) -> None:
        self.instance = instance
        super().__init__(*args, **kwargs)
        home = self.fields["home_organisation"]
        assert isinstance(home, forms.ModelChoiceField)
        home.queryset = organisations
        self.certified: dict[int, int] = {}
        if instance is not None:
            # Skills typed in here are shown with their levels; levels proven by a certificate are kept
            # by the service and only ever raised, so they are not offered for editing.
            links = instance.talent_skills.select_related("skill__domain")
            editable = {}
            for link in links:
                if is_typed_in(link):
                    editable[link.skill] = link.level
                else:
                    self.certified[link.skill_id] = link.level
            self.initial["skills"] = editable

    def clean_resident_id(self) -> str:
        value = self.cleaned_data.get("resident_id") or ""
        if value:
            clash = Talent.objects.filter(resident_id=value)
            if self.instance is not None:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(
                    _("该身份证号已登记在另一份人才档案中。"), code="duplicate_resident_id"
                )
        return value

    def profile(self) -> dict[str, Any]:
        """The profile's keyword arguments shared by ``talent_create`` and ``talent_update`` (not the
        personal numbers, which the two treat differently, nor the skills)."""
        data = self.cleaned_data
        text = ("gender", "title", "level", "region", "email", "description")
        return {
            "name": data["name"],
            "kind": data["kind"],
            "home_organisation": data.get("home_organisation"),
            **{field: data.get(field) or "" for field in text},
            "hourly_rate": data.get("hourly_rate"),
            "monthly_hours": data.get("monthly_hours"),
            "shares_talent": bool(data.get("shares_talent")),
            "think_tank": bool(data.get("think_tank")),
            "skill_levels": self.skill_levels(),
        }

    def skill_levels(self) -> dict[Skill, int]:
        """The chosen skills with their levels; a certified level is never lowered from this form."""
        chosen = self.cleaned_data.get("skills") or {}
        return {skill: max(level, self.certified.get(skill.pk, 0)) for skill, level in chosen.items()}
