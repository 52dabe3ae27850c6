from functools import partial
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _money_of(field: str, line: Any) -> str:
    return f"¥{getattr(line, field):,.2f}"


class WagenormsConfig(AppConfig):
    name = "jingxiang.wagenorms"
    label = "wagenorms"
    verbose_name = _("能级工资")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jingxiang.core import navigation
        from jingxiang.core.navigation import NavItem
        from jingxiang.core.services import RevealPolicy, register_reveal_policy
        from jingxiang.jobs.periodic import Periodic, register_periodic
        from jingxiang.wagenorms import handlers, models, permissions, services  # noqa: F401

        for model in (
            models.WageAgreement,
            models.AgreementVersion,
            models.NegotiationRound,
            models.RepresentativeVote,
            models.WageReport,
            models.WageLine,
        ):
            auditlog.register(model, exclude_fields=["updated_at"])
        for field in ("total_pay", "shortfall"):
            register_reveal_policy(
                RevealPolicy(
                    models.WageLine,
                    field,
                    permissions.may_reveal_wage,
                    partial(_money_of, field),
                )
            )
        register_periodic(Periodic("wagenorms.renewal", every="daily", run=services.renewal_remind, hour=6))
        section = _("能级工资")
        navigation.register(
            NavItem(_("能级工资协议"), "wagenorms:agreements", section, order=70, icon="signature"),
            NavItem(
                _("合规情况"),
                "wagenorms:compliance",
                section,
                order=71,
                visible=permissions.sees_aggregates,
                icon="dashboard",
            ),
            NavItem(
                _("工资报表"),
                "wagenorms:reports",
                section,
                order=72,
                visible=permissions.sees_wage_pages,
                icon="yen",
            ),
            NavItem(
                _("工资统计"),
                "wagenorms:statistics",
                section,
                order=73,
                visible=lambda user: permissions.sees_wage_pages(user) or permissions.sees_aggregates(user),
                icon="percent",
            ),
            NavItem(_("工资自查"), "wagenorms:self_check", section, order=74, icon="check"),
            NavItem(
                _("我的工资核查"),
                "wagenorms:me",
                _("常用"),
                order=8,
                visible=permissions.is_worker,
                icon="id-card",
            ),
        )
