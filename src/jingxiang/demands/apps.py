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

        auditlog.register(models.Demand, exclude_fields=["updated_at", "ranking", "ranked_at"])
        auditlog.register(models.DemandAttachment)
        auditlog.register(models.Invitation)
        auditlog.register(models.Proposal)
        auditlog.register(models.KnowledgeVersion, exclude_fields=["content"])
        auditlog.register(models.Challenge)
        auditlog.register(models.ChallengeCriterion)
        auditlog.register(models.ChallengeApplication)
        auditlog.register(models.ChallengeReviewer)
        auditlog.register(models.ChallengeScore)
        auditlog.register(models.ChallengeMilestone)

        register_verification(
            VerificationKind("challenge", _("揭榜挂帅中榜通知书"), permissions.challenge_verification)
        )
        navigation.register(
            NavItem(_("需求大厅"), "demands:list", _("需求对接"), order=30, icon="◎"),
            NavItem(
                _("可承接的需求"),
                "demands:for_me",
                _("需求对接"),
                order=31,
                visible=permissions.is_supplier,
                icon="✚",
            ),
            NavItem(_("揭榜挂帅"), "demands:challenges", _("需求对接"), order=32, icon="⚑"),
            NavItem(
                _("需求审核看板"),
                "demands:board",
                _("运营"),
                order=62,
                visible=permissions.is_operator,
                icon="▦",
            ),
            NavItem(
                _("匹配知识表"),
                "demands:knowledge",
                _("运营"),
                order=63,
                visible=permissions.is_operator,
                icon="⚙",
            ),
        )
        navigation.register_attention(permissions.attention_cards)
