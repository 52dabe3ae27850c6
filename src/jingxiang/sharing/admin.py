"""Admin views of 互聘共享. No hard deletes; signed agreements and issued statements are read-only here
because their integrity (text hash, issued amounts) is what the public verification pages vouch for."""

from django.contrib import admin

from jingxiang.sharing.models import (
    Agreement,
    AgreementSignature,
    Booking,
    Invitation,
    Outcome,
    SharingProfile,
    SharingRequest,
    Statement,
    StatementAdjustment,
    SubsidyPolicy,
    Timesheet,
)


class NoDeleteAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # archive or supersede instead: history and references must survive


class ReadOnlyAdmin(NoDeleteAdmin):
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # written only through services (signing, issuing)


@admin.register(SharingProfile)
class SharingProfileAdmin(NoDeleteAdmin):
    list_display = ["talent", "offers_onsite", "offers_remote", "offers_consultation", "labour_contract_end"]
    raw_id_fields = ["talent"]
    filter_horizontal = ["conflict_firms"]


@admin.register(SharingRequest)
class SharingRequestAdmin(NoDeleteAdmin):
    list_display = ["title", "firm", "status", "mode", "period_start", "period_end", "created_at"]
    list_filter = ["status", "mode"]
    search_fields = ["title", "firm__name"]
    raw_id_fields = ["firm", "created_by"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["request", "talent", "status", "responded_at"]
    list_filter = ["status"]


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ["number", "version", "kind", "talent", "host", "home", "status", "activated_at"]
    list_filter = ["status", "kind"]
    search_fields = ["number", "talent__name", "host__name"]


@admin.register(AgreementSignature)
class AgreementSignatureAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "party", "signed_by", "signed_at", "consent"]


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["talent", "agreement", "starts_at", "ends_at", "hours", "status"]
    list_filter = ["status"]


@admin.register(Timesheet)
class TimesheetAdmin(ReadOnlyAdmin):
    list_display = ["booking", "hours", "approved_hours", "status"]
    list_filter = ["status"]


@admin.register(SubsidyPolicy)
class SubsidyPolicyAdmin(NoDeleteAdmin):
    list_display = ["name", "percentage", "cap_per_firm_year", "annual_budget", "valid_from", "valid_to"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["number", "month", "host", "talent", "gross", "subsidy", "host_pays", "status"]
    list_filter = ["status", "month"]
    search_fields = ["number", "host__name", "talent__name"]


@admin.register(StatementAdjustment)
class StatementAdjustmentAdmin(ReadOnlyAdmin):
    list_display = ["corrects", "amount", "hours", "reason", "applied_to"]


@admin.register(Outcome)
class OutcomeAdmin(NoDeleteAdmin):
    list_display = ["agreement", "rating", "problem_solved", "patent_number", "cost_saved"]
    raw_id_fields = ["agreement", "recorded_by"]
