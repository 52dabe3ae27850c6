"""Ranked suppliers for a need, with reasons: the small stable service other apps call.

Used by the demand board, the talent-sharing station and matchmaking events. It ranks against the
process-wide warm index (``warm.py``), so a call costs a few milliseconds plus two or three queries, and
it always reflects the current profiles, the operators' knowledge tables and the feedback recorded so far.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from jingxiang.matchindex import registry
from jingxiang.matchindex.suppliers import parse_key, supplier_organisations, supplier_talents
from jingxiang.matchindex.warm import warm_index
from jingxiang.matching import Demand as EngineDemand
from jingxiang.matching import Match


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "talent" or "organisation"
    object_id: int  # talents.Talent pk or organisations.Organisation pk
    name: str
    score: float
    why: list[str]  # human-readable evidence, zh-hans
    free_hours: int | None


KINDS = frozenset({"talent", "organisation"})
MAX_TOP = 200


def suggest_suppliers(
    *,
    title: str,
    description: str,
    category: str = "",
    region: str = "",
    hours_needed: int = 0,
    kinds: set[str] | None = None,
    exclude_talent_ids: Iterable[int] = frozenset(),
    exclude_organisation_ids: Iterable[int] = frozenset(),
    top: int = 20,
) -> list[Suggestion]:
    """The best ``top`` suppliers (talents and non-firm organisations) for a need, best first.

    ``category`` is a category code an app registered (the demand board's ``"testing"``) or the engine's
    Chinese name (``"质量检测"``); anything else is ranked on the text alone. Archived talents, students,
    firms and organisations that are not approved are never suggested. Empty text gives an empty list.
    """
    top = max(0, min(int(top), MAX_TOP))
    wanted = KINDS if kinds is None else set(kinds) & KINDS
    if top == 0 or not wanted or not (str(title).strip() or str(description).strip()):
        return []
    query = EngineDemand(
        id="suggest",
        title=str(title),
        description=str(description),
        category=str(registry.engine_category(str(category or ""))),
        region=str(region or ""),
        hours_needed=float(max(0, hours_needed or 0)),
    )
    excluded = {("talent", int(pk)) for pk in exclude_talent_ids} | {
        ("organisation", int(pk)) for pk in exclude_organisation_ids
    }
    with warm_index.use() as index:
        # Ask for enough to survive the filters; the engine's ranking is cheap compared with a round trip.
        ask = min(len(index), top * 3 + len(excluded))
        while True:
            ranking = index.rank(query, top=ask)
            picked = []
            for match in ranking.matches:
                kind, pk = parse_key(match.id)
                if kind in wanted and (kind, pk) not in excluded:
                    picked.append((kind, pk, match))
            if len(picked) >= top or ask >= len(index):
                break
            ask = len(index)
    return _materialise(picked[:top])


def _materialise(picked: list[tuple[str, int, Match]]) -> list[Suggestion]:
    """Names and hours come from the database, which also drops anything archived since indexing."""
    talent_ids = [pk for kind, pk, _m in picked if kind == "talent"]
    organisation_ids = [pk for kind, pk, _m in picked if kind == "organisation"]
    talents = {t.pk: t for t in supplier_talents().filter(pk__in=talent_ids)} if talent_ids else {}
    organisations = (
        {o.pk: o for o in supplier_organisations().filter(pk__in=organisation_ids)}
        if organisation_ids
        else {}
    )
    suggestions = []
    for kind, pk, match in picked:
        if kind == "talent" and pk in talents:
            talent = talents[pk]
            suggestions.append(
                Suggestion(
                    kind="talent",
                    object_id=pk,
                    name=talent.name,
                    score=float(match.score),
                    why=list(match.why),
                    free_hours=int(talent.monthly_hours),
                )
            )
        elif kind == "organisation" and pk in organisations:
            suggestions.append(
                Suggestion(
                    kind="organisation",
                    object_id=pk,
                    name=organisations[pk].name,
                    score=float(match.score),
                    why=list(match.why),
                    free_hours=None,
                )
            )
    return suggestions


def rank_demands_for(
    *, supplier_key: str, demand_ids: Iterable[str], top: int = 20
) -> list[tuple[str, float, list[str]]]:
    """Open demands (by engine id, limited to ``demand_ids``, which the caller has filtered for
    visibility) that this supplier fits best: (engine id, score, why), best first."""
    allowed = set(demand_ids)
    if not allowed:
        return []
    with warm_index.use() as index:
        if supplier_key not in index:
            return []
        ranking = index.rank_demands(supplier_key, top=10_000)
    results = []
    for match in ranking.matches:
        if match.id in allowed:
            results.append((match.id, float(match.score), list(match.why)))
            if len(results) >= top:
                break
    return results
