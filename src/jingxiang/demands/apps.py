from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _after_commit(function, pk):  # type: ignore[no-untyped-def]
    from django.db import transaction

    transaction.on_commit(lambda: function(pk))


def _talent_changed(sender, instance, **kwargs):  # type: ignore[no-untyped-def]
    from jingxiang.demands.warm import refresh_talent

    _after_commit(refresh_talent, instance.pk)


def _talent_skill_changed(sender, instance, **kwargs):  # type: ignore[no-untyped-def]
    from jingxiang.demands.warm import refresh_talent

    _after_commit(refresh_talent, instance.talent_id)


def _organisation_changed(sender, instance, **kwargs):  # type: ignore[no-untyped-def]
    from jingxiang.demands.warm import refresh_organisation

    _after_commit(refresh_organisation, instance.pk)


class DemandsConfig(AppConfig):
    name = "jingxiang.demands"
    verbose_name = _("需求对接")

    def ready(self) -> None:
        from jingxiang.demands.search import register_search

        register_search()  # global-search kinds and picker sources
        from auditlog.registry import auditlog
        from django.db.models.signals import post_delete, post_save

        from jingxiang.core import navigation
        from jingxiang.core.documents import VerificationKind, register_verification
        from jingxiang.core.navigation import NavItem
        from jingxiang.demands import handlers, models, permissions  # noqa: F401 - registers job handlers
        from jingxiang.organisations.models import Organisation
        from jingxiang.talents.models import Talent, TalentSkill

        # Signals only keep the warm matching index in step (cache invalidation); no business writes.
        post_save.connect(_talent_changed, sender=Talent, dispatch_uid="demands_talent_index")
        post_save.connect(_talent_skill_changed, sender=TalentSkill, dispatch_uid="demands_skill_index")
        post_delete.connect(_talent_skill_changed, sender=TalentSkill, dispatch_uid="demands_skill_index_del")
        post_save.connect(_organisation_changed, sender=Organisation, dispatch_uid="demands_org_index")

        # Only the fields people decide on: the timeline reads as the story of the workflow.
        auditlog.register(
            models.Demand,
            include_fields=[
                "status",
                "archived_at",
                "title",
                "category",
                "description",
                "budget",
                "deadline",
                "hours_needed",
                "region",
                "visibility",
                "return_reason",
                "duplicate_of",
                "merged_into",
                "matched_proposal",
                "solved",
                "outcome_notes",
                "rating",
            ],
        )
        auditlog.register(models.DemandAttachment, include_fields=["name", "size"])
        auditlog.register(
            models.Invitation, include_fields=["demand", "talent", "organisation", "status", "decline_reason"]
        )
        auditlog.register(
            models.Proposal,
            include_fields=["demand", "talent", "organisation", "status", "price", "decision_reason"],
        )
        auditlog.register(models.KnowledgeVersion, include_fields=["document", "version", "note", "status"])
        auditlog.register(
            models.Challenge,
            include_fields=[
                "title",
                "award_amount",
                "deadline",
                "ip_terms",
                "deliverables",
                "status",
                "winner",
                "winner_reason",
                "outcome_notes",
            ],
        )
        auditlog.register(models.ChallengeCriterion, include_fields=["name", "weight"])
        auditlog.register(
            models.ChallengeApplication, include_fields=["challenge", "talent", "organisation", "status"]
        )
        auditlog.register(models.ChallengeReviewer, include_fields=["challenge", "user"])
        auditlog.register(models.ChallengeScore, include_fields=["application", "criterion", "score"])
        auditlog.register(
            models.ChallengeMilestone,
            include_fields=[
                "title",
                "due_date",
                "payment",
                "status",
                "acceptance_note",
                "paid_at",
                "payment_reference",
            ],
        )

        register_verification(
            VerificationKind("challenge", _("揭榜挂帅中榜通知书"), permissions.challenge_verification)
        )
        navigation.register(
            NavItem(_("需求大厅"), "demands:list", _("需求对接"), order=30, icon="target"),
            NavItem(
                _("可承接的需求"),
                "demands:for_me",
                _("需求对接"),
                order=31,
                visible=permissions.is_supplier,
                icon="briefcase",
            ),
            NavItem(_("揭榜挂帅"), "demands:challenges", _("需求对接"), order=32, icon="flag"),
            NavItem(
                _("需求审核看板"),
                "demands:board",
                _("运营"),
                order=62,
                visible=permissions.is_operator,
                icon="kanban",
            ),
            NavItem(
                _("匹配知识表"),
                "demands:knowledge",
                _("运营"),
                order=63,
                visible=permissions.is_operator,
                icon="table",
            ),
        )
        navigation.register_attention(permissions.attention_cards)
