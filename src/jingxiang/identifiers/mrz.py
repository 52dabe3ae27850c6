"""The machine-readable zone (MRZ) of a passport, as a passport reader types it (ICAO Doc 9303 part 4, TD3).

A tax-refund counter reads the visitor's passport with a reader that acts as a keyboard: it types the
two lines of the MRZ into whatever field has focus. Reading those lines, rather than retyping name,
nationality and number by hand, removes the typing errors that make a refund form fail verification at
customs later. The check digits (weights 7, 3, 1 over the character values 0–9, A–Z = 10–35, < = 0)
catch a misread line before anything is issued.

Layout of TD3 (two lines of 44):

- line 1: ``P`` + type letter or ``<`` · issuing state (3) · ``SURNAME<<GIVEN<NAMES`` padded with ``<``;
- line 2: document number (9) + check · nationality (3) · birth ``YYMMDD`` + check · sex (``M``/``F``/``<``)
  · expiry ``YYMMDD`` + check · optional data (14) + check · composite check over the number, birth,
  expiry and optional data with their check digits.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from jingxiang.identifiers.errors import MrzError

LINE_LENGTH = 44
_ALLOWED = re.compile(r"[A-Z0-9<]")
_WEIGHTS = (7, 3, 1)


def mrz_check_digit(field: str) -> str:
    """The ICAO 9303 check digit of ``field`` (digits, capital letters and the filler ``<``)."""
    total = 0
    for position, character in enumerate(field):
        if character.isdigit():
            value = int(character)
        elif "A" <= character <= "Z":
            value = ord(character) - ord("A") + 10
        else:
            value = 0
        total += value * _WEIGHTS[position % 3]
    return str(total % 10)


@dataclass(frozen=True)
class PassportMrz:
    """What the MRZ says, checked: names as printed in the MRZ (Latin letters, spaces for fillers)."""

    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: dt.date
    sex: str
    expiry_date: dt.date

    @property
    def name(self) -> str:
        """``SURNAME GIVEN NAMES`` as the refund form prints it."""
        return " ".join(part for part in (self.surname, self.given_names) if part)


def _lines(text: str) -> tuple[str, str]:
    # Readers end lines with CR, LF or both, and some pad with spaces; a pasted MRZ may be one run of 88.
    raw = [line.strip().replace(" ", "").upper() for line in re.split(r"[\r\n]+", text.strip())]
    lines = [line for line in raw if line]
    if len(lines) == 1 and len(lines[0]) == 2 * LINE_LENGTH:
        lines = [lines[0][:LINE_LENGTH], lines[0][LINE_LENGTH:]]
    if len(lines) != 2 or any(len(line) != LINE_LENGTH for line in lines):
        shape = " + ".join(str(len(line)) for line in lines) or "0"
        raise MrzError("mrz_shape", shape=shape)
    bad = sorted({c for line in lines for c in line if not _ALLOWED.fullmatch(c)})
    if bad:
        raise MrzError("mrz_characters", characters=" ".join(bad))
    return lines[0], lines[1]


def _date(value: str, field: str, *, future: bool, today: dt.date) -> dt.date:
    """YYMMDD with the century the document makes likely: a birth date is never in the future, an
    expiry date is at most about 20 years ahead (passports are valid 10 years, some 20 at most)."""
    try:
        year, month, day = int(value[0:2]), int(value[2:4]), int(value[4:6])
        candidate = dt.date(2000 + year, month, day)
    except ValueError:
        raise MrzError(f"mrz_date_{field}", value=value) from None
    if future:
        if candidate.year > today.year + 30:
            candidate = candidate.replace(year=candidate.year - 100)
    elif candidate > today:
        candidate = candidate.replace(year=candidate.year - 100)
    return candidate


def _check(field: str, digit: str, code: str) -> None:
    expected = mrz_check_digit(field)
    if digit != expected:
        raise MrzError(f"mrz_check_{code}", actual=digit, expected=expected)


def parse_passport_mrz(text: str, *, today: dt.date | None = None) -> PassportMrz:
    """Read and check a TD3 machine-readable zone; :class:`MrzError` says what is wrong."""
    if not text or not text.strip():
        raise MrzError("mrz_empty")
    today = today or dt.date.today()
    first, second = _lines(text)
    if first[0] != "P":
        raise MrzError("mrz_not_passport", start=first[0])
    number, number_check = second[0:9], second[9]
    birth, birth_check = second[13:19], second[19]
    expiry, expiry_check = second[21:27], second[27]
    optional, optional_check = second[28:42], second[42]
    _check(number, number_check, "number")
    _check(birth, birth_check, "birth")
    _check(expiry, expiry_check, "expiry")
    # The optional-data check digit may be a filler when the field is empty (Doc 9303 allows '<' or 0).
    if optional.strip("<") or optional_check not in {"<", "0"}:
        _check(optional, optional_check, "optional")
    _check(second[0:10] + second[13:20] + second[21:43], second[43], "composite")
    surname, _, given = first[5:].partition("<<")
    return PassportMrz(
        issuing_state=first[2:5].replace("<", ""),
        surname=surname.replace("<", " ").strip(),
        given_names=given.replace("<", " ").strip(),
        document_number=number.replace("<", ""),
        nationality=second[10:13].replace("<", ""),
        birth_date=_date(birth, "birth", future=False, today=today),
        sex=second[20].replace("<", ""),
        expiry_date=_date(expiry, "expiry", future=True, today=today),
    )
