from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _contribute_to_matching(models: Any) -> None:
    """Open demands, feedback and the operators' knowledge tables feed the shared matching index."""
    from jingxiang.demands import selectors, services
    from jingxiang.matchindex import registry

    registry.register(
        registry.Contribution(
            name="demands",
            watched=(
                # Ranking columns written back by the re-rank job are not read by the index.
                registry.Watched(
                    models.Demand,
                    registry.DEMANDS,
                    frozenset(
                        {
                            "status",
                            "archived_at",
                            "organisation",
                            "organisation_id",
                            "title",
                            "description",
                            "category",
                            "region",
                            "hours_needed",
                        }
                    ),
                ),
                registry.Watched(models.MatchFeedback, registry.FEEDBACK),
                registry.Watched(models.KnowledgeVersion, registry.KNOWLEDGE),
            ),
            demands=selectors.open_demand_records,
            feedback=registry.FeedbackSource(state=selectors.feedback_state, after=selectors.feedback_after),
            knowledge=registry.KnowledgeSource(
                key=selectors.knowledge_key,
                active=selectors.active_overrides,
                candidate=selectors.knowledge_candidate,
                activate=lambda pk: services.knowledge_version_activate(version_id=pk),
                reject=lambda pk: services.knowledge_version_reject(version_id=pk),
                result_url="demands:knowledge",
            ),
            categories={str(code): name for code, name in models.ENGINE_CATEGORY.items()},
        )
    )


class DemandsConfig(AppConfig):
    name = "jingxiang.demands"
    verbose_name = _("需求对接")

    def ready(self) -> None:
        from jingxiang.demands.search import register_search

        register_search()  # global-search kinds and picker sources
        from auditlog.registry import auditlog

        from jingxiang.core import navigation
        from jingxiang.core.documents import VerificationKind, register_verification
        from jingxiang.core.navigation import NavItem
        from jingxiang.demands import documents, handlers, models, permissions  # noqa: F401 - registers job handlers

        _contribute_to_matching(models)

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
            VerificationKind("challenge", _("揭榜挂帅中榜通知书"), documents.challenge_lookup)
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
