from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from jingxiang.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "masked_mobile", "is_active", "is_staff"]
    search_fields = ["username", "display_name", "mobile"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("镜享", {"fields": ("display_name", "masked_mobile")}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("镜享", {"fields": ("display_name", "mobile")}))
    readonly_fields = ["masked_mobile"]
