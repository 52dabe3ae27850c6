"""Reads of the competition: public pages, the hall's scoreboard, a team's entries, results."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jingxiang.competition.models import Award, Edition, Entry, Organiser, Stage, StageEntry, StageKind


def public_editions() -> QuerySet[Edition]:
    return Edition.objects.active().order_by("-year", "pk")


def my_entries(user: Any) -> QuerySet[Entry]:
    return Entry.objects.filter(leader=user).select_related("edition", "track").order_by("-created_at")


def stages_of(edition: Edition) -> list[Stage]:
    return list(
        Stage.objects.filter(edition=edition).select_related("round", "current_entry").order_by("order")
    )


def stage_table(stage: Stage) -> list[StageEntry]:
    return list(
        StageEntry.objects.filter(stage=stage)
        .select_related("entry__track")
        .order_by("rank", "entry__number")
    )


def scoreboard(stage: Stage) -> dict[str, Any]:
    """The hall board: the entry on stage with how many judges have scored it, and the live ranking
    (normalised per judge by the review block; entries not yet scored follow unranked)."""
    from jingxiang.reviewing import selectors as reviewing
    from jingxiang.reviewing.models import Reviewer

    context: dict[str, Any] = {
        "stage": stage,
        "rows": [],
        "current": stage.current_entry,
        "judges": 0,
        "scored": 0,
    }
    if stage.round is None:
        return context
    ranking = reviewing.round_ranking(stage.round)
    context["rows"] = ranking.rows
    context["judges"] = Reviewer.objects.filter(round=stage.round, active=True).count()
    if stage.current_entry_id:
        current = next(
            (row for row in ranking.rows if row.submission.object_id == stage.current_entry_id), None
        )
        context["current_row"] = current
        context["scored"] = (
            reviewing.active_assignments(stage.round)
            .filter(submission__object_id=stage.current_entry_id, submitted_at__isnull=False)
            .count()
        )
    return context


def results(edition: Edition) -> dict[str, Any]:
    """The published results: awards of the final in rank order and the finalists' stage scores."""
    final = Stage.objects.filter(edition=edition, kind=StageKind.FINAL).first()
    return {
        "awards": list(
            Award.objects.filter(edition=edition, revoked_at__isnull=True).select_related("entry__track")
        ),
        "final": final,
        "final_table": stage_table(final) if final else [],
    }


def organisers_of(edition: Edition) -> list[Organiser]:
    """The committee's current members, newest appointment first."""
    return list(
        Organiser.objects.filter(edition=edition, active=True)
        .select_related("user")
        .order_by("-updated_at", "pk")
    )
