"""Chinese identifiers: validation, normalisation, test-number generation and masking.

Plain Python with no Django import, so the Excel importer, the API, the demo-data generator and the
forms all share one definition of "valid". Errors are ``IdentifierError`` subclasses with a stable
``code``, an English ``template`` + ``params`` for gettext, and ready ``message``/``message_zh`` texts.
"""

from jingxiang.identifiers.errors import (
    MESSAGES,
    IdentifierError,
    MobileError,
    MrzError,
    ResidentIdError,
    USCCError,
)
from jingxiang.identifiers.masking import mask_email, mask_mobile, mask_name, mask_resident_id
from jingxiang.identifiers.mobile import is_valid_mobile, normalise_mobile, validate_mobile
from jingxiang.identifiers.mrz import PassportMrz, mrz_check_digit, parse_passport_mrz
from jingxiang.identifiers.resident_id import (
    ResidentIdResult,
    Sex,
    age_on,
    generate_resident_id,
    is_valid_resident_id,
    normalise_resident_id,
    resident_id_birth_date,
    resident_id_check_digit,
    resident_id_sex,
    validate_resident_id,
)
from jingxiang.identifiers.uscc import (
    USCC_ALPHABET,
    USCCResult,
    generate_uscc,
    is_valid_uscc,
    normalise_uscc,
    organisation_code_check_character,
    uscc_check_character,
    validate_uscc,
)

__all__ = [
    "MESSAGES",
    "USCC_ALPHABET",
    "IdentifierError",
    "MobileError",
    "MrzError",
    "PassportMrz",
    "ResidentIdError",
    "ResidentIdResult",
    "Sex",
    "USCCError",
    "USCCResult",
    "age_on",
    "generate_resident_id",
    "generate_uscc",
    "is_valid_mobile",
    "is_valid_resident_id",
    "is_valid_uscc",
    "mask_email",
    "mask_mobile",
    "mask_name",
    "mask_resident_id",
    "mrz_check_digit",
    "normalise_mobile",
    "normalise_resident_id",
    "normalise_uscc",
    "organisation_code_check_character",
    "parse_passport_mrz",
    "resident_id_birth_date",
    "resident_id_check_digit",
    "resident_id_sex",
    "uscc_check_character",
    "validate_mobile",
    "validate_resident_id",
    "validate_uscc",
]
