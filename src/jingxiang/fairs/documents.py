"""Printed documents of the fairs: a buyer's badge (PDF with a QR to its public verification page) and
an exhibitor's issued report (its QR verifies the figures as printed). Verification pages show only
what is public: for a badge the fair, the name, the company and validity; for a report the fair, the
exhibitor, the booth and the counts — never a buyer's name or contact."""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jingxiang.core.documents import PdfDocument
from jingxiang.fairs.models import ApplicationStatus, Buyer, FairStatus, ReportIssue

BADGE_KIND = "fair-badge"
REPORT_KIND = "fair-report"


def badge_pdf(buyer: Buyer, personal_link: str = "") -> bytes:
    """The badge; downloaded by its holder from their personal page, it also carries that page's
    address (never on the badge opened by its public code, which anyone who scanned it knows)."""
    fair = buyer.fair
    document = PdfDocument(
        title=_("采购商胸卡"),
        subtitle=fair.title,
        number=buyer.badge_number,
        issuer=_("镜享 · 眼镜展"),
        facts=[
            (_("姓名"), buyer.name),
            (_("公司"), buyer.company),
            (_("国家/地区"), buyer.country_name),
            (_("采购商类型"), buyer.get_kind_display()),
            (_("展期"), f"{fair.starts_on:%Y-%m-%d} – {fair.ends_on:%Y-%m-%d}"),
            (_("地点"), fair.venue),
        ],
        verify_kind=BADGE_KIND,
        verify_code=buyer.badge_code,
        footer_note=_("请佩戴胸卡入场;参展商扫描二维码即可记录洽谈意向。"),
    )
    if personal_link:
        document.add_paragraphs(
            _("您的专属链接"),
            [
                _("打开以下链接即可查看参展商并在线预约洽谈(无需登录):"),
                personal_link,
                _("专属链接等同于您的身份,请勿转发;佩戴胸卡时请将本段撕下保留。"),
            ],
        )
    return document.render()


def badge_lookup(code: str) -> dict[str, Any] | None:
    buyer = Buyer.objects.select_related("fair").filter(badge_code=code.upper()).first()
    if buyer is None:
        return None
    fair = buyer.fair
    if buyer.archived_at is not None:
        status, label = "revoked", _("已注销")
    elif fair.status == FairStatus.CLOSED or fair.ends_on < timezone.localdate():
        status, label = "expired", _("展会已闭幕")
    else:
        status, label = "valid", _("有效")
    return {
        "status": status,
        "status_label": label,
        "title": _("%(fair)s · 采购商胸卡") % {"fair": fair.title},
        "facts": [
            (_("展会"), fair.title),
            (_("展期"), f"{fair.starts_on:%Y-%m-%d} – {fair.ends_on:%Y-%m-%d}"),
            (_("胸卡号"), buyer.badge_number),
            (_("姓名"), buyer.name),
            (_("公司"), buyer.company),
        ],
        "note": _("本页只显示公开信息,用于核对胸卡真伪。"),
    }


def report_pdf(issue: ReportIssue) -> bytes:
    """The issued report, from its stored figures, with the QR code of its verification page; in
    Chinese whatever the interface language, as official documents are."""
    figures = issue.figures
    with translation.override("zh-hans"):
        document = PdfDocument(
            title=_("参展商报告"),
            subtitle=f"{figures['fair']} · {figures['organisation']}",
            number=issue.verify_code,
            issuer=_("镜享 · 眼镜展"),
            facts=[
                (_("展期"), figures["period"]),
                (_("展位"), figures["booth"] or "—"),
                (_("客户线索"), figures["leads"]),
                (_("已排洽谈"), figures["scheduled"]),
                (_("已洽谈"), figures["held"]),
                (_("接触采购商"), figures["buyers"]),
                (_("出具时间"), timezone.localtime(issue.issued_at).strftime("%Y-%m-%d %H:%M")),
            ],
            verify_kind=REPORT_KIND,
            verify_code=issue.verify_code,
            footer_note=_("扫描二维码可核验本报告;核验页只显示统计数字,不显示采购商信息。"),
        )
        document.add_table(
            _("客户线索"),
            [_("时间"), _("采购商"), _("公司"), _("国家/地区"), _("类型"), _("备注")],
            figures["lead_rows"],
        )
        document.add_table(
            _("洽谈"), [_("时段"), _("洽谈桌"), _("洽谈对象"), _("洽谈情况")], figures["meeting_rows"]
        )
        document.add_table(_("按国家/地区"), [_("国家/地区"), _("采购商数")], figures["by_country"])
        document.add_table(_("按采购商类型"), [_("类型"), _("采购商数")], figures["by_kind"])
        return document.render()


def report_lookup(code: str) -> dict[str, Any] | None:
    """The public verification page of an issued exhibitor report: the fair, the exhibitor, the booth
    and the figures as printed; no buyer's name or contact."""
    issue = (
        ReportIssue.objects.select_related("application__fair", "application__organisation")
        .filter(verify_code=code.upper())
        .first()
    )
    if issue is None:
        return None
    application = issue.application
    figures = issue.figures
    newer = ReportIssue.objects.filter(application=application, issued_at__gt=issue.issued_at).exists()
    if application.status != ApplicationStatus.ALLOCATED:
        status, label = "revoked", _("参展已撤回或未通过")
    elif newer:
        status, label = "superseded", _("已有更新的报告")
    else:
        status, label = "valid", _("有效")
    return {
        "status": status,
        "status_label": label,
        "title": _("%(fair)s · 参展商报告") % {"fair": application.fair.title},
        "facts": [
            (_("展会"), application.fair.title),
            (_("参展企业"), application.organisation.name),
            (_("展位"), figures.get("booth") or "—"),
            (_("客户线索"), figures.get("leads", 0)),
            (_("已排洽谈"), figures.get("scheduled", 0)),
            (_("已洽谈"), figures.get("held", 0)),
            (_("接触采购商"), figures.get("buyers", 0)),
            (_("出具时间"), timezone.localtime(issue.issued_at).strftime("%Y-%m-%d %H:%M")),
        ],
        "note": _("本页显示报告出具时的统计数字,不显示采购商的姓名与联系方式。"),
    }
