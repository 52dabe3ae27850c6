from django.contrib import admin

from jingxiang.alliance.models import Agreement, Alliance, Domain, Member, Obligation, Output, Task


@admin.register(Alliance)
class AllianceAdmin(admin.ModelAdmin[Alliance]):
    list_display = ("name", "kind", "secretariat", "founded_on", "is_public")
    search_fields = ("name",)


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin[Member]):
    list_display = ("organisation", "alliance", "role", "status", "joined_on", "left_on")
    list_filter = ("status", "role")


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin[Domain]):
    list_display = ("name", "alliance", "lead", "order")


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin[Task]):
    list_display = ("title", "domain", "year", "owner", "due_on", "status")
    list_filter = ("status", "year")


@admin.register(Output)
class OutputAdmin(admin.ModelAdmin[Output]):
    list_display = ("task", "kind", "member", "object_id", "created_at")


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin[Agreement]):
    list_display = ("number", "title", "alliance", "signed_on", "status")


@admin.register(Obligation)
class ObligationAdmin(admin.ModelAdmin[Obligation]):
    list_display = ("description", "agreement", "party", "due_on", "status")
