from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from jingxiang.organisations.models import Membership, Organisation


class MembershipInline(admin.TabularInline[Membership, Organisation]):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "kind", "region", "status", "is_alliance_member", "archived_at"]
    list_filter = ["kind", "status", "is_alliance_member", "region"]
    search_fields = ["name", "uscc", "search_text"]
    readonly_fields = ["search_text", "reviewed_by", "reviewed_at", "masked_contact_mobile"]
    exclude = ["contact_mobile"]
    inlines = [MembershipInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # archive instead: history and references must survive

    def save_model(
        self, request: HttpRequest, obj: Organisation, form: ModelForm[Organisation], change: bool
    ) -> None:
        obj.refresh_search_text()
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["user", "organisation"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
