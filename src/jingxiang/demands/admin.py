from django.contrib import admin

from jingxiang.demands.models import (
    Challenge,
    ChallengeApplication,
    ChallengeCriterion,
    ChallengeMilestone,
    ChallengeReviewer,
    Demand,
    DemandAttachment,
    Invitation,
    KnowledgeVersion,
    MatchFeedback,
    Proposal,
)


class NoDelete(admin.ModelAdmin):
    """Business records are archived, never deleted: history and references must survive."""

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class AttachmentInline(admin.TabularInline):
    model = DemandAttachment
    extra = 0
    can_delete = False
    readonly_fields = ["name", "size", "uploaded_by", "created_at"]
    fields = readonly_fields


@admin.register(Demand)
class DemandAdmin(NoDelete):
    list_display = [
        "title",
        "organisation",
        "category",
        "status",
        "visibility",
        "submitted_at",
        "archived_at",
    ]
    list_filter = ["status", "category", "visibility"]
    search_fields = ["title", "description", "organisation__name"]
    raw_id_fields = [
        "organisation",
        "created_by",
        "screened_by",
        "duplicate_of",
        "merged_into",
        "matched_proposal",
    ]
    readonly_fields = ["ranking", "ranked_at"]
    inlines = [AttachmentInline]


@admin.register(Invitation)
class InvitationAdmin(NoDelete):
    list_display = ["demand", "talent", "organisation", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["demand", "talent", "organisation", "invited_by", "responded_by"]


@admin.register(Proposal)
class ProposalAdmin(NoDelete):
    list_display = ["demand", "talent", "organisation", "status", "price", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["demand", "invitation", "talent", "organisation", "submitted_by", "decided_by"]


@admin.register(MatchFeedback)
class MatchFeedbackAdmin(NoDelete):
    list_display = ["demand", "supplier_key", "kind", "rating", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["demand"]


@admin.register(KnowledgeVersion)
class KnowledgeVersionAdmin(NoDelete):
    list_display = ["document", "version", "status", "note", "created_by", "activated_at"]
    list_filter = ["document", "status"]
    readonly_fields = ["document", "version", "content", "created_by", "activated_at", "status"]


class CriterionInline(admin.TabularInline):
    model = ChallengeCriterion
    extra = 0
    can_delete = False


class MilestoneInline(admin.TabularInline):
    model = ChallengeMilestone
    extra = 0
    can_delete = False
    raw_id_fields = ["accepted_by"]


@admin.register(Challenge)
class ChallengeAdmin(NoDelete):
    list_display = ["title", "award_amount", "deadline", "status", "archived_at"]
    list_filter = ["status"]
    raw_id_fields = ["demand", "created_by", "winner"]
    inlines = [CriterionInline, MilestoneInline]


@admin.register(ChallengeApplication)
class ChallengeApplicationAdmin(NoDelete):
    list_display = ["challenge", "talent", "organisation", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["challenge", "talent", "organisation", "submitted_by"]


@admin.register(ChallengeReviewer)
class ChallengeReviewerAdmin(NoDelete):
    list_display = ["challenge", "user", "created_at"]
    raw_id_fields = ["challenge", "user", "invited_by"]
