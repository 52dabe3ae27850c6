from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabConfig(AppConfig):
    name = "jingxiang.lab"
    verbose_name = _("质量检测")

    def ready(self) -> None:
        from jingxiang.lab.search import register_search

        register_search()  # global-search kinds and picker sources
        from auditlog.registry import auditlog

        from jingxiang.core import navigation
        from jingxiang.core.documents import VerificationKind, register_verification
        from jingxiang.core.navigation import NavItem
        from jingxiang.lab import documents, handlers, imports, permissions  # noqa: F401 - handlers registers the job kind
        from jingxiang.lab.models import (
            BrandAuthorisation,
            FieldTest,
            Instrument,
            LabProfile,
            ProductLine,
            Report,
            RuleConfirmation,
            RulesFile,
            Sample,
            TestRequest,
        )

        # Reverse relations are left out: the timeline shows the record's own changes.
        auditlog.register(TestRequest, exclude_fields=["updated_at", "samples"])
        auditlog.register(
            Sample,
            exclude_fields=["updated_at", "verdict", "nominal", "measured", "custody_events", "reports"],
        )
        auditlog.register(Report, exclude_fields=["updated_at", "verdict", "result_items", "supersedes"])
        auditlog.register(Instrument, exclude_fields=["updated_at"])
        auditlog.register(RulesFile, exclude_fields=["updated_at", "text"])
        auditlog.register(
            ProductLine,
            exclude_fields=["updated_at", "test_requests", "reports", "brand_authorisations", "field_tests"],
        )
        auditlog.register(BrandAuthorisation, exclude_fields=["updated_at"])
        auditlog.register(FieldTest, exclude_fields=["updated_at"])
        auditlog.register(LabProfile, exclude_fields=["updated_at"])
        auditlog.register(RuleConfirmation, exclude_fields=["updated_at"])

        register_verification(
            VerificationKind(
                "report", _("检验检测报告"), documents.report_lookup, template="lab/verify_report.html"
            )
        )
        register_verification(VerificationKind("brand", _("“杜桥眼镜”区域品牌授权"), documents.brand_lookup))

        section = _("质量检测")
        navigation.register(
            NavItem(
                _("检测委托"),
                "lab:request_list",
                section,
                order=40,
                visible=permissions.uses_lab,
                icon="flask",
            ),
            NavItem(
                _("样品工作台"),
                "lab:sample_list",
                section,
                order=41,
                visible=permissions.is_lab_staff,
                icon="vial",
            ),
            NavItem(
                _("检测报告"),
                "lab:report_list",
                section,
                order=42,
                visible=permissions.uses_lab,
                icon="file-text",
            ),
            NavItem(
                _("质量画像"),
                "lab:quality",
                section,
                order=43,
                visible=permissions.sees_quality,
                icon="trend",
            ),
            NavItem(
                _("产品线"),
                "lab:product_line_list",
                section,
                order=44,
                visible=permissions.uses_lab,
                icon="glasses",
            ),
            NavItem(
                _("杜桥眼镜品牌"),
                "lab:brand_list",
                section,
                order=45,
                visible=permissions.sees_brand,
                icon="tag",
            ),
            NavItem(
                _("仪器台账"),
                "lab:instrument_list",
                section,
                order=46,
                visible=permissions.sees_instruments,
                icon="gauge",
            ),
            NavItem(
                _("标准与规则"),
                "lab:standard_list",
                section,
                order=47,
                visible=permissions.uses_lab,
                icon="book",
            ),
        )
        navigation.register_attention(permissions.attention_cards)
