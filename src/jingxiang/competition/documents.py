"""The award certificate (PDF with a QR code) and its public verification."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.competition.models import Award
from jingxiang.core.documents import PdfDocument

VERIFY_KIND = "competition-award"


def certificate_pdf(award: Award) -> bytes:
    entry = award.entry
    document = PdfDocument(
        title=_("获奖证书"),
        subtitle=award.edition.name,
        number=entry.number,
        issuer=_("大赛组委会"),
        facts=[
            (_("项目名称"), entry.title),
            (_("团队"), entry.team_name),
            (_("负责人"), entry.leader_name),
            (_("赛道"), entry.track.name),
            (_("奖项"), award.name),
            (_("决赛名次"), award.rank),
            (_("颁发日期"), timezone.localtime(award.created_at).strftime("%Y-%m-%d")),
        ],
        verify_kind=VERIFY_KIND,
        verify_code=award.verification_code,
    )
    document.add_paragraphs(
        "",
        [
            _("兹证明“%(team)s”团队的项目“%(title)s”在%(edition)s中荣获%(award)s。")
            % {
                "team": entry.team_name,
                "title": entry.title,
                "edition": award.edition.name,
                "award": award.name,
            }
        ],
    )
    return document.render()


def award_lookup(code: str) -> dict[str, Any] | None:
    """What the public verification page shows: the award, the project and the team — no contacts."""
    award = Award.objects.select_related("entry__track", "edition").filter(verification_code=code).first()
    if award is None:
        return None
    return {
        "status": "revoked" if award.revoked_at else "valid",
        "status_label": _("已撤销") if award.revoked_at else _("有效"),
        "title": _("大赛获奖证书"),
        "facts": [
            (_("大赛"), award.edition.name),
            (_("奖项"), award.name),
            (_("项目名称"), award.entry.title),
            (_("团队"), award.entry.team_name),
            (_("赛道"), award.entry.track.name),
            (_("报名编号"), award.entry.number),
        ],
        "note": _("本页只显示公开信息。"),
    }
