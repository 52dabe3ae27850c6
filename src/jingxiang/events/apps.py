from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "jingxiang.events"
    verbose_name = _("需求对接会")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jingxiang.core import navigation
        from jingxiang.core.documents import VerificationKind, register_verification
        from jingxiang.core.navigation import NavItem
        from jingxiang.events import (
            handlers,  # noqa: F401  (registers the scheduler job kind)
            permissions,
        )
        from jingxiang.events.models import (
            Event,
            EventTable,
            Feedback,
            FollowUp,
            Meeting,
            Participant,
            ScheduleRun,
            Session,
        )
        from jingxiang.events.verification import lookup_agenda

        auditlog.register(Event)
        auditlog.register(Session)
        auditlog.register(EventTable)
        auditlog.register(Participant, exclude_fields=["checkin_code", "agenda_code", "updated_at"])
        auditlog.register(Meeting, exclude_fields=["updated_at"])
        auditlog.register(ScheduleRun, exclude_fields=["instance", "result", "violations", "updated_at"])
        auditlog.register(Feedback)
        auditlog.register(FollowUp)
        register_verification(VerificationKind("event-agenda", str(_("对接会日程")), lookup_agenda))
        navigation.register(
            NavItem(_("需求对接会"), "events:list", _("对接"), order=30, icon="🤝"),
            NavItem(
                _("我的洽谈预约"),
                "events:requests",
                _("对接"),
                order=31,
                visible=permissions.may_register,
                icon="✉",
            ),
        )
        navigation.register_attention(permissions.attention_cards)
