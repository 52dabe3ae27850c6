from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "jingxiang.insights"
    verbose_name = _("三链融合指标")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.utils.module_loading import autodiscover_modules

        from jingxiang.core import navigation
        from jingxiang.core.documents import VerificationKind, register_verification
        from jingxiang.core.navigation import NavItem
        from jingxiang.insights import documents, handlers, models, permissions
        from jingxiang.jobs.periodic import Periodic, register_periodic

        # Each app that owns records declares its sources in <app>/indicators.py.
        autodiscover_modules("indicators")
        for model in (
            models.SnapshotRun,
            models.IndicatorTarget,
            models.MonthlyReport,
            models.ReportSubscription,
        ):
            auditlog.register(model)
        register_verification(
            VerificationKind("insights-report", _("三链融合月度报告"), documents.report_lookup)
        )
        register_periodic(
            Periodic("insights.monthly_report", every="monthly", run=handlers.monthly_duty, hour=2)
        )
        navigation.register(
            NavItem(
                _("三链融合看板"),
                "insights:dashboard",
                _("三链融合"),
                order=60,
                visible=permissions.uses_insights,
                icon="bar-chart",
            ),
        )
