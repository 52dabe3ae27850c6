"""The 揭榜挂帅 award notice (PDF with a QR code) and its public verification page: the challenge, the award
and the winner, nothing private."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jingxiang.core.documents import PdfDocument
from jingxiang.demands.models import Challenge


def challenge_notice_pdf(challenge: Challenge) -> bytes:
    winner = challenge.winner
    document = PdfDocument(
        title=_("揭榜挂帅中榜通知书"),
        subtitle=challenge.title,
        number=f"JB{challenge.pk:05d}",
        issuer=_("镜享 · 杜桥眼镜产业综合服务平台"),
        facts=[
            (_("发榜企业"), challenge.demand.organisation.name),
            (_("中榜方"), winner.supplier_name),
            (_("榜额"), f"¥{challenge.award_amount:,.2f}"),
            (_("选定日期"), f"{challenge.selected_at:%Y-%m-%d}" if challenge.selected_at else "—"),
        ],
        verify_kind="challenge",
        verify_code=challenge.verify_code,
    )
    document.add_paragraphs(_("交付成果要求"), challenge.deliverables.splitlines() or ["—"])
    document.add_paragraphs(_("知识产权约定"), challenge.ip_terms.splitlines() or ["—"])
    milestones = list(challenge.milestones.all())
    if milestones:
        document.add_table(
            _("里程碑与付款"),
            [_("里程碑"), _("计划完成"), _("付款(元)")],
            [(m.title, m.due_date.isoformat(), f"{m.payment:,.2f}") for m in milestones],
        )
    return document.render()


def challenge_lookup(code: str) -> dict[str, Any] | None:
    """Public facts of a 揭榜挂帅 award: the challenge, the award and the winner, nothing private."""
    challenge = (
        Challenge.objects.public()
        .select_related("winner__talent", "winner__organisation")
        .filter(verify_code=code, winner__isnull=False)
        .first()
    )
    if challenge is None:
        return None
    return {
        "status": "valid",
        "status_label": challenge.get_status_display(),
        "title": challenge.title,
        "facts": [
            (_("榜单"), challenge.title),
            (_("榜额"), f"¥{challenge.award_amount:,.2f}"),
            (_("中榜方"), challenge.winner.supplier_name if challenge.winner else "—"),
            (_("选定日期"), f"{challenge.selected_at:%Y-%m-%d}" if challenge.selected_at else "—"),
        ],
        "note": _("本页面由镜享平台提供,用于核验揭榜挂帅中榜结果。"),
    }
