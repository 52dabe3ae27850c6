from django.contrib import admin

from jingxiang.organisations.models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "status", "is_alliance_member", "archived_at"]
    list_filter = ["kind", "status", "is_alliance_member", "region"]
    search_fields = ["name", "uscc", "search_text"]
    readonly_fields = ["search_text", "reviewed_by", "reviewed_at", "masked_contact_mobile"]
    exclude = ["contact_mobile"]
    inlines = [MembershipInline]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # archive instead: history and references must survive

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        obj.refresh_search_text()
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["user", "organisation"]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
