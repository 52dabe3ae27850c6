from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitionConfig(AppConfig):
    name = "jingxiang.competition"
    label = "competition"
    verbose_name = _("人才创业创新大赛")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.apps import apps

        if apps.is_installed("jingxiang.fund"):
            # A winner is invited to the talent fund with the entry's data carried over.
            from jingxiang.competition.carryover import fund_source
            from jingxiang.fund.carryover import register_source

            register_source("competition", fund_source)
        from django.urls import reverse

        from jingxiang.competition import models, permissions
        from jingxiang.competition.search import register_search

        register_search()  # picker sources: judges, committee members
        from jingxiang.competition.documents import VERIFY_KIND, award_lookup
        from jingxiang.core import navigation
        from jingxiang.core.documents import VerificationKind, register_verification
        from jingxiang.core.navigation import NavItem
        from jingxiang.reviewing.permissions import ScopePolicy, register_scope

        register_scope(
            ScopePolicy(
                "competition.stage",
                permissions.stage_may_manage,
                _("人才创业创新大赛"),
                owner_url=lambda stage_id: reverse("competition:stage", args=[stage_id]) if stage_id else "",
            )
        )
        register_verification(VerificationKind(VERIFY_KIND, _("大赛获奖证书"), award_lookup))
        for model in (
            models.Edition,
            models.Organiser,
            models.Track,
            models.Entry,
            models.Attachment,
            models.Stage,
            models.StageEntry,
            models.Award,
        ):
            reverse_fields = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            auditlog.register(model, exclude_fields=["updated_at", *reverse_fields])
        navigation.register(
            NavItem(_("创新创业大赛"), "competition:home", _("人才创业创新大赛"), order=72, icon="award"),
            NavItem(
                _("我的参赛"),
                "competition:mine",
                _("人才创业创新大赛"),
                order=73,
                visible=permissions.is_team,
                icon="file-text",
            ),
            NavItem(
                _("现场评分"),
                "competition:judging",
                _("人才创业创新大赛"),
                order=74,
                visible=permissions.is_live_judge,
                icon="clipboard",
            ),
        )
