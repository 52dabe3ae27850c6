from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademyConfig(AppConfig):
    name = "jingxiang.academy"
    verbose_name = _("工匠学院")

    def ready(self) -> None:
        from jingxiang.academy.search import register_search

        register_search()  # global-search kinds and picker sources
        from auditlog.registry import auditlog

        from jingxiang.academy import handlers, models, permissions  # noqa: F401 - handlers register jobs
        from jingxiang.academy.documents import certificate_lookup, trainee_card_lookup
        from jingxiang.core import navigation
        from jingxiang.core.documents import VerificationKind, register_verification
        from jingxiang.core.navigation import NavItem

        for model in (
            models.Occupation,
            models.OccupationLevel,
            models.SubsidyRule,
            models.Course,
            models.Cohort,
            models.Session,
            models.Enrolment,
            models.Attendance,
            models.Assessment,
            models.Certificate,
            models.TrainingOrder,
            models.OrderParticipant,
            models.Feedback,
            models.Material,
            models.Question,
            models.Quiz,
            models.QuizAttempt,
        ):
            # Concrete fields only: reverse relations are not part of a record's history.
            fields = [f.name for f in model._meta.concrete_fields if f.name != "updated_at"]
            auditlog.register(model, include_fields=fields)
        register_verification(
            VerificationKind(
                "certificate",
                _("职业技能等级证书"),
                certificate_lookup,
                template="academy/verify_certificate.html",
            )
        )
        register_verification(VerificationKind("trainee-card", _("学员签到卡"), trainee_card_lookup))
        section = _("工匠学院")
        navigation.register(
            NavItem(
                _("课程目录"),
                "academy:course_list",
                section,
                order=40,
                visible=permissions.may_browse,
                icon="cap",
            ),
            NavItem(
                _("开班与报名"),
                "academy:cohort_list",
                section,
                order=41,
                visible=permissions.may_browse,
                icon="calendar",
            ),
            NavItem(
                _("学员与报名"),
                "academy:enrolment_list",
                section,
                order=42,
                visible=permissions.may_follow_training,
                icon="users",
            ),
            NavItem(
                _("证书"),
                "academy:certificate_list",
                section,
                order=43,
                visible=permissions.may_follow_training,
                icon="award",
            ),
            NavItem(
                _("订单培养"),
                "academy:order_list",
                section,
                order=44,
                visible=permissions.may_see_orders,
                icon="clipboard",
            ),
            NavItem(
                _("培训统计"),
                "academy:reports",
                section,
                order=45,
                visible=permissions.may_view_reports,
                icon="bar-chart",
            ),
        )
        navigation.register_attention(permissions.attention_cards)
