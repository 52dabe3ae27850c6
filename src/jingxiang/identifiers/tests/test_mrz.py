"""Passport machine-readable zones (ICAO Doc 9303 TD3): the specimen, each check digit, and bad scans."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jingxiang.identifiers import MrzError, mrz_check_digit, parse_passport_mrz

# The specimen of ICAO Doc 9303 part 4 (Utopia, ERIKSSON ANNA MARIA).
SPECIMEN = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
TODAY = dt.date(2026, 12, 3)


def _line2(number: str, nationality: str, birth: str, sex: str, expiry: str, optional: str = "") -> str:
    number = number.ljust(9, "<")
    optional = optional.ljust(14, "<")
    optional_check = mrz_check_digit(optional) if optional.strip("<") else "<"
    head = number + mrz_check_digit(number)
    mid = birth + mrz_check_digit(birth)
    tail = expiry + mrz_check_digit(expiry) + optional + optional_check
    line = head + nationality + mid + sex + tail
    return line + mrz_check_digit(head + mid + tail)


def test_check_digits_of_the_specimen() -> None:
    assert mrz_check_digit("L898902C3") == "6"
    assert mrz_check_digit("740812") == "2"
    assert mrz_check_digit("120415") == "9"
    assert mrz_check_digit("<<<<<<<<<") == "0"


def test_the_specimen_reads_with_names_dates_and_nationality() -> None:
    read = parse_passport_mrz(SPECIMEN, today=TODAY)
    assert (read.surname, read.given_names, read.name) == ("ERIKSSON", "ANNA MARIA", "ERIKSSON ANNA MARIA")
    assert (read.issuing_state, read.nationality, read.document_number) == ("UTO", "UTO", "L898902C3")
    assert read.birth_date == dt.date(1974, 8, 12) and read.sex == "F"
    assert read.expiry_date == dt.date(2012, 4, 15)


def test_a_reader_that_types_one_run_or_spaces_or_lower_case_still_reads() -> None:
    one_run = SPECIMEN.replace("\n", "")
    assert parse_passport_mrz(one_run, today=TODAY).document_number == "L898902C3"
    messy = "  " + SPECIMEN.lower().replace("\n", "\r\n ") + "\r\n"
    assert parse_passport_mrz(messy, today=TODAY).surname == "ERIKSSON"


def test_a_korean_passport_with_an_expiry_in_the_future() -> None:
    first = "P<KORKIM<<MINJUN".ljust(44, "<")
    second = _line2("M12345678", "KOR", "900101", "M", "330630")
    read = parse_passport_mrz(first + "\n" + second, today=TODAY)
    assert read.name == "KIM MINJUN" and read.nationality == "KOR"
    assert read.birth_date == dt.date(1990, 1, 1) and read.expiry_date == dt.date(2033, 6, 30)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "mrz_empty"),
        ("P<UTOERIKSSON", "mrz_shape"),
        (SPECIMEN.replace("L898902C36", "L898902C35"), "mrz_check_number"),
        (SPECIMEN.replace("7408122", "7408123"), "mrz_check_birth"),
        (SPECIMEN.replace("1204159", "1204158"), "mrz_check_expiry"),
        (SPECIMEN.replace("ZE184226B<<<<<1", "ZE184226B<<<<<2"), "mrz_check_optional"),
        (SPECIMEN[:-1] + "9", "mrz_check_composite"),
        (SPECIMEN.replace("P<UTO", "I<UTO"), "mrz_not_passport"),
        (SPECIMEN.replace("ANNA<", "ANNA#"), "mrz_characters"),
    ],
)
def test_each_bad_scan_names_its_reason_in_both_languages(text: str, code: str) -> None:
    with pytest.raises(MrzError) as error:
        parse_passport_mrz(text, today=TODAY)
    assert error.value.code == code
    assert error.value.message and error.value.message_zh


def test_an_impossible_date_with_right_check_digits_is_refused() -> None:
    first = "P<KORKIM<<MINJUN".ljust(44, "<")
    second = _line2("M12345678", "KOR", "901301", "M", "330630")
    with pytest.raises(MrzError) as error:
        parse_passport_mrz(first + "\n" + second, today=TODAY)
    assert error.value.code == "mrz_date_birth"


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<", min_size=9, max_size=9))
def test_a_single_digit_substitution_always_changes_the_check_digit(
    number: str,
) -> None:
    # A check digit with weights 7-3-1 catches every single substitution of a digit by another digit.
    digits = "".join(c for c in number if c.isdigit())
    if digits:
        position = number.index(digits[0])
        replaced = number[:position] + str((int(digits[0]) + 1) % 10) + number[position + 1 :]
        assert mrz_check_digit(replaced) != mrz_check_digit(number)
