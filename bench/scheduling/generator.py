"""Deterministic generator of realistic matchmaking-event instances for the scheduler benchmark.

The shape follows what the cluster's 需求对接会 look like: mostly firms, some experts, universities and
labs; many people stay only for the morning or the afternoon; a few sought-after experts and labs get far
more requests than they can take (their caps of 4-10 talks bind); must-have requests weigh 3, nice-to-have
ones 1, plus the matching engine's score; some talks bring a third or fourth party; most tables seat two.
Everything is drawn from ``random.Random(seed)``, so a seed reproduces an instance exactly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

KINDS = (("firm", 0.55), ("expert", 0.2), ("university", 0.1), ("lab", 0.15))
# Who asks whom: firms look for expertise; experts and institutions mostly answer requests.
TARGET_KINDS = {
    "firm": (("expert", 0.4), ("lab", 0.25), ("university", 0.2), ("firm", 0.15)),
    "expert": (("firm", 0.8), ("lab", 0.2)),
    "university": (("firm", 0.7), ("lab", 0.3)),
    "lab": (("firm", 0.7), ("university", 0.3)),
}
REQUESTER_SHARE = {"firm": 0.75, "expert": 0.1, "university": 0.08, "lab": 0.07}
TABLE_CAPACITIES = ((2, 0.7), (3, 0.2), (4, 0.1))
MUST_SHARE = 0.3
MULTI_PARTY_SHARE = 0.08
LOCKED_SHARE = 0.01


@dataclass(frozen=True)
class Size:
    participants: int
    requests: int
    slots: int
    tables: int

    def label(self) -> str:
        return f"{self.participants} participants, {self.requests} requests, {self.slots} slots, {self.tables} tables"


def _pick(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([name for name, _ in options], weights=[share for _, share in options])[0]


def _presence(rng: random.Random, slot_ids: list[str]) -> list[str]:
    """All day, half a day, or all day minus a few slots (a factory visit, a phone call)."""
    half = len(slot_ids) // 2
    pattern = rng.random()
    if pattern < 0.45:
        return list(slot_ids)
    if pattern < 0.65:
        return slot_ids[:half]
    if pattern < 0.85:
        return slot_ids[half:]
    missing = set(rng.sample(slot_ids, rng.randint(1, 3)))
    return [slot for slot in slot_ids if slot not in missing]


def generate(size: Size, seed: int) -> dict[str, Any]:
    """An instance in the JSON format of issue 5."""
    rng = random.Random(seed)
    slot_ids = [f"S{number:02d}" for number in range(1, size.slots + 1)]
    tables = [
        {"id": f"T{number:03d}", "capacity": int(_pick(rng, tuple((str(c), s) for c, s in TABLE_CAPACITIES)))}
        for number in range(1, size.tables + 1)
    ]
    tables.sort(key=lambda table: table["capacity"])  # small tables first, as on a real floor plan

    participants: list[dict[str, Any]] = []
    kind_of: dict[str, str] = {}
    popularity: dict[str, float] = {}
    for number in range(1, size.participants + 1):
        kind = _pick(rng, KINDS)
        participant_id = f"{kind}-{number:04d}"
        kind_of[participant_id] = kind
        popularity[participant_id] = rng.lognormvariate(0.0, 0.8)
        participants.append(
            {
                "id": participant_id,
                "available_slots": _presence(rng, slot_ids),
                "max_meetings": rng.randint(4, 10),
            }
        )
    by_kind: dict[str, list[str]] = {kind: [] for kind, _ in KINDS}
    for participant_id, kind in kind_of.items():
        by_kind[kind].append(participant_id)
    requester_pool = {kind: ids for kind, ids in by_kind.items() if ids}

    meetings: list[dict[str, Any]] = []
    seen_pairs: set[frozenset[str]] = set()
    attempts = 0
    while len(meetings) < size.requests and attempts < size.requests * 50:
        attempts += 1
        requester_kind = _pick(rng, tuple((k, s) for k, s in REQUESTER_SHARE.items() if k in requester_pool))
        requester = rng.choice(requester_pool[requester_kind])
        target_kind = _pick(rng, tuple((k, s) for k, s in TARGET_KINDS[requester_kind] if by_kind[k]))
        candidates = [p for p in by_kind[target_kind] if p != requester]
        if not candidates:
            continue
        target = rng.choices(candidates, weights=[popularity[p] for p in candidates])[0]
        pair = frozenset((requester, target))
        if pair in seen_pairs:
            continue
        seen_pairs.add(pair)
        members = [requester, target]
        if rng.random() < MULTI_PARTY_SHARE:
            extra_kind = rng.choice(("expert", "lab", "university"))
            extras = [p for p in by_kind[extra_kind] if p not in members]
            members += rng.sample(extras, min(len(extras), rng.randint(1, 2)))
        base = 3 if rng.random() < MUST_SHARE else 1
        score = round(rng.random(), 2)
        meetings.append(
            {
                "id": f"M{len(meetings) + 1:05d}",
                "participants": members,
                "weight": base + score,
                "locked": None,
            }
        )
    _lock_some(rng, meetings, participants, tables)
    return {
        "slots": [{"id": s} for s in slot_ids],
        "tables": tables,
        "participants": participants,
        "meetings": meetings,
    }


def _lock_some(
    rng: random.Random,
    meetings: list[dict[str, Any]],
    participants: list[dict[str, Any]],
    tables: list[dict[str, Any]],
) -> None:
    """Lock about 1 % of meetings (VIP talks the operator fixed by hand), always consistently."""
    present = {p["id"]: set(p["available_slots"]) for p in participants}
    cap = {p["id"]: p["max_meetings"] for p in participants}
    busy: set[tuple[str, str]] = set()
    taken: set[tuple[str, str]] = set()
    count: dict[str, int] = {}
    for meeting in rng.sample(meetings, round(len(meetings) * LOCKED_SHARE)):
        members = meeting["participants"]
        if any(count.get(p, 0) >= cap[p] for p in members):
            continue
        common = sorted(set.intersection(*(present[p] for p in members)))
        rng.shuffle(common)
        for slot in common:
            if any((p, slot) in busy for p in members):
                continue
            table = next(
                (t["id"] for t in tables if t["capacity"] >= len(members) and (slot, t["id"]) not in taken),
                None,
            )
            if table is None:
                continue
            meeting["locked"] = {"slot": slot, "table": table}
            taken.add((slot, table))
            for p in members:
                busy.add((p, slot))
                count[p] = count.get(p, 0) + 1
            break
