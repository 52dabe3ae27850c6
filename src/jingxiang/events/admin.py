from django.contrib import admin

from jingxiang.events.models import Event, EventTable, FollowUp, Meeting, Participant, ScheduleRun, Session


class NoDeleteAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # archive instead: agendas, reports and follow-ups refer to these rows


@admin.register(Event)
class EventAdmin(NoDeleteAdmin):
    list_display = ["title", "event_date", "status", "archived_at"]
    list_filter = ["status"]
    search_fields = ["title"]


@admin.register(Session)
class SessionAdmin(NoDeleteAdmin):
    list_display = ["name", "event", "starts_at", "ends_at"]
    raw_id_fields = ["event"]


@admin.register(EventTable)
class EventTableAdmin(NoDeleteAdmin):
    list_display = ["name", "event", "capacity"]
    raw_id_fields = ["event"]


@admin.register(Participant)
class ParticipantAdmin(NoDeleteAdmin):
    list_display = ["name", "event", "kind", "max_meetings", "checked_in_at", "archived_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    raw_id_fields = ["event", "organisation", "talent", "registered_by", "checked_in_by"]
    filter_horizontal = ["slots"]


@admin.register(Meeting)
class MeetingAdmin(NoDeleteAdmin):
    list_display = ["__str__", "event", "priority", "status", "slot", "table", "locked", "attendance"]
    list_filter = ["status", "priority", "attendance"]
    raw_id_fields = [
        "event",
        "requester",
        "recipient",
        "slot",
        "table",
        "responded_by",
        "no_show_participant",
    ]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(NoDeleteAdmin):
    list_display = ["__str__", "status", "solver_status", "scheduled_count", "unscheduled_count", "idle_gaps"]
    list_filter = ["status"]
    readonly_fields = ["instance", "result", "violations"]
    raw_id_fields = ["event", "job", "created_by"]


@admin.register(FollowUp)
class FollowUpAdmin(NoDeleteAdmin):
    list_display = ["__str__", "event", "kind", "status", "archived_at"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["event", "meeting", "created_by"]
