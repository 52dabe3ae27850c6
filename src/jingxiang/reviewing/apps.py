from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewingConfig(AppConfig):
    name = "jingxiang.reviewing"
    label = "reviewing"
    verbose_name = _("专家评审")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jingxiang.core import navigation
        from jingxiang.core.navigation import NavItem
        from jingxiang.reviewing import handlers, models, permissions  # noqa: F401

        permissions.register_scope(
            permissions.ScopePolicy("reviewing.standalone", permissions.standalone_may_manage, _("专家评审"))
        )
        for model in (
            models.Round,
            models.Criterion,
            models.Submission,
            models.Reviewer,
            models.AssignmentRun,
            models.Assignment,
            models.Score,
        ):
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            auditlog.register(model, exclude_fields=["updated_at", *reverse])
        navigation.register(
            NavItem(
                _("我的评审"),
                "reviewing:mine",
                _("专家评审"),
                order=70,
                visible=permissions.is_reviewer,
                icon="clipboard",
            ),
        )
