"""Every character of a document is drawn by a face that has it, and the PDF embeds those faces.

The pypdf checks run everywhere; poppler's pdffonts/pdftotext (Debian's poppler-utils, the tools a
person would reach for) check the same PDF again when they are installed.
"""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from jingxiang.core.documents import PdfDocument, Signature
from jingxiang.core.fontstack import font_stack

MIXED = "检测员 王·小明:☐ 待复核 ✓ 已合格 № 0012 😀🎉"
EXPECTED_CHARACTERS = ["检", "·", "☐", "✓", "№", "😀", "🎉"]


def mixed_pdf() -> bytes:
    document = PdfDocument(
        title="检测报告 ✓",
        subtitle="东华大学检测实验室",
        number="JX-2026-0001",
        facts=[("备注", MIXED), ("日期", "2026-06-20")],
        signatures=[Signature("检测员", "王·小明", note="☐ 复核")],
        verify_kind="report",
        verify_code="ABC123",
        footer_note="镜享 · № 1 😀",
    )
    document.add_table("检测项目", ["项目", "结果"], [["光学中心距离", "✓ 合格"]])
    document.add_paragraphs("说明", [MIXED])
    return document.render()


def test_each_run_is_set_in_a_face_that_has_every_character():
    stack = font_stack()
    runs = stack.runs(MIXED)
    assert "".join(run.text for run in runs) == MIXED
    for run in runs:
        missing = [char for char in run.text if not stack.covers(run.font, char)]
        assert not missing, f"{run.font} lacks {missing}"
    font_of = {char: run.font for run in runs for char in run.text}
    assert font_of["检"] == font_of["·"] == font_of["№"] == stack.primary
    assert font_of["☐"] == font_of["✓"] == "JXSymbols2"
    assert font_of["😀"] == font_of["🎉"] == "JXEmoji"


def test_emoji_sequences_stay_in_the_emoji_face_and_unknown_characters_are_visible():
    stack = font_stack()
    runs = stack.runs("❤️👍🏽 👨\u200d👩\u200d👧")
    assert [run.font for run in runs] == ["JXEmoji"]
    # A private-use character no face has is shown as a replacement mark, never as an empty box.
    replaced = stack.runs("甲\U0010fffd乙")
    assert "".join(run.text for run in replaced) == f"甲{stack.replacement}乙"
    assert all(stack.covers(run.font, char) for run in replaced for char in run.text)
    # Markup escapes text and tags only the fallback runs.
    assert stack.markup("<b>☐</b>\n甲") == '&lt;b&gt;<font face="JXSymbols2">☐</font>&lt;/b&gt;<br/>甲'


def test_pdf_embeds_only_subset_fonts_and_every_glyph_extracts():
    reader = PdfReader(io.BytesIO(mixed_pdf()))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts, "no fonts in the PDF"
    for name, font in fonts.items():
        # "ABCDEF+Face": a subset, and the program is in the file (FontFile2 = embedded TrueType).
        assert name.split("+", 1)[0].lstrip("/").isalpha() and "+" in name, name
        assert "/FontFile2" in font["/FontDescriptor"], f"{name} is not embedded"
    faces = {name.split("+", 1)[1] for name in fonts}
    assert faces == {"WenQuanYiMicroHei-0", "NotoSansSymbols2-Regular", "NotoEmoji-Regular"}, faces
    text = "".join(page.extract_text() for page in reader.pages)
    for char in EXPECTED_CHARACTERS:
        assert char in text, f"{char!r} does not extract from the PDF"
    assert "光学中心距离" in text


def test_poppler_sees_embedded_fonts_and_every_glyph(tmp_path):
    if not (shutil.which("pdffonts") and shutil.which("pdftotext")):
        pytest.skip(
            "POPPLER NOT INSTALLED: pdffonts/pdftotext missing (apt-get install poppler-utils); "
            "the pypdf test above still checked the fonts and the text"
        )
    path = tmp_path / "mixed.pdf"
    path.write_bytes(mixed_pdf())
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        # name type encoding emb sub uni object-id generation
        assert row[-5:-2] == ["yes", "yes", "yes"], f"not an embedded subset with a Unicode map: {row}"
    assert {row[0].split("+", 1)[1] for row in rows} >= {"WenQuanYiMicroHei-0", "NotoEmoji-Regular"}
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for char in EXPECTED_CHARACTERS:
        assert char in text, f"{char!r} missing from pdftotext output"
