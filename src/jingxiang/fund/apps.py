from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "jingxiang.fund"
    verbose_name = _("人才科创基金")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jingxiang.core import navigation
        from jingxiang.core.documents import VerificationKind, register_verification
        from jingxiang.core.navigation import NavItem
        from jingxiang.fund import models, permissions
        from jingxiang.fund.documents import VERIFY_KIND, award_lookup

        def register(model: Any, *extra: str) -> None:
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            auditlog.register(model, exclude_fields=[*reverse, "updated_at", *extra])

        for model in (
            models.TalentTier,
            models.EliteGrade,
            models.Fund,
            models.FundCall,
            models.CallRule,
            models.ReviewCriterion,
            models.FundReviewer,
            models.FundApplication,
            models.TeamMember,
            models.IPItem,
            models.Attachment,
            models.DiligenceItem,
            models.Appeal,
            models.Award,
            models.Tranche,
            models.ProgressReport,
            models.Recovery,
        ):
            register(model)
        from django.urls import reverse

        from jingxiang.fund.review import DEFENCE_SCOPE, EXPERT_SCOPE, REHEARING_SCOPE
        from jingxiang.reviewing.permissions import ScopePolicy, register_scope

        # The fund's review rounds are run by the fund managers (operators); experts score through the
        # review block's own pages ("我的评审").
        for scope in (EXPERT_SCOPE, DEFENCE_SCOPE):
            register_scope(
                ScopePolicy(
                    scope,
                    may_manage=lambda user, object_id: permissions.is_fund_manager(user),
                    label=_("人才科创基金"),
                    owner_url=lambda object_id: reverse("fund:call", args=[object_id]) if object_id else "",
                )
            )
        register_scope(
            ScopePolicy(
                REHEARING_SCOPE,
                may_manage=lambda user, object_id: permissions.is_fund_manager(user),
                label=_("人才科创基金"),
                owner_url=lambda object_id: (
                    reverse("fund:application", args=[object_id]) if object_id else ""
                ),
            )
        )
        title: Any = _("人才科创基金资助协议")
        register_verification(VerificationKind(VERIFY_KIND, title, award_lookup))
        navigation.register(
            NavItem(
                _("人才科创基金"),
                "fund:calls",
                _("人才"),
                order=45,
                visible=lambda user: permissions.may_see_fund(user),
                icon="award",
            ),
            NavItem(
                _("基金申请"),
                "fund:applications",
                _("人才"),
                order=46,
                visible=permissions.may_see_fund,
                icon="mail",
            ),
            NavItem(
                _("资助协议"),
                "fund:awards",
                _("人才"),
                order=48,
                visible=lambda user: permissions.is_fund_manager(user) or permissions.may_apply(user),
                icon="file-text",
            ),
            NavItem(
                _("基金台账"),
                "fund:funds",
                _("人才"),
                order=49,
                visible=permissions.is_fund_manager,
                icon="yen",
            ),
        )
