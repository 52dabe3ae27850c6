from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxfreeConfig(AppConfig):
    name = "jingxiang.taxfree"
    label = "taxfree"
    verbose_name = _("离境退税")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jingxiang.core import navigation
        from jingxiang.core.documents import VerificationKind, register_verification
        from jingxiang.core.imports import register_spec
        from jingxiang.core.navigation import NavItem
        from jingxiang.jobs.periodic import Periodic, register_periodic
        from jingxiang.taxfree import documents, handlers, imports, permissions
        from jingxiang.taxfree.models import (
            Good,
            RefundAgency,
            RefundForm,
            Store,
            StoreStaff,
            TaxOffice,
            Verification,
        )

        for model in (Store, StoreStaff, Good, RefundForm, Verification, RefundAgency, TaxOffice):
            auditlog.register(model, exclude_fields=["updated_at"])
        # The title stays lazy so the public page reads it in the viewer's language.
        title: Any = _("离境退税申请单")
        register_verification(VerificationKind("taxfree", title, documents.form_lookup))
        register_spec(imports.VerificationImport())
        register_periodic(Periodic("taxfree.recovery", every="daily", run=handlers.daily_recovery, hour=6))

        section = _("离境退税")
        navigation.register(
            NavItem(
                _("退税商店"),
                "taxfree:store_list",
                section,
                order=60,
                visible=permissions.uses_taxfree,
                icon="tag",
            ),
            NavItem(
                _("退税申请单"),
                "taxfree:form_list",
                section,
                order=61,
                visible=permissions.sees_reports,
                icon="file-text",
            ),
            NavItem(
                _("代理机构"),
                "taxfree:agency",
                section,
                order=62,
                visible=permissions.is_agency,
                icon="gauge",
            ),
            NavItem(
                _("退税报表"),
                "taxfree:reports",
                section,
                order=63,
                visible=permissions.sees_reports,
                icon="trend",
            ),
        )
