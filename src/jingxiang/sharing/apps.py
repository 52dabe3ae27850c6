from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "jingxiang.sharing"
    verbose_name = _("互聘共享")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jingxiang.core import navigation
        from jingxiang.core.documents import VerificationKind, register_verification
        from jingxiang.core.navigation import NavItem
        from jingxiang.organisations.permissions import is_operator
        from jingxiang.sharing import documents, handlers, models, permissions  # noqa: F401

        for model in (
            models.SharingProfile,
            models.AvailabilityWindow,
            models.AvailabilityException,
            models.SharingRequest,
            models.Invitation,
            models.Agreement,
            models.AgreementSignature,
            models.Booking,
            models.Timesheet,
            models.SubsidyPolicy,
            models.Statement,
            models.StatementLine,
            models.StatementAdjustment,
            models.Outcome,
        ):
            # Reverse relations are not fields of the record; the text and its hash never change after creation
            # and are shown (and verified) on the agreement itself.
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            auditlog.register(
                model, exclude_fields=["updated_at", "text", "text_sha256", "verification_code", *reverse]
            )
        register_verification(VerificationKind("agreement", _("共享用工协议"), documents.agreement_lookup))
        register_verification(VerificationKind("statement", _("共享用工结算单"), documents.statement_lookup))
        navigation.register(
            NavItem(_("共享人才库"), "sharing:pool", _("互聘共享"), order=20, icon="swap"),
            NavItem(
                _("共享需求"),
                "sharing:requests",
                _("互聘共享"),
                order=21,
                visible=permissions.uses_sharing,
                icon="pencil",
            ),
            NavItem(
                _("共享协议"),
                "sharing:agreements",
                _("互聘共享"),
                order=22,
                visible=permissions.uses_sharing,
                icon="signature",
            ),
            NavItem(
                _("预约与工时"),
                "sharing:bookings",
                _("互聘共享"),
                order=23,
                visible=permissions.uses_sharing,
                icon="clock",
            ),
            NavItem(
                _("结算单"),
                "sharing:statements",
                _("互聘共享"),
                order=24,
                visible=permissions.uses_sharing,
                icon="yen",
            ),
            NavItem(
                _("我的共享"), "sharing:me", _("常用"), order=7, visible=permissions.is_talent, icon="id-card"
            ),
            NavItem(
                _("共享驿站看板"),
                "sharing:dashboard",
                _("运营"),
                order=61,
                visible=is_operator,
                icon="dashboard",
            ),
            NavItem(
                _("补贴政策"), "sharing:subsidies", _("运营"), order=62, visible=is_operator, icon="percent"
            ),
        )
        navigation.register_attention(permissions.attention_cards)
