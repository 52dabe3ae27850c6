from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "jingxiang.services"
    label = "services"
    verbose_name = _("专业服务")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jingxiang.core import navigation
        from jingxiang.core.navigation import NavItem
        from jingxiang.organisations.permissions import is_operator
        from jingxiang.services import models, permissions
        from jingxiang.services.search import register_search

        register_search()
        for model in (
            models.ProviderStaff,
            models.Service,
            models.Order,
            models.Milestone,
            models.Consultation,
            models.VoucherProgramme,
            models.Voucher,
            models.VoucherClaim,
        ):
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            auditlog.register(model, exclude_fields=["updated_at", "search_text", *reverse])
        navigation.register(
            NavItem(_("服务市场"), "services:service_list", _("专业服务"), order=30, icon="briefcase"),
            NavItem(
                _("服务订单"),
                "services:order_list",
                _("专业服务"),
                order=31,
                visible=_uses_orders,
                icon="list",
            ),
            NavItem(
                _("订单簿"),
                "services:order_book",
                _("专业服务"),
                order=32,
                visible=permissions.is_provider_staff,
                icon="kanban",
            ),
            NavItem(_("共享人才智库"), "services:think_tank", _("专业服务"), order=33, icon="chat"),
            NavItem(
                _("创新券"),
                "services:voucher_list",
                _("专业服务"),
                order=34,
                visible=_uses_vouchers,
                icon="yen",
            ),
            NavItem(
                _("创新券兑付"),
                "services:claim_list",
                _("专业服务"),
                order=35,
                visible=lambda user: is_operator(user) or permissions.is_provider_staff(user),
                icon="check-circle",
            ),
        )


def _uses_orders(user: object) -> bool:
    from jingxiang.organisations.permissions import is_operator
    from jingxiang.services.permissions import is_provider_staff, may_order

    return is_operator(user) or may_order(user) or is_provider_staff(user)


def _uses_vouchers(user: object) -> bool:
    from jingxiang.organisations.permissions import is_operator
    from jingxiang.services.permissions import may_order

    return is_operator(user) or may_order(user)
