"""统一社会信用代码 (unified social credit code) per GB 32100-2015.

Layout of the 18 characters::

    9 1 331082 MA3AGYGL 5  C
    | | |      |        |  +-- 18: check character over characters 1-17 (mod 31)
    | | |      |        +----- 17: GB 11714 check character of the organisation code (mod 11)
    | | |      +-------------- 9-16: organisation code body
    | | +--------------------- 3-8: administrative division code (GB/T 2260)
    | +----------------------- 2: organisation category code
    +------------------------- 1: registration authority code

Because 31 is prime and every weight 3^i mod 31 is non-zero, any single substituted character is
caught by the final check character; the organisation-code check adds a second, independent guard.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from jingxiang.identifiers.errors import USCCError
from jingxiang.identifiers.normalisation import normalise_code
from jingxiang.identifiers.regions import is_region_code

USCC_LENGTH = 18
# The code alphabet: digits and capital letters without I, O, S, V, Z (easily confused when read
# aloud or hand-written). A character's value is its position in this string.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUES = {character: value for value, character in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, position, 31) for position in range(17))

# GB 11714: weights of the 8 body characters; letters count A=10 ... Z=35 (the full Latin alphabet,
# unlike the USCC alphabet above, so J is 19 here but 18 in the final check).
_ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Registration authority code -> (name, {category code: category name}), GB 32100-2015 Annex A.
REGISTRATION_AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": (
        "旅游",
        {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"},
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": (
        "农业",
        {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    ),
    "Y": ("其他", {"1": "其他"}),
}


@dataclass(frozen=True)
class USCCResult:
    """A validated code split into its parts; ``code`` is the normalised 18-character form."""

    code: str
    registration_authority: str
    registration_authority_name_zh: str
    category: str
    category_name_zh: str
    region_code: str
    organisation_code: str

    @property
    def check_character(self) -> str:
        return self.code[17]


def uscc_check_character(first17: str) -> str:
    """The GB 32100 check character (position 18) for the first 17 characters.

    Raises ``ValueError`` for wrong length or characters outside the code alphabet: callers pass
    already-normalised input, so this is a programming error rather than a user error.
    """
    if len(first17) != 17 or any(character not in _USCC_VALUES for character in first17):
        raise ValueError(f"need 17 characters from the USCC alphabet, got {first17!r}")
    total = sum(
        _USCC_VALUES[character] * weight for character, weight in zip(first17, _USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - total % 31) % 31]


def _gb11714_value(character: str) -> int:
    if character.isdigit():
        return int(character)
    return ord(character) - ord("A") + 10


def organisation_code_check_character(body: str) -> str:
    """The GB 11714 check character for an 8-character organisation code body ('X' stands for 10)."""
    if len(body) != 8 or not body.isascii() or not body.isalnum() or body != body.upper():
        raise ValueError(f"need 8 digits or capital letters, got {body!r}")
    total = sum(
        _gb11714_value(character) * weight
        for character, weight in zip(body, _ORGANISATION_CODE_WEIGHTS, strict=True)
    )
    remainder = 11 - total % 11
    if remainder == 10:
        return "X"
    if remainder == 11:
        return "0"
    return str(remainder)


def normalise_uscc(value: str | None) -> str:
    """Strip spaces, convert full-width characters and upper-case; does not validate."""
    return normalise_code(value)


def validate_uscc(value: str | None, *, check_organisation_code: bool = True) -> USCCResult:
    """Validate a 统一社会信用代码 and return its parts, or raise ``USCCError`` with a reason code.

    Checks run from the coarsest to the finest so the message names the first real problem:
    empty, length, characters, authority, category, region, organisation-code check, final check.
    ``check_organisation_code=False`` skips the GB 11714 check of characters 9-17 for the rare
    registers (some 个体工商户 codes) that assigned organisation codes without it; the final check
    character is always enforced.
    """
    code = normalise_uscc(value)
    if not code:
        raise USCCError("uscc_empty")
    if len(code) != USCC_LENGTH:
        raise USCCError("uscc_length", length=len(code))
    bad_characters = sorted({character for character in code if character not in _USCC_VALUES})
    if bad_characters:
        raise USCCError("uscc_characters", characters=" ".join(bad_characters))
    authority, category = code[0], code[1]
    if authority not in REGISTRATION_AUTHORITIES:
        raise USCCError("uscc_authority", authority=authority)
    authority_name, categories = REGISTRATION_AUTHORITIES[authority]
    if category not in categories:
        raise USCCError("uscc_category", category=category, authority=authority)
    region_code = code[2:8]
    if not is_region_code(region_code, allow_national=True):
        raise USCCError("uscc_region", region=region_code)
    organisation_code = code[8:17]
    if (
        check_organisation_code
        and organisation_code_check_character(organisation_code[:8]) != organisation_code[8]
    ):
        raise USCCError("uscc_organisation_code_check", organisation_code=organisation_code)
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        raise USCCError("uscc_check", actual=code[17], expected=expected)
    return USCCResult(
        code=code,
        registration_authority=authority,
        registration_authority_name_zh=authority_name,
        category=category,
        category_name_zh=categories[category],
        region_code=region_code,
        organisation_code=organisation_code,
    )


def is_valid_uscc(value: str | None) -> bool:
    """Convenience predicate for filters and form clean-up where the reason does not matter."""
    try:
        validate_uscc(value)
    except USCCError:
        return False
    return True


def generate_uscc(
    rng: random.Random,
    region_code: str = "331082",
    *,
    registration_authority: str = "9",
    category: str = "1",
    organisation_code_body: str | None = None,
) -> str:
    """A valid test code for demo data and tests, drawn only from ``rng`` (deterministic per seed).

    By default an enterprise (9 1) registered in 临海市 (331082) with a post-2015 style organisation
    code ``MA`` + 6 characters. Pass ``organisation_code_body`` (8 characters) to imitate an older
    all-digit code. Only characters of the USCC alphabet are drawn, and the GB 11714 check character
    is always a digit or X, so the result is a well-formed USCC.
    """
    if registration_authority not in REGISTRATION_AUTHORITIES:
        raise ValueError(f"unknown registration authority {registration_authority!r}")
    if category not in REGISTRATION_AUTHORITIES[registration_authority][1]:
        raise ValueError(f"unknown category {category!r} for authority {registration_authority!r}")
    if not is_region_code(region_code, allow_national=True):
        raise ValueError(f"not a region code: {region_code!r}")
    if organisation_code_body is None:
        organisation_code_body = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(6))
    if len(organisation_code_body) != 8 or any(c not in _USCC_VALUES for c in organisation_code_body):
        raise ValueError(f"organisation code body must be 8 USCC characters: {organisation_code_body!r}")
    organisation_code = organisation_code_body + organisation_code_check_character(organisation_code_body)
    first17 = registration_authority + category + region_code + organisation_code
    return first17 + uscc_check_character(first17)
