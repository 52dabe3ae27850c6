from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "jingxiang.organisations"
    verbose_name = _("机构")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jingxiang.core import navigation
        from jingxiang.core.imports import register_spec
        from jingxiang.core.navigation import NavItem
        from jingxiang.core.services import RevealPolicy, register_reveal_policy
        from jingxiang.organisations import permissions
        from jingxiang.organisations.imports import OrganisationImport
        from jingxiang.organisations.models import Membership, Organisation

        auditlog.register(
            Organisation, exclude_fields=["search_text", "updated_at"], mask_fields=["contact_mobile"]
        )
        auditlog.register(Membership)
        register_spec(OrganisationImport())
        register_reveal_policy(
            RevealPolicy(
                Organisation, "contact_mobile", permissions.may_reveal_contact, lambda org: org.contact_mobile
            )
        )
        navigation.register(
            NavItem(_("机构名录"), "organisations:list", _("名录"), order=10, icon="building"),
            NavItem(
                _("入驻审核"),
                "organisations:review_queue",
                _("运营"),
                order=60,
                visible=permissions.is_operator,
                icon="check-circle",
            ),
            NavItem(
                _("本机构"),
                "organisations:mine",
                _("常用"),
                order=5,
                visible=permissions.has_any_membership,
                icon="star",
            ),
        )
        navigation.register_attention(permissions.attention_cards)
        navigation.register_overview(permissions.overview_figures)
