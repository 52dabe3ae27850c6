"""Admin view of calendar feeds: who has one and when it was last fetched, never the token."""

from django.contrib import admin

from jingxiang.calendars.models import CalendarFeed


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin[CalendarFeed]):
    list_display = ("user", "created_at", "revoked_at", "last_fetched_at")
    exclude = ("token",)
    readonly_fields = ("user", "revoked_at", "last_fetched_at")
