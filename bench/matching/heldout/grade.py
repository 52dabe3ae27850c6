"""Derive qrels.jsonl of the held-out set from annotations.yaml, and validate the whole set.

    python bench/matching/heldout/grade.py          # validate, (re)write qrels.jsonl, print counts
    python bench/matching/heldout/grade.py --check  # validate only; fail if qrels.jsonl is stale
    python bench/matching/heldout/grade.py --dir bench/matching/heldout2  # another set, same rules

A set whose annotations.yaml says ``records: inline`` also carries the records themselves (``profile`` per
supplier; ``kind title description region`` per demand): then suppliers.jsonl and demands.jsonl are
derived from it too (and checked for staleness with ``--check``).

Grades follow bench/matching/README.md ("How grades were assigned"), applied in this order to every
(demand, supplier) pair:

1. 0 if the supplier's gold fields share nothing with the demand's primary or related fields;
2. 1 if the supplier's scope is ``off`` (same technique, another industry);
3. 3 if it covers a primary field and either works in eyewear or that field is industry-neutral;
   2 if it covers a primary field only as a generalist (scope ``neutral``, product-specific field);
4. otherwise (related fields only): 2 if it works in eyewear, 1 if neutral;
5. busy cap: a supplier with ``hours_per_month == 0`` gets at most 1.

Only pairs with grade >= 1 are written. Needs PyYAML only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]

SUPPLIER_KEYS = {"id", "kind", "name", "org", "title", "skills", "description", "region", "hours_per_month"}
SUPPLIER_KINDS = {"expert", "craftsman", "university_lab", "testing_lab", "service_agency", "enterprise_team"}
DEMAND_KEYS = {"id", "title", "description", "region", "kind"}
DEMAND_KINDS = ("symptom", "everyday", "two_fields", "misleading", "plain")
SCOPES = {"eyewear", "neutral", "off"}
MIN_DEMANDS, MIN_SUPPLIERS, MIN_PER_KIND = 60, 200, 10


class Invalid(Exception):
    pass


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            raise Invalid(f"{path.name}:{n}: blank line")
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise Invalid(f"{path.name}:{n}: {exc}") from exc
        if not isinstance(row, dict):
            raise Invalid(f"{path.name}:{n}: not an object")
        rows.append(row)
    return rows


def unique_ids(rows: list[dict], what: str) -> dict[str, dict]:
    seen: dict[str, dict] = {}
    for row in rows:
        if row["id"] in seen:
            raise Invalid(f"duplicate {what} id {row['id']}")
        seen[row["id"]] = row
    return seen


def field_sets(ann: dict) -> tuple[set[str], set[str]]:
    """(all valid field codes, industry-neutral codes) from the taxonomy and the annotation header."""
    spec = ann["fields"]
    taxonomy = yaml.safe_load((REPO / spec["taxonomy"]).read_text(encoding="utf-8"))
    codes, neutral = set(), set()
    domains = {d["code"] for d in taxonomy["domains"]}
    for name in spec["neutral_domains"]:
        if name not in domains:
            raise Invalid(f"neutral domain {name} is not in the taxonomy")
    for domain in taxonomy["domains"]:
        for skill in domain["skills"]:
            if skill.get("retired"):
                continue
            codes.add(skill["code"])
            if domain["code"] in spec["neutral_domains"]:
                neutral.add(skill["code"])
    for code in spec["neutral_skills"]:
        if code not in codes:
            raise Invalid(f"neutral skill {code} is not in the taxonomy")
        neutral.add(code)
    for code, ext in (spec.get("extensions") or {}).items():
        if code in codes:
            raise Invalid(f"extension {code} clashes with a taxonomy code")
        codes.add(code)
        if ext.get("neutral"):
            neutral.add(code)
    return codes, neutral


def grade(
    primary: set[str], related: set[str], gold: set[str], scope: str, hours: int, neutral: set[str]
) -> int:
    if not gold & (primary | related):
        g = 0
    elif scope == "off":
        g = 1
    elif gold & primary:
        g = 3 if scope == "eyewear" or (gold & primary & neutral) else 2
    else:
        g = 2 if scope == "eyewear" else 1
    return min(g, 1) if hours == 0 else g


INLINE_DEMAND_KEYS = ("title", "description", "region", "kind")


def jsonl_text(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def inline_records(ann: dict) -> dict[str, str]:
    """For ``records: inline`` sets: the text of suppliers.jsonl and demands.jsonl, from the annotations."""
    suppliers = []
    for sid, a in ann["suppliers"].items():
        profile = dict(a["profile"])
        suppliers.append({"id": sid, **profile})
    demands = []
    for did, a in ann["demands"].items():
        demands.append({"id": did, **{k: a[k] for k in INLINE_DEMAND_KEYS}})
    return {"suppliers.jsonl": jsonl_text(suppliers), "demands.jsonl": jsonl_text(demands)}


def write_inline(base: Path, check: bool) -> list[str]:
    """Write (or, with check, compare) the records of an inline set; returns the stale file names."""
    ann = yaml.safe_load((base / "annotations.yaml").read_text(encoding="utf-8"))
    if ann.get("records") != "inline":
        return []
    stale = []
    for name, text in inline_records(ann).items():
        path = base / name
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    return stale


def load_and_validate(base: Path = HERE) -> tuple[dict, dict, dict, set[str], set[str]]:
    suppliers = unique_ids(read_jsonl(base / "suppliers.jsonl"), "supplier")
    demands = unique_ids(read_jsonl(base / "demands.jsonl"), "demand")
    ann = yaml.safe_load((base / "annotations.yaml").read_text(encoding="utf-8"))
    codes, neutral = field_sets(ann)

    for sid, s in suppliers.items():
        if set(s) != SUPPLIER_KEYS:
            raise Invalid(f"{sid}: keys {sorted(set(s) ^ SUPPLIER_KEYS)} differ from the format")
        if s["kind"] not in SUPPLIER_KINDS:
            raise Invalid(f"{sid}: kind {s['kind']}")
        if not isinstance(s["hours_per_month"], int) or s["hours_per_month"] < 0:
            raise Invalid(f"{sid}: hours_per_month {s['hours_per_month']!r}")
        if (
            not isinstance(s["skills"], list)
            or not s["skills"]
            or not all(isinstance(k, str) and k for k in s["skills"])
        ):
            raise Invalid(f"{sid}: skills must be a non-empty list of strings")
        for key in ("name", "org", "title", "description", "region"):
            if not isinstance(s[key], str) or not s[key].strip():
                raise Invalid(f"{sid}: empty {key}")
    for did, d in demands.items():
        if set(d) != DEMAND_KEYS:
            raise Invalid(f"{did}: keys {sorted(set(d) ^ DEMAND_KEYS)} differ from the format")
        if d["kind"] not in DEMAND_KINDS:
            raise Invalid(f"{did}: kind {d['kind']}")
        for key in ("title", "description", "region"):
            if not isinstance(d[key], str) or not d[key].strip():
                raise Invalid(f"{did}: empty {key}")

    ann_s, ann_d = ann["suppliers"], ann["demands"]
    if set(ann_s) != set(suppliers):
        raise Invalid(f"annotated suppliers differ: {sorted(set(ann_s) ^ set(suppliers))}")
    if set(ann_d) != set(demands):
        raise Invalid(f"annotated demands differ: {sorted(set(ann_d) ^ set(demands))}")
    for sid, a in ann_s.items():
        if a["scope"] not in SCOPES:
            raise Invalid(f"{sid}: scope {a['scope']}")
        bad = set(a["gold_fields"] or []) - codes
        if bad:
            raise Invalid(f"{sid}: unknown fields {sorted(bad)}")
    for did, a in ann_d.items():
        prim, rel = set(a["primary"] or []), set(a["related"] or [])
        if not prim:
            raise Invalid(f"{did}: no primary field")
        if (prim | rel) - codes:
            raise Invalid(f"{did}: unknown fields {sorted((prim | rel) - codes)}")
        if prim & rel:
            raise Invalid(f"{did}: fields both primary and related: {sorted(prim & rel)}")
    return suppliers, demands, ann, codes, neutral


def derive(suppliers: dict, demands: dict, ann: dict, neutral: set[str]) -> list[dict]:
    qrels = []
    for did in demands:
        a = ann["demands"][did]
        prim, rel = set(a["primary"]), set(a["related"] or [])
        rows = []
        for sid, s in suppliers.items():
            sa = ann["suppliers"][sid]
            g = grade(prim, rel, set(sa["gold_fields"] or []), sa["scope"], s["hours_per_month"], neutral)
            if g:
                rows.append({"demand_id": did, "supplier_id": sid, "grade": g})
        rows.sort(key=lambda r: (-r["grade"], r["supplier_id"]))
        qrels.extend(rows)
    return qrels


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="validate only; fail if qrels.jsonl differs")
    ap.add_argument("--dir", type=Path, default=HERE, help="the set's directory (default: this script's)")
    args = ap.parse_args()
    base = args.dir.resolve()
    try:
        stale = write_inline(base, args.check)
        if stale:
            print(f"{', '.join(stale)} stale: run grade.py without --check", file=sys.stderr)
            return 1
        suppliers, demands, ann, codes, neutral = load_and_validate(base)
    except (Invalid, KeyError, TypeError) as exc:
        print(f"invalid: {exc}", file=sys.stderr)
        return 1
    qrels = derive(suppliers, demands, ann, neutral)
    text = jsonl_text(qrels)
    path = base / "qrels.jsonl"
    if args.check:
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            print("qrels.jsonl is stale: run grade.py without --check", file=sys.stderr)
            return 1
    else:
        path.write_text(text, encoding="utf-8")

    # checks on the written qrels: ids exist, grades in range, every demand has a grade-3 supplier
    problems = []
    for r in read_jsonl(path):
        if r["demand_id"] not in demands or r["supplier_id"] not in suppliers or r["grade"] not in (1, 2, 3):
            problems.append(f"bad qrel {r}")
    by_demand: dict[str, Counter] = {d: Counter() for d in demands}
    for r in qrels:
        by_demand[r["demand_id"]][r["grade"]] += 1
    for did, c in by_demand.items():
        if not c[3]:
            problems.append(f"{did} has no grade-3 supplier")
    kinds = Counter(d["kind"] for d in demands.values())
    if len(demands) < MIN_DEMANDS or len(suppliers) < MIN_SUPPLIERS:
        problems.append(f"too small: {len(demands)} demands, {len(suppliers)} suppliers")
    for k in DEMAND_KINDS:
        if kinds[k] < MIN_PER_KIND:
            problems.append(f"only {kinds[k]} demands of kind {k}")
    unused = {c for c in codes if not any(c in (a["gold_fields"] or []) for a in ann["suppliers"].values())}

    grades = Counter(r["grade"] for r in qrels)
    print(f"suppliers {len(suppliers)}  kinds {dict(Counter(s['kind'] for s in suppliers.values()))}")
    print(
        f"  scopes {dict(Counter(a['scope'] for a in ann['suppliers'].values()))}; "
        f"zero free hours {sum(1 for s in suppliers.values() if s['hours_per_month'] == 0)}; "
        f"no gold field {sum(1 for a in ann['suppliers'].values() if not a['gold_fields'])}"
    )
    print(f"demands {len(demands)}  per kind { {k: kinds[k] for k in DEMAND_KINDS} }")
    print(
        f"qrels {len(qrels)}  per grade {dict(sorted(grades.items()))}  "
        f"(of {len(demands) * len(suppliers)} pairs)"
    )
    per_kind = {k: [by_demand[d][3] for d in demands if demands[d]["kind"] == k] for k in DEMAND_KINDS}
    print(
        "grade-3 suppliers per demand, min/median/max by kind: "
        + "; ".join(f"{k} {min(v)}/{sorted(v)[len(v) // 2]}/{max(v)}" for k, v in per_kind.items())
    )
    if unused:
        print(f"fields no supplier delivers: {sorted(unused)}")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
