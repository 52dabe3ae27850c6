"""The process-wide warm matching index: built once, then kept in step with the database.

Every web process (and job worker) holds one ``MatchingIndex``. Before each use it asks the database
for a small fingerprint of what the index depends on (suppliers, open demands, feedback rows, the
operators' knowledge versions) and catches up incrementally:

* suppliers changed (here or in another process, or by a bulk import): profiles are re-read and only
  those whose engine record differs are upserted, vanished ones removed; the engine re-analyses just
  those;
* new feedback rows: applied to the engine's feedback model in order;
* open demands changed: upserted/removed for "needs you could help with";
* a new active knowledge version: the index is rebuilt with it (rare; operators trigger it through a
  background job that builds it first, so a broken table never reaches the web processes).

Post-save signals of talents and organisations (``apps.py``) upsert a changed profile right after
commit, so a change is visible at once in the process that made it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import yaml
from django.db.models import Count, Max, Q

from jingxiang.demands import texts
from jingxiang.matching import Demand as EngineDemand
from jingxiang.matching import (
    FeedbackModel,
    KnowledgeBase,
    KnowledgeError,
    MatchingIndex,
    Outcome,
    load_knowledge,
)
from jingxiang.matching import Supplier as EngineSupplier

SUPPLIER_ORG_KINDS = {
    "university": "university_lab",
    "testing_lab": "testing_lab",
    "service_agency": "service_agency",
}
TALENT_KINDS = {"expert": "expert", "craftsman": "craftsman", "technician": "craftsman"}
logger = logging.getLogger(__name__)

ORGANISATION_HOURS = 160.0
"""Institutions have no personal hour limit; a nominal full-time month keeps them ranked as available."""


def talent_key(pk: int) -> str:
    return f"T-{pk}"


def organisation_key(pk: int) -> str:
    return f"O-{pk}"


def parse_key(key: str) -> tuple[str, int]:
    prefix, _sep, number = key.partition("-")
    return ("talent" if prefix == "T" else "organisation"), int(number)


def supplier_talents() -> Any:
    from jingxiang.talents.models import Talent

    return Talent.objects.filter(archived_at__isnull=True, kind__in=list(TALENT_KINDS))


def supplier_organisations() -> Any:
    from jingxiang.organisations.models import Organisation

    return Organisation.objects.approved().filter(kind__in=list(SUPPLIER_ORG_KINDS))


def talent_record(talent: Any, skill_codes: list[str]) -> EngineSupplier:
    home = talent.home_organisation
    return EngineSupplier(
        id=talent_key(talent.pk),
        kind=TALENT_KINDS[talent.kind],
        name=talent.name,
        org=home.name if home is not None else "",
        title=" ".join(part for part in (talent.title, talent.level) if part),
        skills=tuple(sorted(skill_codes)),
        description=talent.description,
        region=talent.region or (home.region if home is not None else ""),
        hours_per_month=float(talent.monthly_hours),
    )


def organisation_record(organisation: Any) -> EngineSupplier:
    description = "。".join(part for part in (organisation.main_products, organisation.description) if part)
    return EngineSupplier(
        id=organisation_key(organisation.pk),
        kind=SUPPLIER_ORG_KINDS[organisation.kind],
        name=organisation.name,
        org=organisation.name,
        title=str(organisation.get_kind_display()),
        description=description,
        region=organisation.region,
        hours_per_month=ORGANISATION_HOURS,
    )


def demand_record(demand: Any) -> EngineDemand:
    from jingxiang.demands.models import ENGINE_CATEGORY

    return EngineDemand(
        id=demand.engine_id,
        enterprise=demand.organisation.name,
        title=demand.title,
        description=demand.description,
        category=ENGINE_CATEGORY.get(demand.category, demand.category),
        region=demand.region,
        hours_needed=float(demand.hours_needed or 0),
    )


def load_suppliers() -> dict[str, EngineSupplier]:
    """Every supplier profile as an engine record (three queries whatever the size)."""
    from jingxiang.talents.models import TalentSkill

    skills: dict[int, list[str]] = {}
    for talent_id, code in TalentSkill.objects.filter(talent__in=supplier_talents()).values_list(
        "talent_id", "skill__code"
    ):
        skills.setdefault(talent_id, []).append(code)
    records = {}
    for talent in supplier_talents().select_related("home_organisation"):
        record = talent_record(talent, skills.get(talent.pk, []))
        records[record.id] = record
    for organisation in supplier_organisations():
        record = organisation_record(organisation)
        records[record.id] = record
    return records


def load_open_demands() -> dict[str, EngineDemand]:
    from jingxiang.demands.models import Demand

    return {
        demand.engine_id: demand_record(demand)
        for demand in Demand.objects.open().select_related("organisation")
    }


def active_overrides() -> tuple[tuple[int, ...], dict[str, Any]]:
    """The operators' active knowledge versions: (their ids, parsed documents by name)."""
    from jingxiang.demands.models import KnowledgeVersion, KnowledgeVersionStatus

    rows = list(
        KnowledgeVersion.objects.filter(status=KnowledgeVersionStatus.ACTIVE).values_list(
            "pk", "document", "content"
        )
    )
    return tuple(sorted(pk for pk, _doc, _content in rows)), {
        document: yaml.safe_load(content) or {} for _pk, document, content in rows
    }


def _fingerprint() -> tuple[Any, ...]:
    """What the index depends on, in a few aggregate queries."""
    from jingxiang.demands.models import (
        OPEN_STATUSES,
        Demand,
        KnowledgeVersion,
        KnowledgeVersionStatus,
        MatchFeedback,
    )
    from jingxiang.talents.models import TalentSkill

    talents = supplier_talents().aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    skills = TalentSkill.objects.aggregate(n=Count("pk"), top=Max("pk"))
    organisations = supplier_organisations().aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    in_index = Q(status__in=OPEN_STATUSES, archived_at__isnull=True)
    # Edits to drafts or closed demands do not touch the index, so they must not mark it stale.
    demands = Demand.objects.aggregate(
        n=Count("pk", filter=in_index), last=Max("updated_at", filter=in_index)
    )
    feedback = MatchFeedback.objects.aggregate(n=Count("pk"), top=Max("pk"), last=Max("created_at"))
    knowledge = tuple(
        KnowledgeVersion.objects.filter(status=KnowledgeVersionStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return (
        tuple(talents.values()) + tuple(skills.values()) + tuple(organisations.values()),
        tuple(demands.values()),
        (feedback["n"], feedback["top"], feedback["last"]),
        knowledge,
    )


_knowledge_cache: dict[tuple[int, ...], KnowledgeBase] = {}
_knowledge_lock = threading.Lock()


def knowledge_for(key: tuple[int, ...], overrides: dict[str, Any]) -> KnowledgeBase:
    """Loading the tables (and the segmenter) costs about a second: keep the last one loaded."""
    with _knowledge_lock:
        cached = _knowledge_cache.get(key)
        if cached is None:
            cached = load_knowledge(overrides=overrides or None)
            _knowledge_cache.clear()
            _knowledge_cache[key] = cached
        return cached


def _feedback_rows(*, after: int) -> list[Any]:
    from jingxiang.demands.models import MatchFeedback

    return list(
        MatchFeedback.objects.filter(pk__gt=after).select_related("demand__organisation").order_by("pk")
    )


def _apply_feedback(index: MatchingIndex, rows: list[Any]) -> None:
    if not rows:
        return
    demands = {row.demand.engine_id: demand_record(row.demand) for row in rows}
    outcomes = [
        Outcome(
            demand_id=row.demand.engine_id,
            supplier_id=row.supplier_key,
            kind=row.kind,  # type: ignore[arg-type]
            rating=row.rating,
        )
        for row in rows
    ]
    index.apply_feedback(outcomes, demands)


class WarmIndex:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.index: MatchingIndex | None = None
        self._fingerprint: tuple[Any, ...] | None = None
        self._demands: dict[str, EngineDemand] = {}
        self._feedback_seen = 0
        self._knowledge_key: tuple[int, ...] | None = None

    def reset(self) -> None:
        with self._lock:
            self.index = None
            self._fingerprint = None
            self._demands = {}
            self._feedback_seen = 0
            self._knowledge_key = None

    @contextmanager
    def use(self) -> Iterator[MatchingIndex]:
        """The index, caught up with the database, held exclusively while the caller ranks."""
        with self._lock:
            self._catch_up()
            assert self.index is not None
            yield self.index

    def build(self, knowledge: KnowledgeBase, progress: Any = None) -> MatchingIndex:
        """A fresh index from the database (used by the rebuild job and on first use)."""
        suppliers = load_suppliers()
        if progress:
            progress(30, texts.SUPPLIERS_READ(n=len(suppliers)))
        index = MatchingIndex.build(suppliers.values(), knowledge=knowledge, feedback=FeedbackModel())
        if progress:
            progress(70, texts.INDEX_BUILT())
        _apply_feedback(index, _feedback_rows(after=0))
        for demand in load_open_demands().values():
            index.upsert_demand(demand)
        return index

    def _catch_up(self) -> None:
        fingerprint = _fingerprint()
        if fingerprint == self._fingerprint and self.index is not None:
            return
        suppliers_fp, demands_fp, feedback_fp, knowledge_fp = fingerprint
        previous = self._fingerprint
        new_feedback: list[Any] = []
        history_rewritten = False
        if self.index is not None and previous is not None and feedback_fp != previous[2]:
            new_feedback = _feedback_rows(after=self._feedback_seen)
            # Feedback only ever grows; anything else (rows removed, a rolled-back test database) means
            # what the engine learned no longer matches the records, so it relearns from scratch.
            history_rewritten = not new_feedback or previous[2][0] + len(new_feedback) != feedback_fp[0]
        if self.index is None or knowledge_fp != self._knowledge_key or history_rewritten:
            key, overrides = active_overrides()
            try:
                knowledge = knowledge_for(key, overrides)
            except (KnowledgeError, yaml.YAMLError, TypeError, ValueError):
                # An active table that no longer loads (e.g. the taxonomy retired a skill it names) must not
                # take matching down: fall back to the shipped tables and say so in the log.
                logger.exception("active matching knowledge %s does not load; using the shipped tables", key)
                knowledge = knowledge_for((), {})
            self.index = self.build(knowledge)
            self._knowledge_key = key
            self._demands = load_open_demands()
            self._feedback_seen = feedback_fp[1] or 0
            self._fingerprint = fingerprint
            return
        if previous is None or suppliers_fp != previous[0]:
            self._sync_suppliers()
        if new_feedback:
            _apply_feedback(self.index, new_feedback)
            self._feedback_seen = feedback_fp[1] or 0
        if previous is None or demands_fp != previous[1]:
            self._sync_demands()
        self._fingerprint = fingerprint

    def _sync_suppliers(self) -> None:
        assert self.index is not None
        current = load_suppliers()
        for supplier_id in [s.id for s in self.index.suppliers() if s.id not in current]:
            self.index.remove(supplier_id)
        for supplier_id, record in current.items():
            if supplier_id not in self.index or self.index.supplier(supplier_id) != record:
                self.index.upsert(record)

    def _sync_demands(self) -> None:
        assert self.index is not None
        current = load_open_demands()
        for demand_id in set(self._demands) - set(current):
            self.index.remove_demand(demand_id)
        for demand_id, record in current.items():
            if self._demands.get(demand_id) != record:
                self.index.upsert_demand(record)
        self._demands = current

    def upsert_supplier(self, record: EngineSupplier | None, key: str) -> None:
        """Called after commit when a profile changed in this process (``None``: no longer a supplier)."""
        with self._lock:
            if self.index is None:
                return
            if record is None:
                self.index.remove(key)
            else:
                self.index.upsert(record)


warm_index = WarmIndex()


def refresh_talent(talent_id: int) -> None:
    from jingxiang.talents.models import TalentSkill

    talent = supplier_talents().select_related("home_organisation").filter(pk=talent_id).first()
    if talent is None:
        warm_index.upsert_supplier(None, talent_key(talent_id))
        return
    codes = list(TalentSkill.objects.filter(talent=talent).values_list("skill__code", flat=True))
    warm_index.upsert_supplier(talent_record(talent, codes), talent_key(talent_id))


def refresh_organisation(organisation_id: int) -> None:
    organisation = supplier_organisations().filter(pk=organisation_id).first()
    warm_index.upsert_supplier(
        organisation_record(organisation) if organisation is not None else None,
        organisation_key(organisation_id),
    )
