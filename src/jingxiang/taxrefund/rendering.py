"""A readable summary of an evaluation for the command line (``--text``), in Chinese or English."""

from __future__ import annotations

from collections.abc import Sequence

from jingxiang.taxrefund.engine import ELIGIBLE, PENDING, Evaluation, FormResult, InstantResult
from jingxiang.taxrefund.exact import money
from jingxiang.taxrefund.model import Problem, Reason

_WORDS = {
    "zh": {
        "title": "离境退税评估",
        "rules": "规则",
        "traveller": "旅客",
        "form": "门店 {store} · {date}",
        ELIGIBLE: "可退税",
        PENDING: "可开单,待离境",
        "refused": "不予退税",
        "period": "适用规则期",
        "goods": "退税物品金额",
        "threshold": "起退点",
        "refund": "应退税额",
        "fee": "代理机构手续费",
        "net": "实退",
        "cash": "可选现金或银行转账",
        "transfer": "只能银行转账",
        "line": "第 {purchase}.{line} 行 {label}",
        "instant": "即买即退",
        "available": "可办理",
        "instant_refused": "不可办理",
        "advance": "预付金",
        "preauth": "信用卡预授权",
        "promised": "承诺离境日",
        "awaiting_verification": "待海关验核",
        "release": "解除预授权",
        "recover": "追回预付金",
        "recovery": "追回 {amount} 元,最迟 {date}",
        "totals": "合计",
        "warnings": "提示",
        "none": "无",
    },
    "en": {
        "title": "Departure tax refund evaluation",
        "rules": "rules",
        "traveller": "traveller",
        "form": "store {store} · {date}",
        ELIGIBLE: "refund due",
        PENDING: "form may be issued; refund after departure",
        "refused": "refused",
        "period": "rules period",
        "goods": "refundable goods",
        "threshold": "minimum",
        "refund": "refund (应退)",
        "fee": "agency fee",
        "net": "paid (实退)",
        "cash": "cash or bank transfer",
        "transfer": "bank transfer only",
        "line": "line {purchase}.{line} {label}",
        "instant": "instant refund",
        "available": "available",
        "instant_refused": "not available",
        "advance": "advance",
        "preauth": "card pre-authorisation",
        "promised": "promised departure",
        "awaiting_verification": "awaiting customs verification",
        "release": "release the pre-authorisation",
        "recover": "recover the advance",
        "recovery": "recover {amount} yuan by {date}",
        "totals": "totals",
        "warnings": "warnings",
        "none": "none",
    },
}


def _reason_lines(reasons: Sequence[Reason], language: str, indent: str) -> list[str]:
    return [f"{indent}{reason.rule}: {reason.message(language)} [{reason.certainty}]" for reason in reasons]


def _instant_lines(instant: InstantResult, words: dict[str, str], language: str) -> list[str]:
    status = words["available"] if instant.status == "available" else words["instant_refused"]
    lines = [f"  {words['instant']}: {status}; {words['promised']} {instant.promised_departure_date}"]
    lines += _reason_lines(instant.reasons, language, "    x ")
    if instant.status == "available":
        lines.append(
            f"    {words['advance']} {money(instant.advance)} · {words['preauth']} {money(instant.preauthorisation)}"
        )
    if instant.outcome is not None:
        lines.append(f"    → {words[instant.outcome]}")
    lines += _reason_lines(instant.outcome_reasons, language, "    x ")
    if instant.recovery_amount is not None and instant.recovery_latest_date is not None:
        recovery = words["recovery"].format(
            amount=money(instant.recovery_amount), date=instant.recovery_latest_date.isoformat()
        )
        lines.append(f"    {recovery}")
    lines += _reason_lines(instant.notes, language, "    · ")
    return lines


def _form_lines(form: FormResult, words: dict[str, str], language: str) -> list[str]:
    heading = words["form"].format(store=form.store.id, date=form.date.isoformat())
    lines = [f"{heading}: {words[form.status]}"]
    if form.period is not None:
        lines.append(
            f"  {words['period']} {form.period.id} · {words['goods']} {money(form.goods_amount)}"
            f" ({words['threshold']} {money(form.threshold or form.period.min_purchase.value)})"
        )
    lines += _reason_lines(form.reasons, language, "  x ")
    for result in form.lines:
        if result.reasons:
            label = words["line"].format(
                purchase=result.line.purchase + 1, line=result.line.index + 1, label=result.line.label
            )
            lines.append(f"  {label}:")
            lines += _reason_lines(result.reasons, language, "    x ")
    if form.status != "refused":
        lines.append(
            f"  {words['refund']} {money(form.refund)} − {words['fee']} {money(form.agency_fee)}"
            f" = {words['net']} {money(form.net_refund)}"
        )
        if form.cash is not None:
            lines.append(f"  {words['cash'] if form.cash.allowed else words['transfer']}")
    lines += _reason_lines(form.notes, language, "  · ")
    if form.instant is not None:
        lines += _instant_lines(form.instant, words, language)
    return lines


def evaluation_text(evaluation: Evaluation, language: str = "zh") -> str:
    words = _WORDS["en" if language == "en" else "zh"]
    lines = [f"{words['title']} ({words['rules']} {evaluation.rules.id})"]
    if evaluation.case_id:
        lines[0] += f" · {evaluation.case_id}"
    if evaluation.traveller_reasons:
        lines.append(f"{words['traveller']}:")
        lines += _reason_lines(evaluation.traveller_reasons, language, "  x ")
    for form in evaluation.forms:
        lines += _form_lines(form, words, language)
    totals = evaluation.totals()
    lines.append(
        f"{words['totals']}: {words['refund']} {totals['refund']} · {words['fee']} {totals['agency_fee']}"
        f" · {words['net']} {totals['net_refund']}"
    )
    if evaluation.warnings:
        lines.append(f"{words['warnings']}:")
        lines += [f"  {warning}" for warning in evaluation.warnings]
    return "\n".join(lines) + "\n"


def problems_text(problems: Sequence[Problem]) -> str:
    return "".join(f"{problem.severity}: {problem.path or '/'}: {problem.message}\n" for problem in problems)
