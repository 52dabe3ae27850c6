"""Masking of personal data for display (the default everywhere; revealing is a logged action).

Conventions, chosen to match what people in China see on bank and government apps:

* mobile: first 3 and last 4 digits, ``138****1234``;
* resident ID: first 4 and last 4 characters, ``3310**********123X`` (province and city stay
  visible, the birth date does not);
* name: the surname stays, every other character becomes ``*`` (``张三`` -> ``张*``,
  ``李小龙`` -> ``李**``). Known compound surnames keep both characters (``欧阳娜娜`` -> ``欧阳**``)
  because masking half a surname reads as a different family name. A one-character value is fully
  masked (it may be a given name alone). Names written with spaces or the middle dot ``·``
  (e.g. Uyghur names) keep the first character and the separators.
* e-mail: the first character of the mailbox and the whole domain, ``z***@example.com``; the mask has
  a fixed length so it does not tell how long the mailbox name is.

All functions accept ``None``/empty input and return ``""``; values too short to mask safely are
masked completely rather than shown, so masking never reveals more than the convention.
"""

from __future__ import annotations

from jingxiang.identifiers.mobile import normalise_mobile
from jingxiang.identifiers.normalisation import normalise_code

MASK_CHARACTER = "*"

COMPOUND_SURNAMES: frozenset[str] = frozenset(
    {
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐",
        "长孙", "宇文", "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里",
        "呼延", "澹台", "申屠", "太史", "钟离", "闻人", "万俟", "赫连", "拓跋", "完颜",
        "司空", "东郭", "公冶", "濮阳", "淳于", "单于", "仲孙", "羊舌", "第五", "左丘",
    }
)  # fmt: skip

_NAME_SEPARATORS = frozenset(" ·•.")


def _mask_middle(value: str, keep_start: int, keep_end: int) -> str:
    """Keep the ends visible only if at least four characters stay hidden; else hide everything."""
    hidden = len(value) - keep_start - keep_end
    if hidden < 4:
        return MASK_CHARACTER * len(value)
    return value[:keep_start] + MASK_CHARACTER * hidden + value[len(value) - keep_end :]


def mask_mobile(value: str | None) -> str:
    """``13812341234`` or ``+86 138-1234-1234`` -> ``138****1234``."""
    number = normalise_mobile(value)
    if not number:
        return ""
    return _mask_middle(number, 3, 4)


def mask_resident_id(value: str | None) -> str:
    """``33108219900101123X`` -> ``3310**********123X``."""
    number = normalise_code(value)
    if not number:
        return ""
    return _mask_middle(number, 4, 4)


def mask_name(value: str | None) -> str:
    """``张三`` -> ``张*``, ``欧阳娜娜`` -> ``欧阳**``; see the module docstring for the rules."""
    name = (value or "").strip()
    if not name:
        return ""
    if len(name) == 1:
        return MASK_CHARACTER
    if any(character in _NAME_SEPARATORS for character in name):
        return name[0] + "".join(
            character if character in _NAME_SEPARATORS else MASK_CHARACTER for character in name[1:]
        )
    visible = 2 if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else 1
    return name[:visible] + MASK_CHARACTER * (len(name) - visible)


def mask_email(value: str | None) -> str:
    """``zhang.san@example.com`` -> ``z***@example.com``; a value without ``@`` is masked completely."""
    address = (value or "").strip()
    if not address:
        return ""
    mailbox, at, domain = address.rpartition("@")
    if not at or not mailbox or not domain:
        return MASK_CHARACTER * 3
    return f"{mailbox[0]}{MASK_CHARACTER * 3}@{domain.lower()}"
