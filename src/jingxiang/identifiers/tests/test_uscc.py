"""统一社会信用代码: published examples, every reason code, normalisation and generation."""

from __future__ import annotations

import random

import pytest

from jingxiang.identifiers import (
    USCC_ALPHABET,
    USCCError,
    generate_uscc,
    is_valid_uscc,
    organisation_code_check_character,
    uscc_check_character,
    validate_uscc,
)

# Weights as printed in GB 32100-2015 (3^(i-1) mod 31); written out so the test does not reuse the
# implementation's arithmetic.
PRINTED_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# The example in GB 32100-2015 and codes widely reproduced on public business registers.
PUBLISHED_CODES = (
    "91350100M000100Y43",
    "91440300708461136T",
    "91110108551385082Q",
    "911100001000079554",
)


def reference_check_character(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, PRINTED_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


@pytest.mark.parametrize("code", PUBLISHED_CODES)
def test_published_codes_validate(code: str) -> None:
    result = validate_uscc(code)
    assert result.code == code
    assert uscc_check_character(code[:17]) == code[17] == reference_check_character(code[:17])


def test_standard_example_parts() -> None:
    result = validate_uscc("91350100M000100Y43")
    assert result.registration_authority == "9"
    assert result.registration_authority_name_zh == "工商"
    assert result.category == "1"
    assert result.category_name_zh == "企业"
    assert result.region_code == "350100"
    assert result.organisation_code == "M000100Y4"
    assert result.check_character == "3"


def test_organisation_code_check_worked_example() -> None:
    # GB 11714 body M000100Y with weights 3,7,9,10,5,8,4,2 and letters A=10..Z=35 (M=22, Y=34):
    # 22*3 + 1*5 + 34*2 = 139; 139 mod 11 = 7; 11 - 7 = 4.
    assert organisation_code_check_character("M000100Y") == "4"
    # Remainder 0 gives 11 -> '0'; remainder 1 gives 10 -> 'X' (6*2 = 12, 12 mod 11 = 1).
    assert organisation_code_check_character("00000000") == "0"
    assert organisation_code_check_character("00000006") == "X"
    # J is 19 in GB 11714 (full alphabet) although it is 18 in the USCC alphabet:
    # 19*2 = 38, 38 mod 11 = 5, 11 - 5 = 6.
    assert organisation_code_check_character("0000000J") == "6"


def test_normalisation_spaces_case_full_width() -> None:
    assert validate_uscc("  91350100m000100y43 ").code == "91350100M000100Y43"
    assert validate_uscc("９１３５０１００Ｍ０００１００Ｙ４３").code == "91350100M000100Y43"
    assert validate_uscc("9135 0100 M000 100Y 43").code == "91350100M000100Y43"
    assert validate_uscc("\u30009135\u30000100M000100Y43").code == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "uscc_empty"),
        ("", "uscc_empty"),
        ("   ", "uscc_empty"),
        ("91350100M000100Y4", "uscc_length"),
        ("91350100M000100Y433", "uscc_length"),
        ("91350100M000100I43", "uscc_characters"),
        ("91350100M000100Y4-", "uscc_characters"),
        ("B1350100M000100Y43", "uscc_authority"),
        ("94350100M000100Y43", "uscc_category"),
        ("91990100M000100Y43", "uscc_region"),
        ("91350100M000100Y53", "uscc_organisation_code_check"),
        ("91350100M000100Y44", "uscc_check"),
    ],
)
def test_every_error_code(value: str | None, code: str) -> None:
    with pytest.raises(USCCError) as caught:
        validate_uscc(value)
    assert caught.value.code == code
    assert caught.value.message and caught.value.message_zh
    assert not is_valid_uscc(value)


def test_error_messages_carry_details() -> None:
    with pytest.raises(USCCError) as caught:
        validate_uscc("91350100M000100Y4")
    assert caught.value.params == {"length": 17}
    assert "17" in caught.value.message and "17" in caught.value.message_zh
    with pytest.raises(USCCError) as caught:
        validate_uscc("9135O100M000100S43")
    assert caught.value.params == {"characters": "O S"}


def test_check_error_does_not_suggest_the_expected_character() -> None:
    # Telling people the "right" last character invites them to fix the wrong position.
    with pytest.raises(USCCError) as caught:
        validate_uscc("91350100M000100Y44")
    assert caught.value.params["expected"] == "3"
    assert "'3'" not in caught.value.message


def test_organisation_code_check_can_be_skipped_but_final_check_cannot() -> None:
    first17 = "92331082" + "12345678" + "9"  # organisation-code check digit deliberately wrong
    code = first17 + uscc_check_character(first17)
    with pytest.raises(USCCError) as caught:
        validate_uscc(code)
    assert caught.value.code == "uscc_organisation_code_check"
    assert validate_uscc(code, check_organisation_code=False).category_name_zh == "个体工商户"
    broken = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(USCCError):
        validate_uscc(broken, check_organisation_code=False)


def test_national_region_code_accepted() -> None:
    assert validate_uscc("911100001000079554").region_code == "110000"
    first17 = "91100000" + "10000001"
    first17 += organisation_code_check_character("10000001")
    assert validate_uscc(first17 + uscc_check_character(first17)).region_code == "100000"


def test_generate_is_valid_deterministic_and_linhai_by_default() -> None:
    codes = [generate_uscc(random.Random(7)) for _ in range(3)]
    assert len(set(codes)) == 1
    result = validate_uscc(codes[0])
    assert result.region_code == "331082"
    assert result.organisation_code.startswith("MA")


def test_generate_other_kinds_and_old_style_body() -> None:
    rng = random.Random(3)
    union = validate_uscc(generate_uscc(rng, "331082", registration_authority="8", category="1"))
    assert union.registration_authority_name_zh == "工会"
    old = validate_uscc(generate_uscc(rng, "331082", organisation_code_body="70423713"))
    assert old.organisation_code == "704237137"  # 21+0+36+20+15+56+4+6 = 158 -> 158 mod 11 = 4 -> 7


@pytest.mark.parametrize(
    "kwargs",
    [
        {"region_code": "991082"},
        {"registration_authority": "B"},
        {"category": "9"},
        {"organisation_code_body": "MA12345"},
        {"organisation_code_body": "MA12345I"},
    ],
)
def test_generate_rejects_bad_parameters(kwargs: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        generate_uscc(random.Random(1), **kwargs)


@pytest.mark.parametrize("bad", ["", "123", "91350100M000100I4", "91350100m000100Y4"])
def test_check_character_rejects_malformed_input(bad: str) -> None:
    with pytest.raises(ValueError):
        uscc_check_character(bad)
