from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from jingxiang.accounts.models import LoginInvitation, SecurityEvent, User


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "display_name", "masked_mobile", "is_active", "is_staff"]
    search_fields = ["username", "display_name", "mobile"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("镜享", {"fields": ("display_name", "masked_mobile", "has_verified_mobile", "has_verified_email")}),
    )
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("镜享", {"fields": ("display_name", "mobile")}))
    readonly_fields = ["masked_mobile", "has_verified_mobile", "has_verified_email"]


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Records that only services write: operators read them here, nobody edits or deletes them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "purpose", "destination_masked", "user", "actor", "ip_address"]
    list_filter = ["kind", "purpose"]
    search_fields = ["user__username", "actor__username", "ip_address"]
    exclude = ["destination_digest"]


@admin.register(LoginInvitation)
class LoginInvitationAdmin(ReadOnlyAdmin):
    list_display = ["talent", "status", "destination_masked", "invited_by", "created_at", "expires_at"]
    list_filter = ["status", "channel"]
    search_fields = ["talent__name"]
    exclude = ["nonce"]
