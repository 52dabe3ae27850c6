"""Printable agreements and statements, and what their public verification pages show.

The public pages show parties, period, status and the text hash of an agreement, or the parties, month
and status of a statement: never rates, amounts or personal data.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.core.documents import PdfDocument, Signature
from jingxiang.sharing.models import Agreement, AgreementStatus, Party, Statement, StatementStatus

_VERIFY_STATUS = {
    AgreementStatus.ACTIVE: "valid",
    AgreementStatus.PENDING: "pending",
    AgreementStatus.SUPERSEDED: "superseded",
    AgreementStatus.ENDED: "closed",
}


def _period(agreement: Agreement) -> str:
    return _("%(start)s 至 %(end)s") % {
        "start": f"{agreement.period_start:%Y-%m-%d}",
        "end": f"{agreement.period_end:%Y-%m-%d}",
    }


def _party_name(agreement: Agreement, party: str) -> str:
    if party == Party.HOME:
        return agreement.home.name if agreement.home else ""
    if party == Party.HOST:
        return agreement.host.name
    return agreement.talent.name


def agreement_pdf(agreement: Agreement) -> bytes:
    signatures = {s.party: s for s in agreement.signatures.select_related("signed_by")}
    document = PdfDocument(
        title=agreement.get_kind_display(),
        subtitle=_("第 %(v)s 版 · %(status)s")
        % {"v": agreement.version, "status": agreement.get_status_display()},
        number=agreement.number,
        issuer=_("临海市人才共享驿站"),
        facts=[
            (_("原用人单位"), agreement.home.name if agreement.home else _("无(独立专家)")),
            (_("用工单位"), agreement.host.name),
            (_("共享人才"), agreement.talent.name),
            (_("期限"), _period(agreement)),
            (_("每月工时上限"), _("%(n)s 小时") % {"n": agreement.monthly_hour_cap}),
            (_("文本摘要 SHA-256"), agreement.text_sha256),
        ],
        signatures=[
            Signature(
                party=f"{Party(p).label} {_party_name(agreement, p)}",
                name=str(signatures[p].signed_by) if p in signatures else _("未签署"),
                signed_at=signatures[p].signed_at if p in signatures else None,
                note=(_("文本哈希 %(h)s…") % {"h": signatures[p].text_sha256[:16]})
                if p in signatures
                else "",
            )
            for p in agreement.parties
        ],
        verify_kind="agreement",
        verify_code=agreement.verification_code,
    )
    document.add_paragraphs(_("协议全文"), agreement.text.split("\n\n"))
    return document.render()


def agreement_lookup(code: str) -> dict[str, Any] | None:
    agreement = (
        Agreement.objects.select_related("host", "home", "talent")
        .filter(verification_code=code.upper())
        .first()
    )
    if agreement is None:
        return None
    signed = agreement.signatures.count()
    return {
        "status": _VERIFY_STATUS.get(agreement.status, "pending"),
        "status_label": agreement.get_status_display(),
        "title": f"{agreement.get_kind_display()} {agreement.number}",
        "facts": [
            (_("原用人单位"), agreement.home.name if agreement.home else _("无(独立专家)")),
            (_("用工单位"), agreement.host.name),
            (_("共享人才"), agreement.talent.name),
            (_("期限"), _period(agreement)),
            (_("版本"), agreement.version),
            (_("签署"), f"{signed} / {len(agreement.parties)}"),
            (_("文本摘要 SHA-256"), agreement.text_sha256),
        ],
        "note": _("将协议全文按 UTF-8 计算 SHA-256,与上方摘要一致即说明文本未被改动。"),
    }


def statement_pdf(statement: Statement) -> bytes:
    agreement = statement.agreement
    document = PdfDocument(
        title=_("共享用工月度结算单"),
        subtitle=f"{statement.month:%Y-%m} · {statement.get_status_display()}",
        number=statement.number,
        issuer=_("临海市人才共享驿站"),
        facts=[
            (_("协议"), f"{agreement.number} v{agreement.version}"),
            (_("用工单位(付款方)"), statement.host.name),
            (_("收款方"), statement.payee),
            (_("共享人才"), statement.talent.name),
            (_("服务费率"), _("¥%(rate)s / 小时") % {"rate": f"{agreement.hourly_rate:,.2f}"}),
            (_("确认工时"), _("%(n)s 小时") % {"n": statement.hours}),
            (_("应结金额"), f"¥{statement.gross:,.2f}"),
            (
                _("补贴"),
                f"¥{statement.subsidy:,.2f}" + (f"({statement.policy.name})" if statement.policy else ""),
            ),
            (_("用工单位应付"), f"¥{statement.host_pays:,.2f}"),
            (_("出具时间"), statement.issued_at),
        ],
        verify_kind="statement",
        verify_code=statement.verification_code,
        footer_note=_("依共享用工协议,用工单位向收款方付款;不得从共享人才报酬中扣除任何费用。")
        + f" · {timezone.localtime():%Y-%m-%d %H:%M}",
    )
    document.add_table(
        _("明细"),
        [_("摘要"), _("工时"), _("金额")],
        [(line.description, line.hours, f"¥{line.amount:,.2f}") for line in statement.lines.all()],
    )
    return document.render()


def statement_lookup(code: str) -> dict[str, Any] | None:
    statement = (
        Statement.objects.select_related("host", "talent").filter(verification_code=code.upper()).first()
    )
    if statement is None or statement.status != StatementStatus.ISSUED:
        return None
    return {
        "status": "valid",
        "status_label": statement.get_status_display(),
        "title": f"{_('共享用工月度结算单')} {statement.number}",
        "facts": [
            (_("月份"), f"{statement.month:%Y-%m}"),
            (_("用工单位"), statement.host.name),
            (_("收款方"), statement.payee),
            (_("共享人才"), statement.talent.name),
            (_("出具时间"), f"{timezone.localtime(statement.issued_at):%Y-%m-%d %H:%M}"),
        ],
        "note": _("金额等结算明细仅对协议当事方可见。"),
    }
