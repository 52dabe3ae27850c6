from django.contrib import admin

from jingxiang.reviewing.models import AssignmentRun, Reviewer, Round


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin[Round]):
    list_display = ("title", "scope", "object_id", "opens_at", "closes_at", "mode")
    list_filter = ("scope", "mode")


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin[Reviewer]):
    list_display = ("name", "round", "organisation", "max_load", "active")


@admin.register(AssignmentRun)
class AssignmentRunAdmin(admin.ModelAdmin[AssignmentRun]):
    list_display = ("round", "status", "solver_status", "created_at")
