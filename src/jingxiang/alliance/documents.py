"""Printed documents of the alliance (in Chinese whatever the UI language): the yearly report and a
meeting's minutes, each with a QR code to its public verification page."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jingxiang.alliance import selectors
from jingxiang.alliance.models import AnnualReport, Meeting, MeetingStatus, Member
from jingxiang.core.documents import PdfDocument, new_verification_code


def _figures(board: selectors.Dashboard) -> dict[str, Any]:
    return {
        "totals": [(f.label, f.value) for f in board.totals],
        "domains": [
            (r.domain.name, r.planned.value, r.done.value, r.overdue.value, r.outputs.value)
            for r in board.domains
        ],
        "by_kind": [(f.label, f.value) for f in board.by_kind],
        "by_member": [(f.label, f.value) for f in board.by_member],
        "agreements": [(f.label, f.value) for f in board.agreements],
    }


@transaction.atomic
def annual_report_issue(*, actor: Any, alliance: Any, year: int) -> AnnualReport:
    """Take the year's figures as they stand and record them under a new verification code."""
    with translation.override("zh-hans"):
        figures = _figures(selectors.dashboard(alliance, year))
    return AnnualReport.objects.create(
        alliance=alliance, year=year, verify_code=new_verification_code(), figures=figures, issued_by=actor
    )


def annual_report_pdf(report: AnnualReport) -> bytes:
    alliance = report.alliance
    figures = report.figures
    with translation.override("zh-hans"):
        members = Member.objects.current().filter(alliance=alliance).select_related("organisation")
        document = PdfDocument(
            title=_("%(year)s 年度工作报告") % {"year": report.year},
            subtitle=alliance.name,
            number=report.verify_code,
            issuer=alliance.secretariat.name,
            facts=[
                (_("成立日期"), alliance.founded_on.isoformat()),
                (_("成员单位"), members.count()),
                (_("出具时间"), timezone.localtime(report.issued_at).strftime("%Y-%m-%d %H:%M")),
            ],
            verify_kind="alliance-report",
            verify_code=report.verify_code,
        )
        document.add_table(_("总体情况"), [_("指标"), _("数量")], figures["totals"])
        document.add_table(
            _("各领域工作"), [_("领域"), _("计划"), _("完成"), _("逾期"), _("成果")], figures["domains"]
        )
        document.add_table(_("成果类型"), [_("类型"), _("数量")], figures["by_kind"])
        if figures["by_member"]:
            document.add_table(_("各成员单位成果"), [_("成员单位"), _("数量")], figures["by_member"])
        document.add_table(_("战略合作协议履约"), [_("指标"), _("数量")], figures["agreements"])
        document.add_table(
            _("成员单位"),
            [_("单位"), _("联盟职务"), _("入盟日期")],
            [(m.organisation.name, m.get_role_display(), m.joined_on.isoformat()) for m in members],
        )
        document.add_paragraphs(
            _("说明"),
            [
                _(
                    "成果数均由平台上的记录统计(需求、揭榜、共享服务、培训、检测报告、品牌授权、专利);自主申报成果附佐证材料,未经核实。"
                )
            ],
        )
        return document.render()


def annual_report_lookup(code: str) -> dict[str, Any] | None:
    report = AnnualReport.objects.select_related("alliance").filter(verify_code=code).first()
    if report is None:
        return None
    return {
        "status": "valid",
        "status_label": _("有效"),
        "title": _("%(alliance)s %(year)s 年度工作报告")
        % {"alliance": report.alliance.name, "year": report.year},
        "facts": [
            *[(label, value) for label, value in report.figures.get("totals", [])],
            (_("出具时间"), timezone.localtime(report.issued_at).strftime("%Y-%m-%d %H:%M")),
        ],
        "note": _("本页显示报告出具时的统计数字。"),
    }


def minutes_pdf(meeting: Meeting) -> bytes:
    with translation.override("zh-hans"):
        document = PdfDocument(
            title=_("会议纪要"),
            subtitle=meeting.title,
            number=meeting.verify_code,
            issuer=meeting.alliance.secretariat.name,
            facts=[
                (_("联盟"), meeting.alliance.name),
                (_("工作组"), meeting.domain.name if meeting.domain else _("联盟全体会议")),
                (_("时间"), timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")),
                (_("地点"), meeting.venue or "—"),
            ],
            verify_kind="alliance-minutes",
            verify_code=meeting.verify_code,
        )
        document.add_paragraphs(_("议程"), meeting.agenda.splitlines())
        document.add_table(
            _("出席单位"),
            [_("单位")],
            [(m.organisation.name,) for m in meeting.attendees.select_related("organisation")],
        )
        document.add_paragraphs(_("会议纪要"), meeting.minutes.splitlines())
        decisions = list(meeting.decisions.prefetch_related("tasks"))
        if decisions:
            document.add_table(
                _("会议决议"),
                [_("决议"), _("形成任务")],
                [(d.text, "、".join(t.title for t in d.tasks.all()) or "—") for d in decisions],
            )
        return document.render()


def minutes_lookup(code: str) -> dict[str, Any] | None:
    meeting = (
        Meeting.objects.select_related("alliance").filter(verify_code=code, status=MeetingStatus.HELD).first()
        if code
        else None
    )
    if meeting is None:
        return None
    return {
        "status": "valid",
        "status_label": _("有效"),
        "title": _("%(meeting)s · 会议纪要") % {"meeting": meeting.title},
        "facts": [
            (_("联盟"), meeting.alliance.name),
            (_("时间"), timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")),
            (_("出席单位数"), meeting.attendees.count()),
        ],
        "note": _("本页只显示会议的公开信息。"),
    }
