from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchIndexConfig(AppConfig):
    name = "jingxiang.matchindex"
    verbose_name = _("匹配索引")

    def ready(self) -> None:
        from jingxiang.matchindex import handlers  # noqa: F401 - registers the rebuild job
        from jingxiang.matchindex.registry import SUPPLIERS, Contribution, Watched, register
        from jingxiang.organisations.models import Organisation
        from jingxiang.talents.models import Talent, TalentSkill

        # The supply side comes from the foundation, so this app contributes it itself. The receivers only
        # keep the warm index in step (cache invalidation); no business writes.
        register(
            Contribution(
                name="suppliers",
                watched=(
                    Watched(Talent, SUPPLIERS),
                    Watched(TalentSkill, SUPPLIERS),
                    Watched(Organisation, SUPPLIERS),
                ),
            )
        )
