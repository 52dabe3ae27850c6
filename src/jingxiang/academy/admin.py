from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jingxiang.academy import models


class NoDeleteAdmin(admin.ModelAdmin[Any]):
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # archive or revoke instead: certificates and training history must survive


class LevelInline(admin.TabularInline[models.OccupationLevel, models.Occupation]):
    model = models.OccupationLevel
    extra = 0

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.Occupation)
class OccupationAdmin(NoDeleteAdmin):
    list_display = ["code", "name", "skill"]
    inlines = [LevelInline]


@admin.register(models.SubsidyRule)
class SubsidyRuleAdmin(NoDeleteAdmin):
    list_display = ["code", "name", "rate", "cap", "earned_on"]


@admin.register(models.Course)
class CourseAdmin(NoDeleteAdmin):
    list_display = ["code", "title", "provider", "skill", "occupation_level", "fee", "archived_at"]
    list_filter = ["provider", "needs_approval"]
    search_fields = ["code", "title"]
    raw_id_fields = ["trainers"]


class SessionInline(admin.TabularInline[models.Session, models.Cohort]):
    model = models.Session
    extra = 0
    readonly_fields = ["checkin_code"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.Cohort)
class CohortAdmin(NoDeleteAdmin):
    list_display = ["name", "course", "starts_on", "capacity", "status", "order"]
    list_filter = ["status"]
    inlines = [SessionInline]


@admin.register(models.Enrolment)
class EnrolmentAdmin(NoDeleteAdmin):
    list_display = ["talent", "cohort", "status", "sponsor", "hired_by"]
    list_filter = ["status"]
    raw_id_fields = ["talent", "cohort", "sponsor", "enrolled_by", "decided_by", "offer_firm", "hired_by"]


@admin.register(models.Certificate)
class CertificateAdmin(NoDeleteAdmin):
    list_display = ["number", "holder_name", "occupation_level", "status", "issued_at"]
    list_filter = ["status", "year"]
    search_fields = ["number", "holder_name"]
    # Numbers, holders and levels are the record; only revocation (through the app) changes a certificate.
    readonly_fields = [
        "number",
        "year",
        "serial",
        "enrolment",
        "talent",
        "holder_name",
        "verify_code",
        "issued_by",
    ]


@admin.register(models.TrainingOrder)
class TrainingOrderAdmin(NoDeleteAdmin):
    list_display = ["title", "headcount", "due_on", "school", "status"]
    list_filter = ["status"]


@admin.register(models.Feedback)
class FeedbackAdmin(NoDeleteAdmin):
    list_display = ["cohort", "role", "rating", "created_at"]
