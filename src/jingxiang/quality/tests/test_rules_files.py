"""Rules files: the shipped ones are valid; broken ones report every problem."""

from __future__ import annotations

from importlib import resources

import pytest

from jingxiang.quality import RuleRegistry, load_rules_document, validate_rules_text

RULES = resources.files("jingxiang.quality").joinpath("rules")
SHIPPED = sorted(entry.name for entry in RULES.iterdir() if entry.name.endswith(".yaml"))


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_rules_files_are_valid(name: str) -> None:
    assert validate_rules_text(RULES.joinpath(name).read_text(encoding="utf-8"), name) == []


def test_every_shipped_edition_is_in_the_registry() -> None:
    assert len(RuleRegistry.builtin().documents) == len(SHIPPED)


MINIMAL = """
format: jingxiang-quality-rules/1
standard:
  series: TEST
  designation: TEST-1
  edition: "1"
  mandatory: false
  effective_from: 2020-01-01
  effective_until: null
product_types: [frame]
items:
  - id: T-NI
    kind: range
    measured: nickel_release
    accept: "[0, 0.5]"
    label_zh: 镍
    label_en: Nickel
    clause: "1"
    certainty: S
    mandatory: true
"""


def test_a_minimal_file_loads_with_exact_numbers() -> None:
    document = load_rules_document(MINIMAL)
    assert document.items[0].accept is not None
    assert str(document.items[0].accept) == "[0, 0.5]"


BROKEN = """
format: jingxiang-quality-rules/1
standard:
  series: TEST
  designation: TEST-2
  edition: "2"
  mandatory: false
  effective_from: 2020-02-30
  effective_until: 2019-01-01
product_types: [assembled_spectacles]
tables:
  unsorted:
    kind: bands
    rows:
      - {band: "(2.00, 4.00]", tolerance: 3.0}
      - {band: "[0.00, 2.00]", tolerance: 4.0}
  overlapping:
    kind: bands
    rows:
      - {band: "[0.00, 2.00]", tolerance: 4.0}
      - {band: "[2.00, 4.00]", tolerance: 3.0}
  gappy:
    kind: bands
    rows:
      - {band: "[0.00, 0.50]", tolerance: 4.0}
      - {band: "[0.75, 4.00]", tolerance: 3.0}
  power:
    kind: power_table
    cylinder_columns: ["[0.00, 0.75]", "(0.75, inf)"]
    rows:
      - {band: "[0.00, 3.00]", meridian: 0.12, cylinder: [0.09]}
items:
  - id: X-1
    kind: power_wizardry
    label_zh: 甲
    label_en: A
    clause: "1"
    certainty: V
    mandatory: true
  - id: X-2
    kind: band_by_value
    key: strongest_meridian_of_pair
    table: missing_table
    measured: oc_distance
    nominal: pd
    label_zh: 乙
    label_en: B
    clause: "2"
    certainty: V
    mandatory: true
  - id: X-2
    kind: range
    measured: sparkle
    accept: "[5, 1]"
    label_zh: 丙
    label_en: C
    clause: "3"
    certainty: Q
    mandatory: true
  - id: X-4
    kind: max_abs_deviation
    measured: sphere
    nominal: sphere
    tolerance: 0.12
    label_zh: 丁
    label_en: D
    clause: "4"
    certainty: V
    mandatory: true
"""


def test_a_broken_file_reports_all_its_problems() -> None:
    problems = validate_rules_text(BROKEN)
    codes = {problem.code for problem in problems}
    messages = " | ".join(problem.message for problem in problems)
    assert {
        "schema",
        "date",
        "unsorted",
        "overlap",
        "gap",
        "shape",
        "kind",
        "reference",
        "duplicate",
        "field",
    } <= codes
    assert "power_wizardry" in messages
    assert "sparkle" in messages
    assert "missing_table" in messages
    assert "per-lens" in messages
    paths = {problem.path for problem in problems}
    assert "/tables/gappy/rows/1/band" in paths
    assert "/tables/power/rows/0/cylinder" in paths


@pytest.mark.parametrize("text", ["", "just a string", "a: [1, 2", "- 1\n- 2\n"])
def test_unreadable_files_are_problems_not_crashes(text: str) -> None:
    assert validate_rules_text(text)


def test_categories_must_not_overlap() -> None:
    text = MINIMAL.replace(
        "items:",
        """tables:
  categories:
    kind: categories
    rows:
      - {category: 0, band: "(80, 100]"}
      - {category: 1, band: "[43, 80.5]"}
items:""",
    )
    assert [problem.code for problem in validate_rules_text(text)] == ["overlap"]
