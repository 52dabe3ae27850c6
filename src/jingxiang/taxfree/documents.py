"""The refund application form (境外旅客购物离境退税申请单), bilingual, with its QR verification page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jingxiang.core.documents import PdfDocument, Signature
from jingxiang.taxfree.models import RefundForm


def _both(zh: str, en: str) -> str:
    # The visitor reads the form too: every label is printed in Chinese and English.
    return f"{zh} / {en}"


def form_pdf(form: RefundForm) -> bytes:
    facts: list[tuple[str, Any]] = [
        (_both("退税商店", "Tax-free store"), f"{form.store.code} {form.store.name}"),
        (_both("旅客姓名", "Traveller"), form.traveller_name),
        (_both("国籍", "Nationality"), form.nationality),
        (_both("证件号码", "Document No."), form.document_masked),
        (_both("最后入境日期", "Last entry"), form.last_entry_date.isoformat()),
        (_both("购买日期", "Purchase date"), form.purchase_date.isoformat()),
        (_both("发票号码", "Invoice No."), form.invoice_number),
        (_both("退税物品金额", "Goods amount"), f"¥{form.goods_amount}"),
        (_both("应退税额", "VAT refund"), f"¥{form.refund}"),
        (_both("代理机构手续费", "Agency fee"), f"¥{form.agency_fee}"),
        (_both("实退金额", "Net refund"), f"¥{form.net_refund}"),
        (
            _both("退税方式", "Payment"),
            _both("现金或转账", "cash or transfer")
            if form.cash_allowed
            else _both("仅银行转账", "bank transfer only"),
        ),
    ]
    if form.instant:
        facts += [
            (_both("即买即退预付金", "Instant refund advance"), f"¥{form.advance}"),
            (
                _both("信用卡预授权", "Card pre-authorisation"),
                f"{form.preauth_reference} ¥{form.preauth_amount}",
            ),
            (
                _both("承诺离境日/口岸", "Promised departure"),
                f"{form.promised_departure_date} {form.promised_port}",
            ),
        ]
    if form.status == "voided":
        facts.append((_both("已作废", "VOID"), form.void_reason))
    document = PdfDocument(
        title=_both("境外旅客购物离境退税申请单", "Departure Tax Refund Application Form"),
        subtitle=form.store.name,
        number=form.number,
        issuer=form.store.name,
        facts=facts,
        signatures=[Signature(_both("旅客签名", "Traveller's signature"), form.traveller_name, None)],
        verify_kind="taxfree",
        verify_code=form.verification_code,
        footer_note=_both(
            "离境时请将退税物品、本单、发票和证件交海关验核。",
            "At departure show the goods, this form, the invoice and your passport to Customs.",
        ),
    )
    document.add_table(
        _both("退税物品", "Goods"),
        [
            _both("品名", "Item"),
            _both("数量", "Qty"),
            _both("含税金额", "Amount"),
            _both("应退税额", "Refund"),
        ],
        [
            [line.description, line.quantity, f"¥{line.amount}", f"¥{line.refund}"]
            for line in form.lines.all()
        ],
    )
    return document.render()


def form_lookup(code: str) -> dict[str, Any] | None:
    """Public facts of one form: number, store, date, amounts and status; never the traveller's data."""
    form = RefundForm.objects.select_related("store").filter(verification_code=code).first()
    if form is None:
        return None
    return {
        "status": "revoked" if form.status == "voided" else "valid",
        "status_label": form.get_status_display(),
        "title": _("离境退税申请单 %(n)s") % {"n": form.number},
        "facts": [
            (_("退税商店"), form.store.name),
            (_("购买日期"), form.purchase_date.isoformat()),
            (_("实退金额"), f"¥{form.net_refund}"),
            (_("即买即退"), _("是") if form.instant else _("否")),
        ],
        "note": _("本页由平台根据申请单上的核验码生成。"),
    }
