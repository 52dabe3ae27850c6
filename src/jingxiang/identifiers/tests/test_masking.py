"""Masking conventions, including empty and short values (never reveal more than the convention)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jingxiang.identifiers import mask_email, mask_mobile, mask_name, mask_resident_id


def test_documented_examples() -> None:
    assert mask_mobile("13812341234") == "138****1234"
    assert mask_resident_id("33108219900101123X") == "3310**********123X"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧阳**"


def test_mobile_is_normalised_before_masking() -> None:
    assert mask_mobile("+86 138-1234-1234") == "138****1234"
    assert mask_mobile("１３８１２３４１２３４") == "138****1234"


def test_resident_id_is_normalised_before_masking() -> None:
    assert mask_resident_id(" 33108219900101123x ") == "3310**********123X"


@pytest.mark.parametrize("mask", [mask_mobile, mask_resident_id, mask_name, mask_email])
@pytest.mark.parametrize("value", [None, "", "   "])
def test_empty_values(mask: Callable[[str | None], str], value: str | None) -> None:
    assert mask(value) == ""


@pytest.mark.parametrize(
    ("value", "masked"),
    [("1", "*"), ("1381234", "*******"), ("13812345", "********"), ("13812341234", "138****1234")],
)
def test_short_mobile_values_are_fully_masked(value: str, masked: str) -> None:
    # "13812345" would show 7 of 8 digits with the 3+4 convention, so it is hidden completely.
    assert mask_mobile(value) == masked


def test_short_resident_id_values_are_fully_masked() -> None:
    assert mask_resident_id("3310821") == "*******"
    assert mask_resident_id("331082123456") == "3310****3456"


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张", "*"),
        ("李小龙", "李**"),
        ("欧阳", "欧*"),  # a compound surname alone is treated as surname + given name
        ("司马光明", "司马**"),
        ("买买提·艾力", "买**·**"),
        ("John Smith", "J*** *****"),
        ("  王芳 ", "王*"),
    ],
)
def test_names(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_masked_values_never_contain_hidden_digits() -> None:
    number = "33108219900101123X"
    assert "19900101" not in mask_resident_id(number)
    assert "1234" not in mask_mobile("13812345678")[:7]


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("zhang.san@example.com", "z***@example.com"),
        ("a@Example.COM", "a***@example.com"),  # a one-letter mailbox looks like every other
        (" li@qq.com ", "l***@qq.com"),
        ("no-at-sign", "***"),
        ("@example.com", "***"),
        ("name@", "***"),
    ],
)
def test_email(address: str, masked: str) -> None:
    assert mask_email(address) == masked
