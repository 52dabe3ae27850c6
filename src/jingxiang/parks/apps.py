from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParksConfig(AppConfig):
    name = "jingxiang.parks"
    label = "parks"
    verbose_name = _("一城多园")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jingxiang.core import navigation
        from jingxiang.core.navigation import NavItem
        from jingxiang.organisations.permissions import is_operator
        from jingxiang.parks import handlers, models, permissions  # noqa: F401
        from jingxiang.parks.search import register_search

        register_search()
        from jingxiang.jobs.periodic import Periodic, register_periodic

        # Daily: queue the reminder run (idempotent — each lease is reminded once, whatever the date).
        register_periodic(Periodic("parks.lease_reminders", every="daily", run=_enqueue_reminders))
        for model in (
            models.Site,
            models.ParkManager,
            models.Building,
            models.Unit,
            models.Lease,
            models.Incubation,
            models.IncubationReview,
            models.ServiceRequest,
        ):
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            auditlog.register(model, exclude_fields=["updated_at", *reverse])
        navigation.register(
            NavItem(
                _("园区"),
                "parks:sites",
                _("一城多园"),
                order=40,
                visible=lambda user: is_operator(user) or permissions.is_park_manager(user),
                icon="building",
            ),
            NavItem(
                _("租约"), "parks:leases", _("一城多园"), order=41, visible=_uses_parks, icon="file-text"
            ),
            NavItem(
                _("园区服务请求"),
                "parks:requests",
                _("一城多园"),
                order=42,
                visible=_uses_parks,
                icon="clipboard",
            ),
        )


def _enqueue_reminders(day: object) -> object:
    from jingxiang.jobs.services import job_enqueue
    from jingxiang.parks import texts

    return job_enqueue(kind="parks_lease_reminders", title=texts.REMINDERS_TITLE(), created_by=None)


def _uses_parks(user: object) -> bool:
    from jingxiang.organisations.permissions import is_operator
    from jingxiang.parks.models import Lease
    from jingxiang.parks.permissions import is_park_manager

    return is_operator(user) or is_park_manager(user) or Lease.objects.visible_to(user).exists()
