"""The printed test report and the public verification pages for reports and brand authorisations."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from jingxiang.core.documents import PdfDocument, Signature, qr_png
from jingxiang.core.fontstack import font_stack
from jingxiang.lab.models import BrandAuthorisation, Report, ReportStatus, Sample

STATUS_ZH = {
    "pass": gettext_lazy("合格"),
    "fail": gettext_lazy("不合格"),
    "not_assessed": gettext_lazy("未判定"),
    "not_applicable": gettext_lazy("不适用"),
}
SIDE_ZH = {"right": gettext_lazy("右眼"), "left": gettext_lazy("左眼"), "lens": gettext_lazy("镜片"), "": ""}


def _value(value: str, unit: str) -> str:
    if value in {"True", "False"}:
        return str(_("是") if value == "True" else _("否"))
    return f"{value} {unit}".strip() if value else "—"


def report_pdf(report: Report) -> bytes:
    """A4 report in Chinese: lab details, product, every item with clause and verdict, signatures, QR.

    The report is the official document, so it is printed in Chinese whatever the reader's UI language.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _report_pdf(report)


def _report_pdf(report: Report) -> bytes:
    lab = report.lab
    profile = getattr(lab, "lab_profile", None)
    facts: list[tuple[str, Any]] = [
        (_("检测机构"), lab.name),
        (_("机构地址"), lab.address or "—"),
    ]
    if profile is not None:
        facts += [(_("资质编号"), profile.accreditation or "—"), (_("联系电话"), profile.phone or "—")]
    facts += [
        (_("委托单位"), report.firm.name),
        (_("产品线"), report.product_line.name),
        (_("产品名称/型号"), report.product_name),
        (_("产品类型"), report.product_type_label),
        (_("样品编号"), report.sample.code),
        (_("检测依据"), report.designation),
        *([(_("委托方指定标准"), report.client_named_note)] if report.client_named_note else []),
        (_("检测日期"), report.test_date),
        (_("所用仪器"), report.instrument_label or "—"),
        (_("检测结论"), report.get_overall_display()),
        (_("报告版本"), _("第 %(v)s 版") % {"v": report.version}),
    ]
    if report.correction_reason:
        facts.append((_("更正说明"), report.correction_reason))
    document = PdfDocument(
        title=_("检验检测报告"),
        subtitle=lab.name,
        number=report.display_number,
        issuer=lab.name,
        facts=facts,
        verify_kind="report",
        verify_code=report.verify_code,
    )
    rows = []
    for item in report.result_items.all():
        label = item.label + (f"({SIDE_ZH.get(item.side, item.side)})" if item.side else "")
        if item.decision == "excluded":
            label += _("[参考性限值,已排除]")
        elif item.decision == "confirmed":
            label += _("[参考性限值,已确认]")
        elif item.certainty == "U":
            label += _("[参考性限值]")
        rows.append(
            [
                item.rule_id,
                label,
                item.clause,
                _value(item.nominal, item.unit),
                _value(item.measured, item.unit),
                item.deviation or "—",
                item.tolerance or "—",
                str(STATUS_ZH.get(item.status, item.status)),
            ]
        )
    document.add_table(
        _("检测项目与结果"),
        [_("规则"), _("项目"), _("条款"), _("标称值"), _("实测值"), _("偏差"), _("允差/限值"), _("判定")],
        rows,
    )
    notes = [
        _("结论按 %(d)s 逐项判定:任一计入结论的项目不合格即为不合格;“未判定”项目缺少所需数据,不视为合格。")
        % {"d": report.designation},
    ]
    if report.client_named_note:
        notes.append(report.client_named_note)
    document.add_paragraphs(_("说明"), notes)
    decisions = indicative_decisions(report)
    if decisions:
        document.add_paragraphs(_("依据参考性限值判定的项目及审核决定"), decisions)
    document.signatures = [
        Signature(_("检测"), str(report.entered_by), report.sample.entered_at),
        Signature(_("审核/批准"), str(report.approved_by), report.issued_at),
    ]
    return document.render()


def indicative_decisions(report: Report) -> list[str]:
    """One sentence per item judged on an indicative (not yet verified) limit: its result and what
    the reviewer decided. Printed on the report and shown on the public verification page."""
    sentences = []
    seen: set[str] = set()
    for item in report.result_items.all():
        if item.certainty != "U" or item.status not in {"pass", "fail"} or item.rule_id in seen:
            continue
        seen.add(item.rule_id)
        values = {"r": item.rule_id, "l": item.label, "s": STATUS_ZH.get(item.status, item.status)}
        if item.decision == "excluded":
            sentences.append(
                _("%(r)s %(l)s:%(s)s;审核人排除该项,不计入结论。理由:%(why)s")
                % {**values, "why": item.decision_reason}
            )
        elif item.decision == "confirmed":
            sentences.append(_("%(r)s %(l)s:%(s)s;限值已对照标准原文确认,计入结论。") % values)
        else:
            sentences.append(_("%(r)s %(l)s:%(s)s(依据参考性限值)。") % values)
    return sentences


def report_lookup(code: str) -> dict[str, Any] | None:
    """Public facts of one report version. The firm's name appears: it is the firm's own report."""
    report = (
        Report.objects.select_related("lab", "firm", "superseded_by", "product_line")
        .filter(verify_code=code)
        .first()
    )
    if report is None:
        return None
    superseded = report.status == ReportStatus.SUPERSEDED
    context: dict[str, Any] = {
        "status": "superseded" if superseded else "valid",
        "status_label": _("已被新版本取代") if superseded else _("有效"),
        "title": _("检验检测报告 %(n)s") % {"n": report.display_number},
        "facts": [
            (_("报告编号"), report.display_number),
            (_("版本"), _("第 %(v)s 版") % {"v": report.version}),
            (_("检测机构"), report.lab.name),
            (_("委托单位"), report.firm.name),
            (_("产品"), f"{report.product_line.name} · {report.product_name}"),
            (_("产品类型"), report.product_type_label),
            (_("检测依据"), report.designation),
            (_("检测日期"), report.test_date.isoformat()),
            (_("签发日期"), timezone.localtime(report.issued_at).date().isoformat()),
            (_("检测结论"), report.get_overall_display()),
            *[(_("参考性限值项目"), sentence) for sentence in indicative_decisions(report)],
            *([(_("委托方指定标准"), report.client_named_note)] if report.client_named_note else []),
        ],
        "overall": report.overall,
        "note": _("本页由平台根据报告上的核验码生成,内容与实验室签发记录一致。"),
    }
    if superseded and report.superseded_by is not None:
        context["newer_url"] = reverse("core:verify", args=["report", report.superseded_by.verify_code])
        context["newer_number"] = report.superseded_by.display_number
        context["note"] = _("该版本已被更正后的新版本取代,请以新版本为准。")
    return context


def brand_lookup(code: str) -> dict[str, Any] | None:
    brand = BrandAuthorisation.objects.select_related("firm", "product_line").filter(verify_code=code).first()
    if brand is None:
        return None
    status = brand.public_status
    labels = {
        "active": _("有效"),
        "suspended": _("已暂停"),
        "expired": _("已过期"),
        "rejected": _("无效"),
        "pending": _("无效"),
    }
    return {
        "status": "valid" if status == "active" else status,
        "status_label": labels.get(status, status),
        "title": _("“杜桥眼镜”区域公共品牌使用授权 %(n)s") % {"n": brand.number},
        "facts": [
            (_("授权编号"), brand.number),
            (_("企业"), brand.firm.name),
            (_("产品线"), brand.product_line.name),
            (_("有效期至"), brand.valid_until.isoformat() if brand.valid_until else "—"),
            (_("状态"), labels.get(status, status)),
        ],
        "note": _("该产品线的区域品牌授权因检测不合格已暂停使用。") if status == "suspended" else "",
    }


# Sample labels ----------------------------------------------------------------------------------

LABEL_SIZE = (50 * mm, 30 * mm)
SHEET_COLUMNS, SHEET_ROWS = 3, 9  # 27 labels of 50 × 30 mm on A4 (margins 30 × 13.5 mm)


def _draw_label(pdf: Any, fonts: Any, sample: Sample, url: str, x: float, y: float) -> None:
    """One 50 × 30 mm label with its lower-left corner at (x, y): QR left, code and facts right.

    The QR opens the sample's page, which needs a lab login; the label names no client firm."""
    qr = ImageReader(io.BytesIO(qr_png(url, scale=4)))
    pdf.drawImage(qr, x + 1.5 * mm, y + 3 * mm, width=24 * mm, height=24 * mm)
    left = x + 27 * mm
    fonts.draw(pdf, left, y + 22 * mm, sample.code, size=7.5)
    request = sample.request
    lines = [
        request.number,
        str(request.product_type_label)[:12],
        timezone.localtime(sample.created_at).date().isoformat(),
        (sample.description or "")[:12],
    ]
    for index, line in enumerate(lines):
        fonts.draw(pdf, left, y + (17 - index * 4.2) * mm, line, size=5.5)


def labels_pdf(samples: list[Sample], url_for: Any, *, sheet: bool) -> bytes:
    """Sample labels: one 50 × 30 mm page per sample (label printers) or A4 sheets of 3 × 9."""
    fonts = font_stack()
    buffer = io.BytesIO()
    size = A4 if sheet else LABEL_SIZE
    pdf = canvas.Canvas(buffer, pagesize=size, initialFontName=fonts.primary)
    pdf.setTitle("样品标签")
    if sheet:
        margin_x = (A4[0] - SHEET_COLUMNS * LABEL_SIZE[0]) / 2
        margin_y = (A4[1] - SHEET_ROWS * LABEL_SIZE[1]) / 2
        per_page = SHEET_COLUMNS * SHEET_ROWS
        for index, sample in enumerate(samples):
            if index and index % per_page == 0:
                pdf.showPage()
            slot = index % per_page
            column, row = slot % SHEET_COLUMNS, slot // SHEET_COLUMNS
            x = margin_x + column * LABEL_SIZE[0]
            y = A4[1] - margin_y - (row + 1) * LABEL_SIZE[1]
            pdf.setLineWidth(0.2)
            pdf.setStrokeGray(0.8)
            pdf.rect(x, y, LABEL_SIZE[0], LABEL_SIZE[1])
            _draw_label(pdf, fonts, sample, url_for(sample), x, y)
    else:
        for index, sample in enumerate(samples):
            if index:
                pdf.showPage()
            _draw_label(pdf, fonts, sample, url_for(sample), 0, 0)
    pdf.save()
    return buffer.getvalue()
