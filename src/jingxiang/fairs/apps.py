from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairsConfig(AppConfig):
    name = "jingxiang.fairs"
    label = "fairs"
    verbose_name = _("眼镜展")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jingxiang.core import navigation
        from jingxiang.core.documents import VerificationKind, register_verification
        from jingxiang.core.navigation import NavItem
        from jingxiang.core.services import RevealPolicy, register_reveal_policy
        from jingxiang.fairs import handlers, models, permissions  # noqa: F401  (job kinds)
        from jingxiang.fairs.documents import BADGE_KIND, REPORT_KIND, badge_lookup, report_lookup

        for model in (
            models.Fair,
            models.Hall,
            models.Booth,
            models.ExhibitorApplication,
            models.BoothPreference,
            models.Allocation,
            models.Buyer,
            models.Lead,
            models.BuyerLink,
            models.ReportIssue,
        ):
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            auditlog.register(model, exclude_fields=["updated_at", "badge_code", "token", *reverse])
        # The title stays lazy so the public page reads it in the viewer's language.
        title: Any = _("采购商胸卡")
        register_verification(VerificationKind(BADGE_KIND, title, badge_lookup))
        report_title: Any = _("参展商报告")
        register_verification(VerificationKind(REPORT_KIND, report_title, report_lookup))
        register_reveal_policy(
            RevealPolicy(
                models.Buyer,
                "mobile",
                lambda user, buyer: permissions.may_see_buyers(user),
                lambda b: b.mobile,
            )
        )
        navigation.register(
            NavItem(
                _("眼镜展"), "fairs:list", _("对接"), order=35, visible=permissions.uses_fairs, icon="glasses"
            ),
        )
