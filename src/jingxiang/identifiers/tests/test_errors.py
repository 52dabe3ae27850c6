"""The message catalogue: every code has English and Chinese text with the same placeholders."""

from __future__ import annotations

import pickle
import re

import pytest

from jingxiang.identifiers import MESSAGES, IdentifierError, MobileError, USCCError

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_templates_share_placeholders(code: str) -> None:
    english, chinese = MESSAGES[code]
    assert english and chinese
    assert set(PLACEHOLDER.findall(english)) == set(PLACEHOLDER.findall(chinese))
    assert re.search(r"[\u4e00-\u9fff]", chinese), "the zh-hans text must be Chinese"


def test_error_fields() -> None:
    error = USCCError("uscc_length", length=17)
    assert error.code == "uscc_length"
    assert error.template == MESSAGES["uscc_length"][0]
    assert error.params == {"length": 17}
    assert error.message == "A unified social credit code has 18 characters; this one has 17."
    assert error.message_zh == "统一社会信用代码应为18位，当前为17位。"
    assert str(error) == error.message
    assert isinstance(error, ValueError) and isinstance(error, IdentifierError)
    assert "uscc_length" in repr(error)


def test_errors_survive_pickling() -> None:
    # Background import jobs move errors between processes.
    error = USCCError("uscc_check", actual="4", expected="3")
    restored = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes, round trip
    assert type(restored) is USCCError
    assert (restored.code, restored.params, restored.message_zh) == (
        error.code,
        error.params,
        error.message_zh,
    )


def test_unknown_code_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        MobileError("mobile_typo")
