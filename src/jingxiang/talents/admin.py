from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from jingxiang.talents.models import Skill, SkillDomain, Talent, TalentSkill


@admin.register(SkillDomain)
class SkillDomainAdmin(admin.ModelAdmin[SkillDomain]):
    list_display = ["code", "name_zh", "name_en", "sort_order"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin[Skill]):
    list_display = ["code", "name_zh", "name_en", "domain", "is_active"]
    list_filter = ["domain", "is_active"]
    search_fields = ["code", "name_zh", "name_en"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # switch a skill off instead; talents' records refer to it


class TalentSkillInline(admin.TabularInline[TalentSkill, Talent]):
    model = TalentSkill
    extra = 0


@admin.register(Talent)
class TalentAdmin(admin.ModelAdmin[Talent]):
    list_display = ["name", "kind", "level", "home_organisation", "shares_talent", "archived_at"]
    list_filter = ["kind", "shares_talent", "think_tank"]
    search_fields = ["name", "search_text"]
    raw_id_fields = ["user", "home_organisation"]
    # Personal numbers are revealed only through the logged reveal on the platform's pages.
    exclude = ["resident_id", "mobile"]
    readonly_fields = ["search_text", "masked_mobile", "masked_resident_id"]
    inlines = [TalentSkillInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Talent | None = None) -> list[str]:
        # A login is linked by the talent claiming it (invitation from the talent's page, with a code to
        # their own phone); only a superuser may still link an existing account here, e.g. to merge one.
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else [*fields, "user"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Talent, form: ModelForm[Talent], change: bool) -> None:
        obj.refresh_search_text()
        super().save_model(request, obj, form, change)
