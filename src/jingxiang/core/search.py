"""Search keys that let people find Chinese names by pinyin or initials."""

from __future__ import annotations

import unicodedata

from pypinyin import Style, lazy_pinyin


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def searchable_text(*parts: str) -> str:
    """Return "name fullpinyin initials" for each part, lower-cased and without spaces inside keys.

    Stored on the row and matched with a substring test, which is the same on SQLite and PostgreSQL.
    """
    keys: list[str] = []
    for part in parts:
        if not part:
            continue
        folded = _fold(part)
        keys.append(folded.replace(" ", ""))
        syllables = lazy_pinyin(folded, errors="ignore")
        if syllables:
            keys.append("".join(syllables))
            keys.append("".join(syllable[0] for syllable in syllables if syllable))
        initials = lazy_pinyin(folded, style=Style.FIRST_LETTER, errors="ignore")
        if initials:
            keys.append("".join(initials))
    return " ".join(dict.fromkeys(keys))


def search_key(query: str) -> str:
    """Normalise what a person typed into the form stored by :func:`searchable_text`."""
    return "".join(ch for ch in _fold(query) if ch.isprintable()).replace(" ", "").strip()
