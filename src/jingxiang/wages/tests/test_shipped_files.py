"""The shipped example agreement and the Zhejiang statutory table: valid, and with the published figures."""

from __future__ import annotations

from decimal import Decimal

from jingxiang.wages import builtin_statutory, find_level, load_agreement_text, validate_agreement_text
from jingxiang.wages.amounts import parse_month
from jingxiang.wages.loading import read_resource

D = Decimal


def example_text() -> str:
    return read_resource("agreements", "linhai-eyewear.yaml")


def test_zhejiang_table_has_the_2024_tiers_from_january() -> None:
    table = builtin_statutory("zhejiang")
    assert table is not None
    december, january = table.period_for(parse_month("2023-12")), table.period_for(parse_month("2024-01"))
    assert december is not None and january is not None
    assert dict(january.monthly) == {1: D(2490), 2: D(2260), 3: D(2010)}
    assert dict(january.hourly) == {1: D(24), 2: D(22), 3: D(20)}
    assert december.monthly[2] == D(2070)
    assert table.tier_of("临海市").tier == 2  # type: ignore[union-attr]
    assert table.period_for(parse_month("2021-07")) is None


def test_builtin_lookup_refuses_odd_names() -> None:
    assert builtin_statutory("../../etc/passwd") is None
    assert builtin_statutory("nowhere") is None


def test_example_agreement_is_valid_without_warnings() -> None:
    assert validate_agreement_text(example_text(), "linhai-eyewear.yaml") == []


def test_example_norms_meet_every_class_floor() -> None:
    agreement = load_agreement_text(example_text())
    for term in agreement.terms:
        for post in agreement.posts:
            amounts = term.table[post.post_class.code]
            entry = amounts[min(amounts)]
            assert entry >= D(2260) * post.post_class.floor_percent / 100


def test_example_norm_in_the_second_year_of_the_two_year_term() -> None:
    agreement = load_agreement_text(example_text())
    post = agreement.find_post("抛光")
    level = find_level("中级工")
    assert post is not None and level is not None
    assert agreement.norm(post, level, parse_month("2026-12")).amount == D("2760")
    assert agreement.norm(post, level, parse_month("2027-01")).amount == D("2898.00")
    assert agreement.norm(post, level, parse_month("2025-06")).amount == D("2650")


def test_level_codes_match_the_academy_ladder() -> None:
    """The web app passes academy certificate levels straight to the engine (the engine never imports Django)."""
    from jingxiang.academy.models import Ladder
    from jingxiang.wages import reference

    assert [(level.code, level.name_zh) for level in reference().levels] == [
        (value, str(label)) for value, label in Ladder.choices
    ]
