from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentsConfig(AppConfig):
    name = "jingxiang.talents"
    verbose_name = _("人才")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jingxiang.core import navigation
        from jingxiang.core.imports import register_spec
        from jingxiang.core.navigation import NavItem
        from jingxiang.core.services import RevealPolicy, register_reveal_policy
        from jingxiang.talents import permissions
        from jingxiang.talents.imports import TalentImport
        from jingxiang.talents.models import Skill, SkillDomain, Talent, TalentSkill

        auditlog.register(
            Talent, exclude_fields=["search_text", "updated_at"], mask_fields=["mobile", "resident_id"]
        )
        auditlog.register(TalentSkill)
        auditlog.register(Skill)
        auditlog.register(SkillDomain)
        register_spec(TalentImport())
        register_reveal_policy(
            RevealPolicy(Talent, "mobile", permissions.may_reveal_personal, lambda talent: talent.mobile)
        )
        register_reveal_policy(
            RevealPolicy(
                Talent, "resident_id", permissions.may_reveal_personal, lambda talent: talent.resident_id
            )
        )
        navigation.register(
            NavItem(_("人才名录"), "talents:list", _("名录"), order=11, icon="users"),
            NavItem(_("技能目录"), "talents:skills", _("名录"), order=12, icon="list"),
            NavItem(
                _("我的人才档案"),
                "talents:me",
                _("常用"),
                order=6,
                visible=permissions.has_talent_profile,
                icon="id-card",
            ),
        )
