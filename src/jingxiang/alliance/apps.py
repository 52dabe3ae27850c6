from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    name = "jingxiang.alliance"
    verbose_name = _("创新联盟")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jingxiang.alliance import (
            handlers,  # noqa: F401  (registers the reminder job kind)
            permissions,
        )
        from jingxiang.alliance.documents import annual_report_lookup, minutes_lookup
        from jingxiang.alliance.models import (
            Agreement,
            AgreementParty,
            Alliance,
            AnnualReport,
            Decision,
            Domain,
            Meeting,
            Member,
            Obligation,
            Output,
            Task,
            TaskNote,
        )
        from jingxiang.alliance.search import register_search
        from jingxiang.core import navigation
        from jingxiang.core.documents import VerificationKind, register_verification
        from jingxiang.core.navigation import NavItem
        from jingxiang.core.services import RevealPolicy, register_reveal_policy

        register_search()

        def register(model: Any, *extra: str, m2m: tuple[str, ...] = ()) -> None:
            # Reverse relations are not changes of the record; leaving them in fills the timeline with noise.
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            auditlog.register(model, exclude_fields=[*reverse, "updated_at", *extra], m2m_fields=set(m2m))

        register(Alliance)
        register(Member)
        register(Domain, m2m=("members",))
        register(Task)
        register(TaskNote)
        register(Output)
        register(Meeting, m2m=("attendees",))
        register(Decision)
        register(Agreement)
        register(AgreementParty)
        register(Obligation, "reminded_due_at", "reminded_overdue_at")
        register(AnnualReport, "figures")

        register_reveal_policy(
            RevealPolicy(
                Member,
                "contact_mobile",
                lambda user, member: permissions.is_secretariat(user, member.alliance),
                lambda member: member.contact_mobile,
            )
        )
        register_verification(
            VerificationKind("alliance-report", _("联盟年度工作报告"), annual_report_lookup)
        )
        register_verification(VerificationKind("alliance-minutes", _("联盟会议纪要"), minutes_lookup))
        navigation.register(
            NavItem(
                _("创新联盟"),
                "alliance:home",
                _("对接"),
                order=40,
                visible=permissions.may_see_workspace,
                icon="flag",
            ),
        )
        navigation.register_attention(permissions.attention_cards)

        from jingxiang.alliance import services
        from jingxiang.jobs.periodic import Periodic, register_periodic

        # Once a day: obligations due soon remind their owner once, overdue ones the secretariat once.
        register_periodic(
            Periodic(
                "alliance.obligation_reminders",
                every="daily",
                run=lambda due: services.obligation_reminders_send(today=due),
                hour=7,
            )
        )
