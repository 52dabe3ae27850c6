"""Mobile numbers: the forms people type, and every reason code."""

from __future__ import annotations

import pytest

from jingxiang.identifiers import MobileError, is_valid_mobile, normalise_mobile, validate_mobile


@pytest.mark.parametrize(
    "value",
    [
        "13812341234",
        " 13812341234 ",
        "138 1234 1234",
        "138-1234-1234",
        "+86 138 1234 1234",
        "+8613812341234",
        "8613812341234",
        "0086 13812341234",
        "(+86) 138-1234-1234",
        "１３８１２３４１２３４",
        "＋８６　１３８１２３４１２３４",
    ],
)
def test_accepted_forms_normalise_to_eleven_digits(value: str) -> None:
    assert validate_mobile(value) == "13812341234"
    assert is_valid_mobile(value)


@pytest.mark.parametrize("prefix", ["13", "14", "15", "16", "17", "18", "19"])
def test_every_allowed_prefix(prefix: str) -> None:
    assert validate_mobile(prefix + "012345678") == prefix + "012345678"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "mobile_empty"),
        ("", "mobile_empty"),
        (" - ", "mobile_empty"),
        ("138a2341234", "mobile_characters"),
        ("138.1234.1234", "mobile_characters"),
        ("1381234123", "mobile_length"),
        ("138123412345", "mobile_length"),
        ("0576-85123456", "mobile_length"),  # a Linhai landline
        ("12812341234", "mobile_prefix"),
        ("23812341234", "mobile_prefix"),
    ],
)
def test_every_error_code(value: str | None, code: str) -> None:
    with pytest.raises(MobileError) as caught:
        validate_mobile(value)
    assert caught.value.code == code
    assert caught.value.message and caught.value.message_zh
    assert not is_valid_mobile(value)


def test_bare_86_is_only_a_prefix_on_thirteen_digits() -> None:
    # An 11-digit string that starts with 86 is not shortened into something else.
    assert normalise_mobile("86123456789") == "86123456789"
    assert normalise_mobile("8613812341234") == "13812341234"


def test_length_error_reports_the_digit_count() -> None:
    with pytest.raises(MobileError) as caught:
        validate_mobile("138 1234 123")
    assert caught.value.params == {"length": 10}
