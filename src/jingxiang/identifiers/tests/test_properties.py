"""Property-based tests: generated numbers validate, and single errors are caught.

Why single substitutions are always caught here (so the properties below have no exceptions other
than substitutes that *normalise* to the original character, like 'a' for 'A' or a full-width 'Ａ'):

* USCC: the final check is a weighted sum mod 31 over a 31-character alphabet. 31 is prime and every
  weight 3^i mod 31 is non-zero, so changing one value by d (0 < |d| < 31) changes the sum by
  d * w != 0 (mod 31). A substitute outside the alphabet fails the character check instead, and a
  whitespace substitute shortens the code. Adjacent transpositions change the sum by
  (a - b)(w_i - w_{i+1}) = (a - b) * w_i * (1 - 3) != 0 (mod 31); with the check character (weight 1)
  the factor is 28 - 1 = 27, also non-zero.
* Resident ID: MOD 11-2 with weights 2^k mod 11 (all non-zero) and digit values differing by less
  than 11, so the same argument works modulo the prime 11; 'X' can only be the last character.
* Mobile numbers have no check digit: a changed digit after the prefix is another valid number. The
  test states that limitation explicitly instead of pretending otherwise.
"""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import assume, given
from hypothesis import strategies as st

from jingxiang.identifiers import (
    USCC_ALPHABET,
    Sex,
    generate_resident_id,
    generate_uscc,
    is_valid_mobile,
    is_valid_resident_id,
    is_valid_uscc,
    mask_mobile,
    mask_resident_id,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)
from jingxiang.identifiers.normalisation import normalise_code
from jingxiang.identifiers.regions import ZHEJIANG_REGION_NAMES
from jingxiang.identifiers.uscc import REGISTRATION_AUTHORITIES

TODAY = dt.date(2025, 6, 20)
REGIONS = st.sampled_from([*sorted(ZHEJIANG_REGION_NAMES), "110105", "440305", "100000"])
AUTHORITY_AND_CATEGORY = st.sampled_from(
    [
        (authority, category)
        for authority, (_, categories) in REGISTRATION_AUTHORITIES.items()
        for category in categories
    ]
)
SEEDS = st.integers(min_value=0, max_value=2**32)
BIRTH_DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
# Any character a person could paste: letters, digits, punctuation, CJK, full-width forms, spaces.
SUBSTITUTES = st.characters(codec="utf-8", exclude_categories=("Cs",))


@st.composite
def valid_usccs(draw: st.DrawFn) -> str:
    authority, category = draw(AUTHORITY_AND_CATEGORY)
    return generate_uscc(
        random.Random(draw(SEEDS)), draw(REGIONS), registration_authority=authority, category=category
    )


@st.composite
def valid_resident_ids(draw: st.DrawFn) -> str:
    region = draw(REGIONS.filter(lambda code: code != "100000"))
    return generate_resident_id(
        random.Random(draw(SEEDS)), region, draw(BIRTH_DATES), draw(st.sampled_from(Sex))
    )


@given(valid_usccs())
def test_generated_usccs_validate(code: str) -> None:
    assert validate_uscc(code).code == code


@given(valid_usccs(), st.integers(min_value=0, max_value=17), SUBSTITUTES)
def test_any_single_substitution_breaks_a_uscc(code: str, position: int, substitute: str) -> None:
    mutated = code[:position] + substitute + code[position + 1 :]
    assume(normalise_code(mutated) != code)
    assert not is_valid_uscc(mutated)


@given(valid_usccs())
def test_every_alphabet_substitution_breaks_a_uscc(code: str) -> None:
    # Exhaustive over positions and the 31-character alphabet for each generated code: this is the
    # check-character arithmetic itself, which random single draws would sample too thinly.
    for position in range(18):
        for substitute in USCC_ALPHABET:
            if substitute != code[position]:
                assert not is_valid_uscc(code[:position] + substitute + code[position + 1 :]), (
                    position,
                    substitute,
                )


@given(valid_usccs())
def test_every_adjacent_transposition_breaks_a_uscc(code: str) -> None:
    for position in range(17):
        if code[position] != code[position + 1]:
            swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
            assert not is_valid_uscc(swapped), position


@given(valid_resident_ids())
def test_generated_resident_ids_validate(number: str) -> None:
    assert validate_resident_id(number, today=TODAY).number == number


@given(valid_resident_ids(), st.integers(min_value=0, max_value=17), SUBSTITUTES)
def test_any_single_substitution_breaks_a_resident_id(number: str, position: int, substitute: str) -> None:
    mutated = number[:position] + substitute + number[position + 1 :]
    assume(normalise_code(mutated) != number)
    assert not is_valid_resident_id(mutated, today=TODAY)


@given(valid_resident_ids())
def test_every_digit_substitution_breaks_a_resident_id(number: str) -> None:
    for position in range(18):
        for substitute in "0123456789X":
            if substitute != number[position]:
                mutated = number[:position] + substitute + number[position + 1 :]
                assert not is_valid_resident_id(mutated, today=TODAY), (position, substitute)


@given(valid_resident_ids())
def test_every_adjacent_transposition_breaks_a_resident_id(number: str) -> None:
    for position in range(17):
        if number[position] != number[position + 1]:
            swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
            assert not is_valid_resident_id(swapped, today=TODAY), position


MOBILES = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@given(MOBILES, st.lists(st.sampled_from([" ", "-", "\u3000"]), min_size=10, max_size=10), st.booleans())
def test_formatted_mobiles_normalise(number: str, separators: list[str], full_width: bool) -> None:
    formatted = "+86 " + "".join(
        digit + separator for digit, separator in zip(number, [*separators, ""], strict=True)
    )
    if full_width:
        formatted = formatted.translate({code: code + 0xFEE0 for code in range(0x21, 0x7F)})
    assert validate_mobile(formatted) == number


@given(MOBILES, st.integers(min_value=2, max_value=10), st.sampled_from("0123456789"))
def test_mobile_has_no_check_digit(number: str, position: int, digit: str) -> None:
    # A documented limitation, not a feature: typos after the prefix cannot be detected.
    assert is_valid_mobile(number[:position] + digit + number[position + 1 :])


@given(MOBILES, st.sampled_from("012"))
def test_mobile_second_digit_below_three_is_refused(number: str, digit: str) -> None:
    assert not is_valid_mobile(number[0] + digit + number[2:])


@given(MOBILES)
def test_mobile_mask_hides_the_middle_four(number: str) -> None:
    masked = mask_mobile(number)
    assert masked == number[:3] + "****" + number[7:]


@given(valid_resident_ids())
def test_resident_id_mask_hides_the_birth_date(number: str) -> None:
    masked = mask_resident_id(number)
    assert len(masked) == 18
    assert masked[:4] == number[:4] and masked[-4:] == number[-4:]
    assert set(masked[4:14]) == {"*"}
