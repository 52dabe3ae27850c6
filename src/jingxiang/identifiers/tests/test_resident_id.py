"""居民身份证号码: the GB 11643 example, every reason code, normalisation and generation."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from jingxiang.identifiers import (
    ResidentIdError,
    Sex,
    age_on,
    generate_resident_id,
    is_valid_resident_id,
    resident_id_birth_date,
    resident_id_check_digit,
    resident_id_sex,
    validate_resident_id,
)

TODAY = dt.date(2025, 6, 20)
# Weights as printed in GB 11643-1999, written out independently of the implementation.
PRINTED_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def reference_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, PRINTED_WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


def test_standard_example_validates() -> None:
    # The example printed in GB 11643-1999: a woman born 1949-12-31 in Beijing's 朝阳区.
    result = validate_resident_id("11010519491231002X", today=TODAY)
    assert reference_check_digit("11010519491231002") == "X"
    assert result.region_code == "110105"
    assert result.birth_date == dt.date(1949, 12, 31)
    assert result.sequence == "002"
    assert result.sex is Sex.FEMALE
    assert result.check_digit == "X"


def test_standard_example_with_1880_birth_date_is_refused_by_our_range_rule() -> None:
    # The other GB 11643 example has a valid check digit but a birth year before 1900.
    assert resident_id_check_digit("44052418800101001") == "4"
    with pytest.raises(ResidentIdError) as caught:
        validate_resident_id("440524188001010014", today=TODAY)
    assert caught.value.code == "resident_id_birth_date_too_early"


def test_helpers_read_birth_date_and_sex() -> None:
    number = "33108219900101123X"[:17]
    number += resident_id_check_digit(number)
    assert resident_id_birth_date(number, today=TODAY) == dt.date(1990, 1, 1)
    assert resident_id_sex(number, today=TODAY) is Sex.MALE  # 3 is odd


def test_normalisation() -> None:
    assert validate_resident_id(" 11010519491231002x ", today=TODAY).number == "11010519491231002X"
    assert (
        validate_resident_id("１１０１０５１９４９１２３１００２Ｘ", today=TODAY).number
        == "11010519491231002X"
    )
    assert validate_resident_id("110105 19491231 002X", today=TODAY).number == "11010519491231002X"


def with_check(first17: str) -> str:
    return first17 + reference_check_digit(first17)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "resident_id_empty"),
        ("", "resident_id_empty"),
        ("110105491231002", "resident_id_legacy_15"),
        ("11010519491231002", "resident_id_length"),
        ("11010519491231002XX", "resident_id_length"),
        ("1101051949123100AX", "resident_id_characters"),
        ("11010519491231002Y", "resident_id_characters"),
        (with_check("99010519491231002"), "resident_id_region"),
        (with_check("11010519490230002"), "resident_id_birth_date_invalid"),
        (with_check("11010519491301002"), "resident_id_birth_date_invalid"),
        (with_check("11010518991231002"), "resident_id_birth_date_too_early"),
        (with_check("11010520250621002"), "resident_id_birth_date_future"),
        ("110105194912310021", "resident_id_check"),
    ],
)
def test_every_error_code(value: str | None, code: str) -> None:
    with pytest.raises(ResidentIdError) as caught:
        validate_resident_id(value, today=TODAY)
    assert caught.value.code == code
    assert caught.value.message and caught.value.message_zh
    assert not is_valid_resident_id(value, today=TODAY)


def test_born_today_is_valid_and_leap_day_is_a_real_date() -> None:
    assert validate_resident_id(with_check("33108220250620001"), today=TODAY).birth_date == TODAY
    assert validate_resident_id(with_check("33108220000229002"), today=TODAY).birth_date == dt.date(
        2000, 2, 29
    )


def test_generate_matches_requested_fields() -> None:
    rng = random.Random(11)
    for sex in Sex:
        number = generate_resident_id(rng, "331082", dt.date(1975, 3, 9), sex)
        result = validate_resident_id(number, today=TODAY)
        assert result.region_code == "331082"
        assert result.birth_date == dt.date(1975, 3, 9)
        assert result.sex is sex


def test_generate_is_deterministic() -> None:
    first = generate_resident_id(random.Random(5), "330302", dt.date(1988, 8, 8), "female")
    second = generate_resident_id(random.Random(5), "330302", dt.date(1988, 8, 8), Sex.FEMALE)
    assert first == second


@pytest.mark.parametrize(
    ("region", "birth_date"),
    [("991082", dt.date(1980, 1, 1)), ("33108", dt.date(1980, 1, 1)), ("331082", dt.date(1899, 12, 31))],
)
def test_generate_rejects_bad_parameters(region: str, birth_date: dt.date) -> None:
    with pytest.raises(ValueError):
        generate_resident_id(random.Random(1), region, birth_date, Sex.MALE)


def test_check_digit_rejects_malformed_input() -> None:
    with pytest.raises(ValueError):
        resident_id_check_digit("1101051949123100X")


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (dt.date(1990, 6, 20), dt.date(2025, 6, 20), 35),
        (dt.date(1990, 6, 21), dt.date(2025, 6, 20), 34),
        (dt.date(2000, 2, 29), dt.date(2025, 2, 28), 24),
        (dt.date(2000, 2, 29), dt.date(2025, 3, 1), 25),
    ],
)
def test_age_on(birth: dt.date, on: dt.date, age: int) -> None:
    assert age_on(birth, on) == age
