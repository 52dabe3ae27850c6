"""Printed documents of the fairs: a buyer's badge (PDF with a QR to its public verification page) and
an exhibitor's report; the verification page shows only the fair, the name, the company and validity."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.core.documents import PdfDocument
from jingxiang.fairs.models import Buyer, FairStatus
from jingxiang.fairs.selectors import ExhibitorReport

BADGE_KIND = "fair-badge"


def badge_pdf(buyer: Buyer) -> bytes:
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


def report_pdf(report: ExhibitorReport) -> bytes:
    application = report.application
    fair = application.fair
    document = PdfDocument(
        title=_("参展商报告"),
        subtitle=f"{fair.title} · {application.organisation.name}",
        issuer=_("镜享 · 眼镜展"),
        facts=[
            (_("展位"), report.booth.code if report.booth else "—"),
            (_("客户线索"), len(report.leads)),
            (_("已排洽谈"), report.scheduled),
            (_("已洽谈"), report.held),
            (_("接触采购商"), report.buyers),
        ],
    )
    document.add_table(
        _("客户线索"),
        [_("时间"), _("采购商"), _("公司"), _("国家/地区"), _("类型"), _("备注")],
        [
            (
                timezone.localtime(lead.created_at).strftime("%m-%d %H:%M"),
                lead.buyer.name,
                lead.buyer.company,
                lead.buyer.country_name,
                lead.buyer.get_kind_display(),
                lead.note,
            )
            for lead in report.leads
        ],
    )
    document.add_table(
        _("洽谈"),
        [_("时段"), _("洽谈桌"), _("洽谈对象"), _("洽谈情况")],
        [
            (
                str(m.slot) if m.slot else _("未排入"),
                m.table.name if m.table else "—",
                m.other_party(application.participant).name if application.participant else "—",
                m.get_attendance_display(),
            )
            for m, _buyer in report.meetings
        ],
    )
    document.add_table(_("按国家/地区"), [_("国家/地区"), _("采购商数")], report.by_country)
    document.add_table(_("按采购商类型"), [_("类型"), _("采购商数")], report.by_kind)
    return document.render()
