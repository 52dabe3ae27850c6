"""The award letter (资助通知书) and the agreement (资助协议书), PDFs with a QR code to the public
verification page, which shows only what is public (the firm, the project, the amount, the status)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.core.documents import PdfDocument, Signature
from jingxiang.fund.models import Award, AwardKind, AwardStatus

VERIFY_KIND = "fund-award"


def _facts(award: Award) -> list[tuple[str, Any]]:
    application = award.application
    facts: list[tuple[str, Any]] = [
        ("受资助单位", application.organisation.name),
        ("项目名称", application.project_title),
        ("领衔人才", application.talent_name),
        ("申报通知", application.call.title),
        ("方式", award.get_kind_display()),
        ("金额(元)", f"{award.amount:,.2f}"),
    ]
    if award.kind == AwardKind.EQUITY:
        facts += [
            ("基金持股比例", f"{award.stake}%"),
            ("退出时团队分享溢价比例", f"{award.team_premium_share}%"),
        ]
    facts.append(("签发日期", timezone.localtime(award.created_at).strftime("%Y-%m-%d")))
    return facts


def award_letter_pdf(award: Award) -> bytes:
    application = award.application
    document = PdfDocument(
        title="资助通知书",
        subtitle=award.fund.name,
        number=award.number,
        issuer=award.fund.manager.name,
        facts=_facts(award),
        verify_kind=VERIFY_KIND,
        verify_code=award.verify_code,
    )
    document.add_paragraphs(
        "通知",
        [
            f"{application.organisation.name}:",
            f"经资格审查、尽职调查、专家评审和路演答辩,并经公示无异议,{award.fund.name}决定对"
            f"“{application.project_title}”项目给予{award.get_kind_display()} {award.amount:,.2f} 元。",
            "资金按资助协议约定的里程碑分期拨付,每期凭经审核通过的佐证材料拨付。请按年度提交进展报告。",
        ],
    )
    return document.render()


def agreement_pdf(award: Award) -> bytes:
    application = award.application
    document = PdfDocument(
        title="资助协议书",
        subtitle=award.fund.name,
        number=award.number,
        issuer=award.fund.manager.name,
        facts=_facts(award),
        signatures=[
            Signature("甲方(基金管理机构)", award.fund.manager.name, award.created_at),
            Signature("乙方(受资助单位)", application.organisation.name),
        ],
        verify_kind=VERIFY_KIND,
        verify_code=award.verify_code,
    )
    document.add_table(
        "分期拨付与里程碑",
        ["期次", "里程碑", "金额(元)", "应达成日期", "状态"],
        [
            [t.seq, t.milestone, f"{t.amount:,.2f}", t.due_on.isoformat(), t.get_status_display()]
            for t in award.tranches.all()
        ],
    )
    clauses = [
        "一、资金只能用于本项目的研发、生产和人才引进,每期凭里程碑佐证经甲方审核后拨付。",
        "二、乙方须在杜桥镇注册经营;迁离本镇或里程碑未达成的,甲方可终止协议,未拨付资金不再拨付,"
        "已拨付资金按甲方决定收回。",
        "三、乙方每年提交年度进展报告。",
    ]
    if award.kind == AwardKind.EQUITY:
        clauses.append(
            f"四、甲方以 {award.amount:,.2f} 元入股,持股 {award.stake}%;退出时税后股权溢价的 "
            f"{award.team_premium_share}% 奖励创业团队。"
        )
    if award.terms:
        clauses.append(f"其他约定:{award.terms}")
    document.add_paragraphs("主要条款", clauses)
    return document.render()


def award_lookup(code: str) -> dict[str, Any] | None:
    award = Award.objects.select_related("application__organisation", "fund").filter(verify_code=code).first()
    if award is None:
        return None
    valid = award.status != AwardStatus.RECOVERED and award.archived_at is None
    return {
        "status": "valid" if valid else "revoked",
        "status_label": _("有效") if valid else _("已终止"),
        "title": _("资助协议 %(n)s") % {"n": award.number},
        "facts": [
            (_("基金"), award.fund.name),
            (_("受资助单位"), award.application.organisation.name),
            (_("项目"), award.application.project_title),
            (_("方式"), award.get_kind_display()),
            (_("金额(元)"), f"{award.amount:,.2f}"),
            (_("状态"), award.get_status_display()),
        ],
        "note": _("本页只显示公开信息。"),
    }
