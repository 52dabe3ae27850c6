from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "jingxiang.events"
    verbose_name = _("需求对接会")

    def ready(self) -> None:
        from jingxiang.events.search import register_search

        register_search()  # global-search kinds and picker sources
        from auditlog.registry import auditlog

        from jingxiang.core import navigation
        from jingxiang.core.documents import VerificationKind, register_verification
        from jingxiang.core.navigation import NavItem
        from jingxiang.events import (
            handlers,  # noqa: F401  (registers the scheduler job kind)
            permissions,
        )
        from jingxiang.events.documents import agenda_lookup
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

        def register(model: type, *extra: str) -> None:
            # Reverse relations are not changes of the record; leaving them in fills the timeline with noise.
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            auditlog.register(model, exclude_fields=[*reverse, "updated_at", *extra])

        register(Event)
        register(Session)
        register(EventTable)
        register(Participant, "checkin_code", "agenda_code")
        register(Meeting)
        register(ScheduleRun, "instance", "result", "violations")
        register(Feedback)
        register(FollowUp)
        register_verification(VerificationKind("event-agenda", _("对接会日程"), agenda_lookup))
        navigation.register(
            NavItem(_("需求对接会"), "events:list", _("对接"), order=30, icon="chat"),
            NavItem(
                _("我的洽谈预约"),
                "events:requests",
                _("对接"),
                order=31,
                visible=permissions.may_register,
                icon="mail",
            ),
        )
        navigation.register_attention(permissions.attention_cards)
