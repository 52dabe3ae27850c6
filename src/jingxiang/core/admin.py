from django.contrib import admin

from jingxiang.core.models import NumberSequence, OutboxMessage, PersonalDataAccess, TimeRuleOverride


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are evidence: shown to operators, never added, edited or deleted by hand."""

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    """The reveal log is evidence and must not be edited."""

    list_display = ["accessed_at", "accessed_by", "content_type", "object_id", "field_name", "ip_address"]
    list_filter = ["field_name", "content_type"]


@admin.register(TimeRuleOverride)
class TimeRuleOverrideAdmin(ReadOnlyAdmin):
    """An operator's waiver of a time rule is evidence."""

    list_display = ["created_at", "actor", "rule", "value", "reason", "content_type", "object_id"]
    list_filter = ["rule", "content_type"]


@admin.register(NumberSequence)
class NumberSequenceAdmin(ReadOnlyAdmin):
    """Numbers once handed out are never changed by hand."""

    list_display = ["scope", "year", "value"]
    list_filter = ["year"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: operators see what was sent, what waits for a retry and why a message failed."""

    list_display = ["created_at", "to_address", "message", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "message"]
    search_fields = ["to_address"]
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
