from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "jingxiang.recruitment"
    verbose_name = _("校园招聘")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jingxiang.core import navigation
        from jingxiang.core.documents import VerificationKind, register_verification
        from jingxiang.core.navigation import NavItem
        from jingxiang.core.services import RevealPolicy, register_reveal_policy
        from jingxiang.jobs.periodic import Periodic, register_periodic
        from jingxiang.recruitment import (
            handlers,  # noqa: F401  (registers the scheduler job kind)
            permissions,
            services,
        )
        from jingxiang.recruitment.documents import offer_lookup
        from jingxiang.recruitment.models import (
            Application,
            ClassTime,
            Fair,
            FairFirm,
            Job,
            ScheduleRun,
            Student,
        )

        def register(model: Any, *extra: str) -> None:
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            auditlog.register(model, exclude_fields=[*reverse, "updated_at", *extra])

        register(Fair)
        register(FairFirm)
        register(Job)
        register(Student, "mobile", "resident_id")
        register(ClassTime)
        register(Application, "offer_code")
        register(ScheduleRun, "unscheduled")
        register_reveal_policy(
            RevealPolicy(Student, "mobile", permissions.may_reveal_student, lambda s: s.mobile)
        )
        register_reveal_policy(
            RevealPolicy(Student, "resident_id", permissions.may_reveal_student, lambda s: s.resident_id)
        )
        title: Any = _("录用通知书")  # shown in the reader's language
        register_verification(VerificationKind("recruitment-offer", title, offer_lookup))
        register_periodic(
            Periodic("recruitment.retention", every="daily", run=services.retention_remind, hour=6)
        )
        navigation.register(
            NavItem(
                _("校园招聘"),
                "recruitment:fairs",
                _("人才"),
                order=40,
                visible=permissions.may_see_recruitment,
                icon="users",
            ),
            NavItem(
                _("求职申请"),
                "recruitment:applications",
                _("人才"),
                order=41,
                visible=permissions.may_see_recruitment,
                icon="mail",
            ),
            NavItem(
                _("我的求职"),
                "recruitment:mine",
                _("人才"),
                order=42,
                visible=lambda user: permissions.student_of(user) is not None,
                icon="mail",
            ),
        )
