"""Mainland China mobile numbers: 11 digits starting 13-19.

People write them as ``+86 138-1234-1234``, ``0086 13812341234``, ``(+86)13812341234`` or with
full-width digits from a Chinese input method; all of these are the same number, and we store and
compare the bare 11 digits so that log-in by mobile number and duplicate checks work.

A mobile number has no check digit, so validation can only catch wrong length and impossible
prefixes; it cannot tell a mistyped digit from a real number.
"""

from __future__ import annotations

import re

from jingxiang.identifiers.errors import MobileError
from jingxiang.identifiers.normalisation import to_half_width

MOBILE_LENGTH = 11
_SEPARATORS = re.compile(r"[\s\-()\u00a0]")
_COUNTRY_PREFIXES = ("+86", "0086", "86")
_MOBILE_PATTERN = re.compile(r"1[3-9][0-9]{9}")


def normalise_mobile(value: str | None) -> str:
    """Remove separators, full-width forms and the +86/0086/86 country prefix; does not validate.

    The bare ``86`` prefix is only removed from 13-digit input, because an 11-digit number can
    never start with 86 and we must not shorten other strings by accident.
    """
    if value is None:
        return ""
    compact = _SEPARATORS.sub("", to_half_width(str(value)))
    for prefix in _COUNTRY_PREFIXES:
        if compact.startswith(prefix) and (prefix != "86" or len(compact) == MOBILE_LENGTH + 2):
            return compact[len(prefix) :]
    return compact


def validate_mobile(value: str | None) -> str:
    """Return the normalised 11-digit number or raise ``MobileError`` with a reason code."""
    number = normalise_mobile(value)
    if not number:
        raise MobileError("mobile_empty")
    if not (number.isascii() and number.isdigit()):
        raise MobileError("mobile_characters")
    if len(number) != MOBILE_LENGTH:
        raise MobileError("mobile_length", length=len(number))
    if not _MOBILE_PATTERN.fullmatch(number):
        raise MobileError("mobile_prefix")
    return number


def is_valid_mobile(value: str | None) -> bool:
    """Convenience predicate where the reason does not matter."""
    try:
        validate_mobile(value)
    except MobileError:
        return False
    return True
