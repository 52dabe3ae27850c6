"""Shared input clean-up: people paste identifiers from Word, WeChat and PDFs.

Chinese input methods often produce full-width characters (``１２３``, ``ＡＢ``, ideographic space),
and pasted values carry stray spaces. We translate only the full-width ASCII block and the ideographic
space rather than applying NFKC, which would also turn things like ``①`` or superscripts into digits
and so accept input nobody typed on purpose.
"""

from __future__ import annotations

_FULL_WIDTH_OFFSET = 0xFEE0
_HALF_WIDTH_TABLE = {code: code - _FULL_WIDTH_OFFSET for code in range(0xFF01, 0xFF5F)}
_HALF_WIDTH_TABLE[0x3000] = 0x20  # ideographic space


def to_half_width(value: str) -> str:
    """Map full-width ASCII characters (U+FF01..U+FF5E) and U+3000 to their ASCII forms."""
    return value.translate(_HALF_WIDTH_TABLE)


def remove_whitespace(value: str) -> str:
    """Drop every whitespace character, including ones inside the value ("3310 8219 ...")."""
    return "".join(value.split())


def normalise_code(value: str | None) -> str:
    """Half-width, upper-case, no whitespace: the canonical form for USCC and ID numbers."""
    if value is None:
        return ""
    return remove_whitespace(to_half_width(str(value))).upper()
