"""居民身份证号码 (resident identity card number) per GB 11643-1999.

Layout: 6-digit region code (where the number was first issued), 8-digit birth date YYYYMMDD,
3-digit sequence whose last digit is odd for men and even for women, and an ISO 7064 MOD 11-2 check
digit ('X' stands for 10). The weights 2^k mod 11 are all non-zero and digits differ by less than 11,
so any single mistyped digit changes the weighted sum modulo 11 and is caught.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from enum import StrEnum

from jingxiang.identifiers.errors import ResidentIdError
from jingxiang.identifiers.normalisation import normalise_code
from jingxiang.identifiers.regions import is_region_code

RESIDENT_ID_LENGTH = 18
LEGACY_RESIDENT_ID_LENGTH = 15
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
_WEIGHTS = tuple(pow(2, 17 - position, 11) for position in range(17))
_CHECK_CHARACTERS = "10X98765432"  # indexed by weighted sum mod 11


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class ResidentIdResult:
    """A validated number; ``number`` is normalised (half-width, upper-case X)."""

    number: str
    region_code: str
    birth_date: dt.date
    sequence: str
    sex: Sex

    @property
    def check_digit(self) -> str:
        return self.number[17]


def resident_id_check_digit(first17: str) -> str:
    """The MOD 11-2 check character for 17 digits. Raises ``ValueError`` on malformed input."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"need 17 digits, got {first17!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARACTERS[total % 11]


def normalise_resident_id(value: str | None) -> str:
    """Strip spaces, convert full-width characters and upper-case the X; does not validate."""
    return normalise_code(value)


def validate_resident_id(value: str | None, *, today: dt.date | None = None) -> ResidentIdResult:
    """Validate a 居民身份证号码 and return its parts, or raise ``ResidentIdError`` with a reason code.

    ``today`` bounds the birth date (pass it in tests and batch jobs so results do not depend on the
    clock; the default is the local date). 15-digit first-generation numbers get their own reason
    because their holders need a different instruction, not just "wrong length".
    """
    number = normalise_resident_id(value)
    if not number:
        raise ResidentIdError("resident_id_empty")
    if len(number) == LEGACY_RESIDENT_ID_LENGTH and number.isascii() and number.isdigit():
        raise ResidentIdError("resident_id_legacy_15")
    if len(number) != RESIDENT_ID_LENGTH:
        raise ResidentIdError("resident_id_length", length=len(number))
    body, check = number[:17], number[17]
    if not (body.isascii() and body.isdigit()) or check not in "0123456789X":
        raise ResidentIdError("resident_id_characters")
    region_code = number[:6]
    if not is_region_code(region_code):
        raise ResidentIdError("resident_id_region", region=region_code)
    raw_birth_date = number[6:14]
    try:
        birth_date = dt.date(int(raw_birth_date[:4]), int(raw_birth_date[4:6]), int(raw_birth_date[6:]))
    except ValueError:
        raise ResidentIdError("resident_id_birth_date_invalid", birth_date=raw_birth_date) from None
    if birth_date < EARLIEST_BIRTH_DATE:
        raise ResidentIdError("resident_id_birth_date_too_early", birth_date=birth_date.isoformat())
    if birth_date > (today or dt.date.today()):
        raise ResidentIdError("resident_id_birth_date_future", birth_date=birth_date.isoformat())
    expected = resident_id_check_digit(body)
    if check != expected:
        raise ResidentIdError("resident_id_check", actual=check, expected=expected)
    sequence = number[14:17]
    return ResidentIdResult(
        number=number,
        region_code=region_code,
        birth_date=birth_date,
        sequence=sequence,
        sex=Sex.MALE if int(sequence[2]) % 2 == 1 else Sex.FEMALE,
    )


def is_valid_resident_id(value: str | None, *, today: dt.date | None = None) -> bool:
    """Convenience predicate where the reason does not matter."""
    try:
        validate_resident_id(value, today=today)
    except ResidentIdError:
        return False
    return True


def resident_id_birth_date(value: str, *, today: dt.date | None = None) -> dt.date:
    """Birth date of a valid number (raises ``ResidentIdError`` if it is not valid)."""
    return validate_resident_id(value, today=today).birth_date


def resident_id_sex(value: str, *, today: dt.date | None = None) -> Sex:
    """Sex recorded in a valid number (odd 17th digit: male)."""
    return validate_resident_id(value, today=today).sex


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Completed years of age on a date (someone born on 29 February turns a year older on 1 March)."""
    had_birthday = (on.month, on.day) >= (birth_date.month, birth_date.day)
    return on.year - birth_date.year - (0 if had_birthday else 1)


def generate_resident_id(
    rng: random.Random,
    region_code: str,
    birth_date: dt.date,
    sex: Sex | str,
) -> str:
    """A valid-checksum test number for demo data and tests, drawn only from ``rng``.

    The numbers are invented: a random sequence with the right parity for ``sex``. They are not
    meant to be real people's numbers and must never be mixed with real data.
    """
    sex = Sex(sex)
    if not is_region_code(region_code):
        raise ValueError(f"not a region code: {region_code!r}")
    if birth_date < EARLIEST_BIRTH_DATE or birth_date.year > 9999:
        raise ValueError(f"birth date out of range: {birth_date}")
    sex_digit = rng.choice("13579" if sex is Sex.MALE else "02468")
    sequence = f"{rng.randrange(100):02d}{sex_digit}"
    first17 = f"{region_code}{birth_date:%Y%m%d}{sequence}"
    return first17 + resident_id_check_digit(first17)
