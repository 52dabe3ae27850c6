from django.contrib import admin

from jingxiang.core.models import PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """Read-only: the reveal log is evidence and must not be edited."""

    list_display = ["accessed_at", "accessed_by", "content_type", "object_id", "field_name", "ip_address"]
    list_filter = ["field_name", "content_type"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
