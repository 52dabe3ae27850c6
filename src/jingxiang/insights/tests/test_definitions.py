"""The indicator file: it parses, names sources that exist, and a wrong file says every mistake."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jingxiang.insights.definitions import DefinitionError, check_target, indicators, parse
from jingxiang.insights.registry import get_source


def test_every_indicator_names_a_registered_source_and_both_languages():
    found = indicators()
    assert len(found) >= 15
    chains = {indicator.chain for indicator in found.values()}
    assert chains == {"organisation", "skills", "rights"}
    for indicator in found.values():
        source = get_source(indicator.source)
        assert source.key == indicator.source
        assert indicator.names["zh"] and indicator.names["en"] and indicator.definitions["en"]


@pytest.mark.django_db
def test_every_source_query_runs():
    for indicator in indicators().values():
        source = get_source(indicator.source)
        assert source.queryset().count() == 0
        assert source.date_is_datetime() in (True, False)


def test_a_wrong_file_names_every_problem():
    text = """
indicators:
  - code: Bad-Code
    name: {zh: 甲}
    chain: money
    unit: litres
    unit_label: {zh: 件, en: x}
    definition: {zh: 甲, en: a}
    targets: {2026: 1.5}
  - code: ok_one
    name: {zh: 乙, en: b}
    chain: skills
    unit: percent
    unit_label: {zh: "%", en: "%"}
    source: lab.pass_rate
    definition: {zh: 乙, en: b}
    targets: {2026: 120}
"""
    with pytest.raises(DefinitionError) as error:
        parse(text)
    problems = " | ".join(error.value.problems)
    for expected in (
        "code must be",
        "name needs zh and en",
        "chain must be",
        "unit must be",
        "source is missing",
        "between 0 and 100",
    ):
        assert expected in problems


def test_targets_are_checked_against_their_unit():
    assert check_target("count", 120) == Decimal("120")
    assert check_target("percent", "100") == Decimal("100")
    assert check_target("money", "3000000.50") == Decimal("3000000.50")
    for unit, value in (
        ("count", 1.5),
        ("percent", 100.1),
        ("money", -1),
        ("hours", "abc"),
        ("money", "1.234"),
    ):
        with pytest.raises(ValueError):
            check_target(unit, value)
