"""Excel import of talents (operators for anyone; organisation admins for their own people)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jingxiang.core.forms import MobileField, PlainTextField, ResidentIdField
from jingxiang.core.imports import (
    ImportColumn,
    ImportSpec,
    ProgressCallback,
    RowError,
    ValidRow,
    choice_value,
)
from jingxiang.core.texts import IMPORT_ROWS_SAVED
from jingxiang.organisations.models import Organisation
from jingxiang.organisations.permissions import FIRM_MANAGERS, approved_organisation_ids, is_operator
from jingxiang.talents.models import Gender, Skill, Talent, TalentKind, TalentSkill


class TalentRowForm(forms.Form):
    name = PlainTextField(max_length=50)
    kind = forms.CharField()
    gender = forms.CharField(required=False)
    title = PlainTextField(max_length=50, required=False)
    level = PlainTextField(max_length=50, required=False)
    home_organisation = forms.CharField(required=False)
    region = PlainTextField(max_length=50, required=False)
    mobile = MobileField(required=False)
    resident_id = ResidentIdField(required=False)
    email = forms.EmailField(required=False)
    skills = forms.CharField(required=False)
    hourly_rate = forms.DecimalField(min_value=Decimal("0"), max_digits=10, decimal_places=2, required=False)
    monthly_hours = forms.IntegerField(min_value=0, max_value=400, required=False)
    description = PlainTextField(max_length=3000, required=False)

    def __init__(
        self,
        *args: Any,
        actor: Any,
        skills_by_key: dict[str, Skill],
        orgs_by_name: dict[str, Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.skills_by_key = skills_by_key
        self.orgs_by_name = orgs_by_name

    def clean_kind(self) -> str:
        return choice_value(self.cleaned_data["kind"], TalentKind.choices, _("人才类别"))

    def clean_gender(self) -> str:
        value = self.cleaned_data.get("gender", "")
        return choice_value(value, Gender.choices, _("性别")) if value else ""

    def clean_home_organisation(self) -> Organisation | None:
        name = self.cleaned_data.get("home_organisation", "").strip()
        if not name:
            if not is_operator(self.actor):
                raise forms.ValidationError(_("请填写所在单位(只能导入本机构的人才)。"))
            return None
        organisation = self.orgs_by_name.get(name)
        if organisation is None:
            raise forms.ValidationError(_("平台上没有名为“%(name)s”的已入驻机构。") % {"name": name})
        if not is_operator(self.actor) and organisation.pk not in approved_organisation_ids(
            self.actor, *FIRM_MANAGERS
        ):
            raise forms.ValidationError(_("您不是“%(name)s”的管理员,不能为其导入人才。") % {"name": name})
        return organisation

    def clean_skills(self) -> dict[Skill, int]:
        """``镀膜:4; 质量检测`` or codes; level 1–5 after a colon, 3 when omitted."""
        raw = self.cleaned_data.get("skills", "")
        result: dict[Skill, int] = {}
        for part in [p.strip() for p in raw.replace(";", ";").replace(",", ";").replace(",", ";").split(";")]:
            if not part:
                continue
            name, _sep, level_text = part.replace(":", ":").partition(":")
            skill = self.skills_by_key.get(name.strip().lower())
            if skill is None:
                raise forms.ValidationError(_("技能目录中没有“%(name)s”。") % {"name": name.strip()})
            level = 3
            if level_text.strip():
                if level_text.strip() not in {"1", "2", "3", "4", "5"}:
                    raise forms.ValidationError(
                        _("技能“%(name)s”的熟练程度应为 1–5。") % {"name": name.strip()}
                    )
                level = int(level_text.strip())
            result[skill] = level
        return result


class TalentImport(ImportSpec):
    name = "talents"
    title = _lazy("人才")
    columns = (
        ImportColumn("name", _lazy("姓名"), "Name", required=True, example="王师傅"),
        ImportColumn("kind", _lazy("人才类别"), "Kind", required=True, example="工匠"),
        ImportColumn("gender", _lazy("性别"), "Gender", example="男"),
        ImportColumn("title", _lazy("职称/职务"), "Title", example="高级技师"),
        ImportColumn("level", _lazy("层级/荣誉"), "Level", example="台州工匠"),
        ImportColumn(
            "home_organisation", _lazy("所在单位"), "Home organisation", example="临海市康波眼镜有限公司"
        ),
        ImportColumn("region", _lazy("区域"), "Region", example="杜桥镇"),
        ImportColumn("mobile", _lazy("手机号"), "Mobile", example="13800000000"),
        ImportColumn("resident_id", _lazy("身份证号"), "ID number"),
        ImportColumn("email", _lazy("电子邮箱"), "E-mail"),
        ImportColumn("skills", _lazy("技能"), "Skills", example="减反射镀膜:4; 膜层附着力"),
        ImportColumn("hourly_rate", _lazy("服务费率(元/小时)"), "Hourly rate", example="300"),
        ImportColumn("monthly_hours", _lazy("每月可共享小时"), "Monthly hours", example="20"),
        ImportColumn("description", _lazy("简介"), "Description"),
    )
    form_class = TalentRowForm

    def prepare(self, actor: Any) -> None:
        skills: dict[str, Skill] = {}
        for skill in Skill.objects.filter(is_active=True):
            for key in (skill.code, skill.name_zh, skill.name_en, *skill.aliases):
                skills.setdefault(str(key).strip().lower(), skill)
        self._skills_by_key = skills
        self._orgs_by_name = {o.name: o for o in Organisation.objects.approved()}

    def form_kwargs(self, actor: Any) -> dict[str, Any]:
        return {"actor": actor, "skills_by_key": self._skills_by_key, "orgs_by_name": self._orgs_by_name}

    def check_rows(self, rows: list[ValidRow], actor: Any) -> list[RowError]:
        errors: list[RowError] = []
        ids = [row.cleaned.get("resident_id") for row in rows if row.cleaned.get("resident_id")]
        counts = Counter(ids)
        existing = set(Talent.objects.filter(resident_id__in=ids).values_list("resident_id", flat=True))
        for row in rows:
            value = row.cleaned.get("resident_id")
            if value and counts[value] > 1:
                errors.append(
                    RowError(row.row, self.header_for("resident_id"), _("与文件中其他行的身份证号重复。"))
                )
            if value and value in existing:
                errors.append(
                    RowError(row.row, self.header_for("resident_id"), _("该身份证号已在平台登记。"))
                )
        return errors

    def save(self, rows: list[ValidRow], actor: Any, progress: ProgressCallback) -> int:
        for index, row in enumerate(rows, start=1):
            data = dict(row.cleaned)
            skills = data.pop("skills", {})
            talent = Talent(
                name=data["name"],
                kind=data["kind"],
                gender=data.get("gender", ""),
                title=data.get("title", ""),
                level=data.get("level", ""),
                home_organisation=data.get("home_organisation"),
                region=data.get("region", ""),
                mobile=data.get("mobile", ""),
                resident_id=data.get("resident_id", ""),
                email=data.get("email", ""),
                description=data.get("description", ""),
                hourly_rate=data.get("hourly_rate") or Decimal("0"),
                monthly_hours=data.get("monthly_hours") or 0,
                shares_talent=bool(data.get("monthly_hours")),
            )
            talent.refresh_search_text()
            talent.save()
            for skill, level in skills.items():
                TalentSkill.objects.create(talent=talent, skill=skill, level=level, source=_("导入"))
            if index % 50 == 0:
                progress(40 + int(60 * index / len(rows)), IMPORT_ROWS_SAVED(n=index))
        return len(rows)
