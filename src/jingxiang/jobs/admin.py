from django.contrib import admin
from django.http import HttpRequest

from jingxiang.jobs.models import Job, PeriodicRun


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    list_display = ["title", "kind", "status", "progress", "created_by", "created_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin[PeriodicRun]):
    list_display = ["key", "due_on", "started_at", "finished_at", "error"]
    list_filter = ["key"]
    readonly_fields = [f.name for f in PeriodicRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
