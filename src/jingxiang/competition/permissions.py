"""Who may do what in the competition. Default deny; "not found" and "forbidden" both 404.

* organisers (``Organiser`` rows of an edition) and platform operators run an edition: tracks, stages,
  judges, advancing, awards, results;
* a team (the entry's leader account) sees and edits its own entry only;
* judges score only through the review block, where they see only their own assignments;
* anyone may read the public edition page, register, the hall's scoreboard and the published results.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from jingxiang.competition.models import Edition, Entry, Stage
from jingxiang.organisations.permissions import is_operator


def managed_edition_ids(user: Any) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached: set[int] | None = getattr(user, "_competition_editions", None)
    if cached is None:
        from jingxiang.competition.models import Organiser

        cached = set(Organiser.objects.filter(user=user, active=True).values_list("edition_id", flat=True))
        user._competition_editions = cached
    return cached


def may_manage_edition(user: Any, edition_id: int | None) -> bool:
    if not getattr(user, "is_authenticated", False) or edition_id is None:
        return False
    return is_operator(user) or edition_id in managed_edition_ids(user)


def is_organiser(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (is_operator(user) or managed_edition_ids(user)))


def stage_may_manage(user: Any, stage_id: int | None) -> bool:
    """The review block's policy for ``competition.stage`` rounds."""
    if stage_id is None:
        return False
    edition_id = Stage.objects.filter(pk=stage_id).values_list("edition_id", flat=True).first()
    return may_manage_edition(user, edition_id)


def public_edition(slug: str) -> Edition:
    edition: Edition | None = Edition.objects.active().filter(slug=slug).first()
    if edition is None:
        raise Http404
    return edition


def access_edition(user: Any, slug: str) -> Edition:
    edition = public_edition(slug)
    if not may_manage_edition(user, edition.pk):
        raise Http404
    return edition


def access_stage(user: Any, pk: int) -> Stage:
    stage: Stage | None = Stage.objects.select_related("edition", "round").filter(pk=pk).first()
    if stage is None or not may_manage_edition(user, stage.edition_id):
        raise Http404
    return stage


def access_entry(user: Any, pk: int) -> Entry:
    """The team, the edition's organisers and operators; a judge assigned to the entry reads it too."""
    entry: Entry | None = Entry.objects.select_related("edition", "track").filter(pk=pk).first()
    if entry is None:
        raise Http404
    if entry.leader_id == getattr(user, "pk", None) or may_manage_edition(user, entry.edition_id):
        return entry
    if is_judge_of(user, entry):
        return entry
    raise Http404


def is_judge_of(user: Any, entry: Entry) -> bool:
    from django.contrib.contenttypes.models import ContentType

    from jingxiang.reviewing.models import Assignment

    if not getattr(user, "is_authenticated", False):
        return False
    return (
        Assignment.objects.visible_to(user)
        .filter(
            submission__content_type=ContentType.objects.get_for_model(Entry), submission__object_id=entry.pk
        )
        .exists()
    )


def judge_stage(user: Any, pk: int) -> Stage:
    """A judge's live page of a stage: only judges in the stage's review round."""
    from jingxiang.reviewing.models import Reviewer

    stage: Stage | None = Stage.objects.select_related("edition", "round").filter(pk=pk).first()
    if (
        stage is None
        or stage.round_id is None
        or not getattr(user, "is_authenticated", False)
        or not Reviewer.objects.filter(round_id=stage.round_id, user=user, active=True).exists()
    ):
        raise Http404
    return stage


def menu_roles(user: Any) -> dict[str, bool]:
    """Whether the user leads a team and judges a live stage: one query per request for both menu items."""
    if not getattr(user, "is_authenticated", False):
        return {"team": False, "live_judge": False}
    cached: dict[str, bool] | None = getattr(user, "_competition_menu", None)
    if cached is None:
        from django.contrib.auth import get_user_model
        from django.db.models import Exists, OuterRef

        from jingxiang.competition.models import StageKind
        from jingxiang.reviewing.models import Reviewer

        judged = Reviewer.objects.filter(user=OuterRef("pk"), active=True).values("round_id")
        row = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .annotate(
                team=Exists(Entry.objects.filter(leader=OuterRef("pk"))),
                live_judge=Exists(
                    Stage.objects.filter(round_id__in=judged).exclude(kind=StageKind.PRELIMINARY)
                ),
            )
            .values("team", "live_judge")
            .first()
        ) or {"team": False, "live_judge": False}
        cached = {"team": bool(row["team"]), "live_judge": bool(row["live_judge"])}
        user._competition_menu = cached
    return cached


def is_team(user: Any) -> bool:
    return menu_roles(user)["team"]


def is_live_judge(user: Any) -> bool:
    return menu_roles(user)["live_judge"]
