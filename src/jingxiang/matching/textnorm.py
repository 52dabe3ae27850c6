"""Cleaning of free text before segmentation.

Owners paste text from WeChat, web pages and spreadsheets: HTML and scripts, emoji, full-width letters,
traditional characters and very long copy-pastes all arrive.  Everything is reduced to one canonical form
so that the lexicon, the synonym table and the symptom triggers only need to be written once.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping

MAX_TEXT_CHARS = 4000
"""Longer descriptions are cut: nothing useful for matching hides after 4,000 characters, and an
unbounded paste would make one demand cost as much as a thousand."""

_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,500}>")
# Everything that is not a CJK ideograph, Latin letter, digit or a few joiners becomes a space, which
# drops emoji and decorative symbols but keeps sentence punctuation (used to split sentences).
_NOISE = re.compile(r"[^\u4e00-\u9fff0-9a-z+\-.#%/。！？；;!?,，、\n ]+")
_SENTENCE_SPLIT = re.compile(r"[。！？；;!?\n]+")
_CLAUSE_SPLIT = re.compile(r"[。！？；;!?\n,，、]+")
# "AR 膜", "TR 90", "ISO 12312": a space between a Latin word and a number or a Chinese word it
# qualifies is not meaningful; between two English words it is, so that one is kept.
_INNER_SPACE = re.compile(r"(?<=[a-z])\s+(?=[0-9])|(?<=[0-9a-z])\s+(?=[\u4e00-\u9fff])")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def build_traditional_table(pairs: str) -> dict[int, str]:
    """Turn the ``traditional.yaml`` pair string ("鏡镜 鍍镀 ...") into a ``str.translate`` table."""
    table: dict[int, str] = {}
    for pair in pairs.split():
        if len(pair) != 2:
            raise ValueError(f"traditional pair must be two characters, got {pair!r}")
        if pair[0] != pair[1]:
            table[ord(pair[0])] = pair[1]
    return table


def normalise(text: str, traditional: Mapping[int, str] | None = None) -> str:
    """Return ``text`` as lower-case, half-width, simplified, tag-free and at most MAX_TEXT_CHARS long."""
    if not text:
        return ""
    text = text[: MAX_TEXT_CHARS * 4]
    text = html.unescape(text)
    text = _SCRIPT_OR_STYLE.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = unicodedata.normalize("NFKC", text).lower()
    if traditional:
        text = text.translate(traditional)
    text = _NOISE.sub(" ", text)
    text = _INNER_SPACE.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    return text[:MAX_TEXT_CHARS]


def normalise_term(term: str, traditional: Mapping[int, str] | None = None) -> str:
    """Normalise a lexicon entry exactly like text, and drop spaces (terms are matched as one token)."""
    return normalise(term, traditional).replace(" ", "")


def sentences(normalised_text: str, *, clauses: bool = False) -> list[str]:
    """Split normalised text into sentences (or comma-separated clauses): the window in which the parts
    of a symptom trigger must co-occur."""
    splitter = _CLAUSE_SPLIT if clauses else _SENTENCE_SPLIT
    return [part for part in splitter.split(normalised_text) if part.strip()]
