"""One font stack for every PDF: Chinese, symbols and emoji, each character set in a face that has it.

reportlab draws a string in exactly one font and shows a box (or nothing) for any character that font
lacks; it has no fallback of its own. So the text of a document is cut into runs, each run set in the
first face of the stack whose character map holds all of its characters, and every face is embedded
as a subset (reportlab embeds only the glyphs used). The faces come with the project's own install,
never from the machine, so a PDF looks the same on a laptop, in CI and in production:

1. WenQuanYi Micro Hei (PyPI ``paperang-p2-fonts-cjk``; Apache-2.0): Chinese, Latin, CJK punctuation,
   "·" and "№". ``settings.PDF_CJK_FONT`` may name another TrueType file to put first.
2. Noto Sans (PyPI ``manimgx-fonts``; OFL-1.1): Latin, Greek and Cyrillic beyond the Chinese face.
3. Noto Sans Symbols 2 (committed under ``core/fonts``; OFL-1.1): ☐ ✓ ✗ ★ and the other dingbats.
4. Noto Sans Symbols (``manimgx-fonts``): circled digits, arrows, technical symbols.
5. Noto Emoji (``manimgx-fonts``): monochrome emoji, the only kind a PDF can embed as outlines.

A character no face has is drawn as U+FFFD (or "?") rather than as an invisible or boxed glyph;
invisible format characters (joiners, variation selectors) that no face has are dropped.
"""

from __future__ import annotations

import importlib.resources
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
_EMOJI_SELECTOR = "\ufe0f"
# Marks, joiners, variation selectors and controls: drawn with (or as part of) the character before.
_ATTACHED = frozenset({"Mn", "Me", "Cf", "Cc"})


@dataclass(frozen=True)
class Face:
    """One TrueType face of the stack: where it comes from and under which licence."""

    name: str
    path: str
    subfont_index: int = 0
    licence: str = ""
    emoji: bool = False
    # Code point ranges (start, end exclusive) this face draws even when an earlier face has the glyph.
    prefer: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Run:
    """Consecutive characters set in one registered font."""

    font: str
    text: str


def _packaged(package: str, *parts: str) -> str:
    return str(importlib.resources.files(package).joinpath(*parts))


def default_faces() -> list[Face]:
    """The stack in order of preference (see the module docstring)."""
    faces = []
    configured = getattr(settings, "PDF_CJK_FONT", "")
    if configured:
        faces.append(Face("JXConfigured", configured, 0, "as configured in PDF_CJK_FONT"))
    faces += [
        Face("JXChinese", _packaged("paperang_p2_fonts_cjk", "fonts", "wqy-microhei.ttc"), 0, "Apache-2.0"),
        Face("JXLatin", _packaged("manimgx_fonts", "NotoSans[wght].ttf"), 0, "OFL-1.1"),
        # Geometric shapes, miscellaneous symbols and dingbats from one face, so that ☐, □ and ✓ match;
        # the Chinese face's ✓ is drawn like a square-root sign.
        Face(
            "JXSymbols2",
            str(FONT_DIR / "NotoSansSymbols2-Regular.ttf"),
            0,
            "OFL-1.1",
            prefer=((0x25A0, 0x2800),),
        ),
        Face("JXSymbols", _packaged("manimgx_fonts", "NotoSansSymbols[wght].ttf"), 0, "OFL-1.1"),
        # Pictographs (U+1F000 and above) all from the emoji face, so 👍 and 😀 look alike.
        Face(
            "JXEmoji",
            _packaged("manimgx_fonts", "NotoEmoji[wght].ttf"),
            0,
            "OFL-1.1",
            emoji=True,
            prefer=((0x1F000, 0x110000),),
        ),
    ]
    return faces


# reportlab writes each ToUnicode entry as "<code> <%04X>", which for a character outside the Basic
# Multilingual Plane (every emoji) gives five hex digits that readers truncate: copied or extracted
# text would say "ὠ" instead of "😀". The PDF format wants UTF-16BE there, i.e. a surrogate pair.
_ASTRAL_ENTRY = re.compile(r"<([0-9A-F]{2})> <([0-9A-F]{5,6})>")


def _utf16_entry(match: re.Match[str]) -> str:
    code_point = int(match.group(2), 16)
    return f"<{match.group(1)}> <{chr(code_point).encode('utf-16-be').hex().upper()}>"


class EmbeddedFont(TTFont):
    """A subset-embedded TrueType font whose text extracts correctly, emoji included."""

    def addObjects(self, doc: Any) -> None:  # reportlab's hook name
        before = set(doc.idToObject)
        super().addObjects(doc)
        for name in set(doc.idToObject) - before:
            if name.startswith("toUnicodeCMap:"):
                stream = doc.idToObject[name]
                stream.content = _ASTRAL_ENTRY.sub(_utf16_entry, stream.content)


class FontStack:
    """The registered faces and, per character, the first face that has a glyph for it."""

    def __init__(self, faces: list[Face]) -> None:
        self.faces: list[Face] = []
        self._coverage: dict[str, frozenset[int]] = {}
        for face in faces:
            if not Path(face.path).is_file():
                if face.name == "JXConfigured":
                    raise ImproperlyConfigured(f"PDF_CJK_FONT {face.path!r} is not a file")
                raise ImproperlyConfigured(
                    f"PDF font {face.path} is missing: reinstall the project (`make install`), "
                    "which brings the fonts with it"
                )
            font = EmbeddedFont(face.name, face.path, subfontIndex=face.subfont_index)
            pdfmetrics.registerFont(font)
            self.faces.append(face)
            self._coverage[face.name] = frozenset(font.face.charToGlyph)
        self.primary = self.faces[0].name
        self.emoji = next((face.name for face in self.faces if face.emoji), None)
        self._cache: dict[str, str | None] = {}
        self.replacement = next(
            (ch for ch in ("\ufffd", "?") if self.font_for(ch) is not None),
            "?",
        )

    def font_for(self, char: str) -> str | None:
        """The face that draws ``char``: one that prefers its block and has it, else the first that has
        it; None when no face has one."""
        try:
            return self._cache[char]
        except KeyError:
            code = ord(char)
            preferred = (
                face.name
                for face in self.faces
                if code in self._coverage[face.name]
                and any(start <= code < end for start, end in face.prefer)
            )
            found = next(preferred, None) or next(
                (name for name, covered in self._coverage.items() if code in covered), None
            )
            self._cache[char] = found
            return found

    def covers(self, font: str, char: str) -> bool:
        return ord(char) in self._coverage.get(font, frozenset())

    def runs(self, text: str) -> list[Run]:
        """Cut ``text`` into runs of one font each.

        Spaces, marks, joiners and variation selectors stay in the run of the character before them
        when its face has them (so "张三 李四" is one run, and "❤️" with its emoji selector moves to the
        emoji face); an invisible one that face lacks is dropped rather than drawn as a box. Line
        breaks stay in the text for ``markup`` to turn into ``<br/>``.
        """
        placed: list[list[str]] = []  # [font, character]
        for char in unicodedata.normalize("NFC", text):
            previous = placed[-1][0] if placed else None
            if char in "\n\r":
                font = previous or self.primary
            elif char.isspace():
                char = " "
                font = previous if previous and self.covers(previous, char) else self.primary
            elif unicodedata.category(char) in _ATTACHED:
                if (
                    char == _EMOJI_SELECTOR
                    and placed
                    and self.emoji
                    and self.covers(self.emoji, placed[-1][1])
                ):
                    placed[-1][0] = previous = self.emoji
                if previous is None or not self.covers(previous, char):
                    continue
                font = previous
            else:
                found = self.font_for(char)
                if found is None:
                    char = self.replacement
                    found = self.font_for(char) or self.primary
                font = found
            placed.append([font, char])
        runs: list[Run] = []
        for font, char in placed:
            if runs and runs[-1].font == font:
                runs[-1] = Run(font, runs[-1].text + char)
            else:
                runs.append(Run(font, char))
        return runs

    def markup(self, text: str) -> str:
        """Paragraph markup for plain ``text``: escaped, newlines as breaks, fallback runs tagged."""
        parts = []
        for run in self.runs(text):
            chunk = escape(run.text).replace("\n", "<br/>")
            parts.append(chunk if run.font == self.primary else f'<font face="{run.font}">{chunk}</font>')
        return "".join(parts)

    def width(self, text: str, size: float) -> float:
        return sum(pdfmetrics.stringWidth(run.text, run.font, size) for run in self.runs(text))

    def draw(self, canvas: Any, x: float, y: float, text: str, *, size: float, align: str = "left") -> None:
        """``canvas.drawString`` with fallback: each run in its own font, one after the other."""
        if align == "right":
            x -= self.width(text, size)
        for run in self.runs(text):
            canvas.setFont(run.font, size)
            canvas.drawString(x, y, run.text)
            x += pdfmetrics.stringWidth(run.text, run.font, size)


@cache
def font_stack() -> FontStack:
    """The process-wide stack, registered with reportlab on first use."""
    return FontStack(default_faces())
