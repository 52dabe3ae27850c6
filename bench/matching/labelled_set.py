"""Build the labelled quality set (JSONL) from the hand-written YAML under ``labelled/``.

Grades follow the rules in README.md and are computed from the annotator's per-record judgements
(``gold_fields``/``scope`` on suppliers, ``primary``/``related`` fields on demands), which the engine
never reads.  Writing the rules as code keeps 6,000+ pair grades consistent; the judgements themselves
are manual.

    .venv/bin/python bench/matching/labelled_set.py      # rewrites bench/matching/data/*.jsonl
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "labelled"
DATA = HERE / "data"

# Fields whose know-how does not depend on the product: an MES consultant for furniture makers is as
# useful to an eyewear firm as one who has only served eyewear (README, rule 3).
CROSS_INDUSTRY_DOMAINS = frozenset({"lean", "digital", "ecommerce", "ip", "talent_mgmt", "brand_design"})
CROSS_INDUSTRY_SKILLS = frozenset(
    {"embedded_firmware", "ai_vision", "wastewater_treatment", "lab_accreditation"}
)


def load_source(demand_file: str = "demands.yaml") -> tuple[list[dict], list[dict]]:
    suppliers_doc = yaml.safe_load((SOURCE / "suppliers.yaml").read_text(encoding="utf-8"))
    demands_doc = yaml.safe_load((SOURCE / demand_file).read_text(encoding="utf-8"))
    suppliers = []
    for row in suppliers_doc["suppliers"]:
        sid, kind, name, org, title, skills, description, region, hours, gold, scope = row
        suppliers.append(
            {
                "record": {
                    "id": sid,
                    "kind": kind,
                    "name": name,
                    "org": org,
                    "title": title,
                    "skills": [str(skill) for skill in skills],
                    "description": description,
                    "region": str(region),
                    "hours_per_month": hours,
                },
                "gold": set(gold),
                "scope": scope,
            }
        )
    demands = []
    for row in demands_doc["demands"]:
        did, enterprise, title, description, category, region, hours, primary, related = row
        demands.append(
            {
                "record": {
                    "id": did,
                    "enterprise": enterprise,
                    "title": str(title),
                    "description": str(description),
                    "category": category,
                    "region": str(region),
                    "hours_needed": hours,
                },
                "primary": set(primary),
                "related": set(related),
            }
        )
    return suppliers, demands


def grade(supplier: dict, demand: dict, skill_domain: dict[str, str]) -> int:
    """The README's grading rules, in order."""
    gold = supplier["gold"]
    primary_hit = gold & demand["primary"]
    related_hit = gold & demand["related"]
    if not primary_hit and not related_hit:
        return 0
    if supplier["scope"] == "off":
        return 1  # rule 4: same technique, another industry
    if primary_hit:
        transferable = any(
            skill_domain[code] in CROSS_INDUSTRY_DOMAINS or code in CROSS_INDUSTRY_SKILLS
            for code in primary_hit
        )
        value = 3 if supplier["scope"] == "eyewear" or transferable else 2
    else:
        value = 2 if supplier["scope"] == "eyewear" else 1
    if not supplier["record"]["hours_per_month"]:
        value = min(value, 1)  # rule 5: no free hours
    return value


def main() -> None:
    from jingxiang.taxonomy import load_taxonomy

    skill_domain = {skill.code: skill.domain_code for skill in load_taxonomy().skills()}
    suppliers, demands = load_source()
    _, history = load_source("history.yaml")
    unknown = {
        code
        for item in [*suppliers, *demands, *history]
        for code in item.get("gold", set()) | item.get("primary", set()) | item.get("related", set())
        if code not in skill_domain
    }
    if unknown:
        raise SystemExit(f"unknown skill codes in labelled set: {sorted(unknown)}")
    DATA.mkdir(exist_ok=True)
    with (DATA / "suppliers.jsonl").open("w", encoding="utf-8") as handle:
        for supplier in suppliers:
            handle.write(json.dumps(supplier["record"], ensure_ascii=False) + "\n")
    counts = [0, 0, 0, 0]
    for demand_file, prefix in (("demands.yaml", ""), ("history.yaml", "history-")):
        _, demand_rows = load_source(demand_file)
        with (DATA / f"{prefix}demands.jsonl").open("w", encoding="utf-8") as handle:
            for demand in demand_rows:
                handle.write(json.dumps(demand["record"], ensure_ascii=False) + "\n")
        with (DATA / f"{prefix}qrels.jsonl").open("w", encoding="utf-8") as handle:
            for demand in demand_rows:
                for supplier in suppliers:
                    value = grade(supplier, demand, skill_domain)
                    if not prefix:
                        counts[value] += 1
                    if value:
                        line = {
                            "demand_id": demand["record"]["id"],
                            "supplier_id": supplier["record"]["id"],
                            "grade": value,
                        }
                        handle.write(json.dumps(line) + "\n")
    print(f"{len(suppliers)} suppliers, {len(demands)} demands, grades 0/1/2/3: {counts}")
    without_three = [
        d["record"]["id"] for d in demands if not any(grade(s, d, skill_domain) == 3 for s in suppliers)
    ]
    if without_three:
        print(f"demands without a grade-3 supplier: {without_three}")


if __name__ == "__main__":
    main()
