"""Printable documents: PDFs with correct Chinese text and a QR code that anyone can verify.

Every printed document of the platform (agreements, statements, certificates, test reports, agendas,
brand authorisations) is built here, so they share one look, one font policy and one verification
scheme:

* Fonts: one stack for every document (``core.fontstack``): Chinese, symbols such as ☐ ✓ № and
  emoji, each character set in an embedded subset of the first face that has it.
* Verification: each document carries a random, unguessable code. ``/verify/<kind>/<code>/`` is a
  public page (no login) that shows only what the owning app decides is public.
"""

from __future__ import annotations

import functools
import io
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import segno
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jingxiang.core.fontstack import font_stack
from jingxiang.core.links import absolute_url

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def new_verification_code() -> str:
    """An unguessable public code (about 72 bits), safe in URLs and easy to read aloud in groups."""
    return secrets.token_hex(9).upper()


def verification_url(kind: str, code: str, request: HttpRequest | None = None) -> str:
    """The public address of a document's verification page, for its QR code and printed footer.

    ``PUBLIC_BASE_URL`` in production; in development the address of ``request`` or of the request
    being served (``core.links``).
    """
    from django.urls import reverse

    return absolute_url(reverse("core:verify", args=[kind, code]), request)


def qr_png(data: str, *, scale: int = 4) -> bytes:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


@functools.lru_cache(maxsize=512)
def qr_svg(data: str, *, scale: int = 4) -> str:
    """Inline SVG for web pages and printable labels (no image files to serve).

    A pure function of its arguments, so kept per process: drawing the code in Python was a quarter
    of a lab report's detail page (issue 13 profile); a verification address never changes meaning.
    """
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True)
    return buffer.getvalue().decode("utf-8")


@dataclass
class Signature:
    party: str
    name: str
    signed_at: Any = None
    note: str = ""


class BarChartSection:
    def __init__(self, categories: list[str], values: list[float]) -> None:
        self.categories = categories
        self.values = values


@dataclass
class PdfDocument:
    """A structured document; ``render`` lays it out on A4 with the platform's header and QR code."""

    title: str
    subtitle: str = ""
    number: str = ""
    issuer: str = ""
    facts: Sequence[tuple[str, Any]] = ()
    sections: list[tuple[str, Any]] = field(default_factory=list)
    signatures: Sequence[Signature] = ()
    verify_kind: str = ""
    verify_code: str = ""
    footer_note: str = ""

    def add_paragraphs(self, heading: str, paragraphs: Sequence[str]) -> None:
        self.sections.append((heading, list(paragraphs)))

    def add_table(self, heading: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        self.sections.append((heading, (list(headers), [list(row) for row in rows])))

    def add_bar_chart(self, heading: str, categories: Sequence[str], values: Sequence[float | None]) -> None:
        """A small bar chart (monthly trend, say) drawn as vectors in the PDF; always beside a table of its figures."""
        self.sections.append((heading, BarChartSection(list(categories), [v or 0 for v in values])))

    def render(self) -> bytes:
        return render_pdf(self)


def _styles() -> dict[str, ParagraphStyle]:
    font = font_stack().primary
    base = ParagraphStyle("base", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "base": base,
        "title": ParagraphStyle(
            "title", parent=base, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=4
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=11, alignment=TA_CENTER, textColor=colors.grey
        ),
        "heading": ParagraphStyle(
            "heading", parent=base, fontSize=12.5, leading=20, spaceBefore=8, spaceAfter=4
        ),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=12, textColor=colors.grey),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=13),
    }


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "strftime"):
        if hasattr(value, "tzinfo") and value.tzinfo is not None:
            value = timezone.localtime(value)
            return value.strftime("%Y-%m-%d %H:%M")
        return value.strftime("%Y-%m-%d")
    return str(value)


def render_pdf(document: PdfDocument) -> bytes:
    styles = _styles()
    fonts = font_stack()
    text = fonts.markup
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=document.title,
        author=document.issuer or str(settings.SITE_NAME),
        # Without this the canvas opens every page in Helvetica, a font that is neither embedded nor used.
        initialFontName=fonts.primary,
    )
    story: list[Any] = []
    header_cells: list[Any] = [Paragraph(text(document.title), styles["title"])]
    if document.subtitle:
        header_cells.append(Paragraph(text(document.subtitle), styles["subtitle"]))
    if document.number:
        header_cells.append(Paragraph(text(f"编号 No. {document.number}"), styles["subtitle"]))
    story.extend(header_cells)
    story.append(Spacer(1, 6 * mm))

    if document.facts:
        rows = [
            [Paragraph(text(str(label)), styles["cell"]), Paragraph(text(_text(value)), styles["cell"])]
            for label, value in document.facts
        ]
        table = Table(rows, colWidths=[42 * mm, None])
        table.setStyle(_grid_style(header=False))
        story.append(table)

    for heading, content in document.sections:
        story.append(Paragraph(text(heading), styles["heading"]))
        if isinstance(content, BarChartSection):
            story.append(_bar_chart(content, fonts.primary))
        elif isinstance(content, tuple):
            headers, rows = content
            data = [[Paragraph(text(str(h)), styles["cell"]) for h in headers]]
            data += [[Paragraph(text(_text(cell)), styles["cell"]) for cell in row] for row in rows]
            table = Table(data, repeatRows=1)
            table.setStyle(_grid_style(header=True))
            story.append(table)
        else:
            for paragraph in content:
                story.append(Paragraph(text(str(paragraph)), styles["base"]))

    if document.signatures:
        story.append(Paragraph("签署 Signatures", styles["heading"]))
        rows = [["签署方 Party", "签署人 Signed by", "时间 Time", "备注 Note"]]
        rows += [[s.party, s.name, _text(s.signed_at), s.note] for s in document.signatures]
        table = Table([[Paragraph(text(str(c)), styles["cell"]) for c in row] for row in rows], repeatRows=1)
        table.setStyle(_grid_style(header=True))
        story.append(KeepTogether(table))

    if document.verify_kind and document.verify_code:
        url = verification_url(document.verify_kind, document.verify_code)
        qr = Image(io.BytesIO(qr_png(url, scale=3)), width=28 * mm, height=28 * mm)
        note = Paragraph(
            text(
                f"扫码或访问以下地址核验本文件真伪 Scan to verify:\n{url}\n核验码 Code: {document.verify_code}"
            ),
            styles["small"],
        )
        block = Table([[qr, note]], colWidths=[32 * mm, None])
        block.setStyle(
            TableStyle(
                [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("FONTNAME", (0, 0), (-1, -1), fonts.primary)]
            )
        )
        story.append(Spacer(1, 6 * mm))
        story.append(KeepTogether(block))

    footer = document.footer_note or f"{settings.SITE_NAME} · 生成于 {timezone.localtime():%Y-%m-%d %H:%M}"

    def draw_footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(colors.grey)
        fonts.draw(canvas, 18 * mm, 10 * mm, str(footer), size=8)
        fonts.draw(canvas, A4[0] - 18 * mm, 10 * mm, f"{doc.page}", size=8, align="right")
        canvas.restoreState()

    pdf.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()


def _bar_chart(section: BarChartSection, font: str) -> Any:
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    drawing = Drawing(170 * mm, 45 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 8 * mm, 150 * mm, 32 * mm
    chart.data = [section.values]
    chart.categoryAxis.categoryNames = section.categories
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#2f6fb2")
    drawing.add(chart)
    return drawing


def _grid_style(*, header: bool) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        # Cells hold Paragraphs in the stack's fonts; without this the table sets Helvetica around them.
        ("FONTNAME", (0, 0), (-1, -1), font_stack().primary),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f0fb")))
    else:
        commands.append(("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f0f4f8")))
    return TableStyle(commands)


# Public verification ----------------------------------------------------------------------------

Verifier = Callable[[str], dict[str, Any] | None]


@dataclass(frozen=True)
class VerificationKind:
    """How one kind of document is looked up for the public page.

    ``lookup(code)`` returns the public context (only what is meant to be public) or None. The page
    template receives ``status`` (e.g. valid / revoked / superseded / suspended / expired), ``title``,
    and ``facts`` (label, value pairs) and may use an app template instead of the generic one.
    """

    kind: str
    title: StrOrPromise  # usually lazy: the public page shows it in the reader's language
    lookup: Verifier
    template: str = "core/verify.html"


_verification_kinds: dict[str, VerificationKind] = {}


def register_verification(kind: VerificationKind) -> None:
    _verification_kinds[kind.kind] = kind


def verification_kind(kind: str) -> VerificationKind | None:
    return _verification_kinds.get(kind)
