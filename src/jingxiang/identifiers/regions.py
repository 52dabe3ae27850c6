"""Administrative division code checks shared by USCC and resident ID numbers (GB/T 2260).

We check the format and the province-level prefix only. County-level codes change every year
(districts merge and split, e.g. 331082 was 临海县 before it became a city), and old ID numbers keep
their original codes, so checking against a full county list would reject genuine numbers.
"""

from __future__ import annotations

# GB/T 2260 province-level prefixes, plus 71 (台湾), 81 (香港), 82 (澳门) and 83 (台湾居民居住证).
PROVINCE_PREFIXES: frozenset[str] = frozenset(
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82", "83",
    }
)  # fmt: skip

# Organisations registered by national authorities use the code 100000 in their USCC.
NATIONAL_REGION_CODE = "100000"

# Zhejiang region codes used in the demo cluster (Linhai first: Duqiao is a town of Linhai).
ZHEJIANG_REGION_NAMES: dict[str, str] = {
    "331082": "临海市",
    "331002": "椒江区",
    "331003": "黄岩区",
    "331004": "路桥区",
    "331081": "温岭市",
    "331083": "玉环市",
    "331022": "三门县",
    "331023": "天台县",
    "331024": "仙居县",
    "330302": "鹿城区",
    "330304": "瓯海区",
    "330106": "西湖区",
    "330212": "鄞州区",
}


def is_region_code(value: str, *, allow_national: bool = False) -> bool:
    """True if ``value`` is six digits with a known province-level prefix."""
    if len(value) != 6 or not value.isascii() or not value.isdigit():
        return False
    if allow_national and value == NATIONAL_REGION_CODE:
        return True
    return value[:2] in PROVINCE_PREFIXES
