"""Writes of 离境退税: keyword-only, authorised, one transaction each (audited through django-auditlog).

A refusal is a ``ValidationError`` (a rule said no, in the user's language) or ``PermissionDenied``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jingxiang.core.documents import new_verification_code
from jingxiang.core.numbering import next_number
from jingxiang.organisations.models import Organisation
from jingxiang.organisations.permissions import FIRM_MANAGERS, firm_ids, is_operator
from jingxiang.taxfree import engine_bridge, permissions
from jingxiang.taxfree.engine_bridge import BasketLine, Traveller
from jingxiang.taxfree.models import (
    FilingStatus,
    FormLine,
    FormStatus,
    Good,
    RefundAgency,
    RefundForm,
    Store,
    StoreDocument,
    StoreStaff,
    TaxOffice,
    Verification,
    VisitorDay,
)
from jingxiang.taxrefund import CaseRejectedError, FormResult

#: Working days the tax office has to check a complete filing (SAT 2025 No.11).
REVIEW_WORKING_DAYS = 5
REQUIRED_DOCUMENTS = (StoreDocument.Kind.LICENCE, StoreDocument.Kind.TAXPAYER, StoreDocument.Kind.CREDIT)


def today() -> dt.date:
    return timezone.localdate()


def passport_key(*, nationality: str, number: str) -> str:
    """A keyed hash of the document: finds the same visitor's basket without keeping the number."""
    text = f"{nationality.strip().upper()}|{''.join(number.split()).upper()}"
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def mask_document(number: str) -> str:
    """Only the first and the last three characters stay (PIPL: the full number is not stored)."""
    plain = "".join(number.split()).upper()
    if len(plain) <= 4:
        return "*" * len(plain)
    return plain[0] + "*" * (len(plain) - 4) + plain[-3:]


def reasons_text(reasons: Sequence[Any]) -> list[str]:
    english = (get_language() or "").startswith("en")
    return [reason.message_en if english else reason.message_zh for reason in reasons]


# --- stores ---------------------------------------------------------------------------------------


def store_apply(
    *,
    actor: Any,
    firm: Organisation,
    code: str,
    name: str,
    credit_rating: str,
    agency: RefundAgency,
    tax_office: TaxOffice,
    region: str = "zhejiang",
    general_taxpayer: bool = True,
    separate_ledger: bool = False,
    uses_refund_system: bool = False,
    instant_refund: bool = False,
) -> Store:
    """Start a filing (draft) for a firm's store; the applicant becomes the store's manager."""
    if not (is_operator(actor) or firm.pk in firm_ids(actor, *FIRM_MANAGERS)):
        raise PermissionDenied(_("只有企业管理员或运营方可以为门店申请备案。"))
    code = code.strip().upper()
    if Store.objects.filter(code=code).exists():
        raise ValidationError({"code": _("门店编号 %(code)s 已存在。") % {"code": code}})
    with transaction.atomic():
        store = Store.objects.create(
            firm=firm,
            code=code,
            name=name,
            credit_rating=credit_rating,
            agency=agency,
            tax_office=tax_office,
            region=region,
            general_taxpayer=general_taxpayer,
            separate_ledger=separate_ledger,
            uses_refund_system=uses_refund_system,
            instant_refund=instant_refund,
        )
        StoreStaff.objects.create(store=store, user=actor, manager=True)
    return store


def store_document_add(*, actor: Any, store: Store, kind: str, file: Any) -> StoreDocument:
    """Attach one filing document (drafts and refused filings only)."""
    if not permissions.may_edit_store(actor, store):
        raise PermissionDenied
    if store.status not in (FilingStatus.DRAFT, FilingStatus.REJECTED):
        raise ValidationError(_("备案已提交,材料不能再更改。"))
    with transaction.atomic():
        return StoreDocument.objects.create(store=store, kind=kind, file=file, uploaded_by=actor)


def filing_refusals(store: Store) -> list[str]:
    """What keeps a store from filing (SAT 2025 No.11 conditions and the required documents)."""
    problems = []
    if not store.general_taxpayer:
        problems.append(_("退税商店须为增值税一般纳税人。"))
    if store.credit_rating not in ("A", "B", "M"):
        problems.append(_("纳税信用级别须为 A、B 或 M 级,本店为 %(r)s 级。") % {"r": store.credit_rating})
    if not store.uses_refund_system:
        problems.append(_("须同意安装并使用离境退税管理系统。"))
    if not store.separate_ledger:
        problems.append(_("须单独设置退税物品销售明细账。"))
    present = set(store.documents.values_list("kind", flat=True))
    for kind in REQUIRED_DOCUMENTS:
        if kind not in present:
            problems.append(_("缺少备案材料:%(kind)s。") % {"kind": StoreDocument.Kind(kind).label})
    return problems


def store_submit(*, actor: Any, store: Store, on: dt.date | None = None) -> Store:
    """Hand in a complete filing; the tax office must decide within 5 working days."""
    if not permissions.may_edit_store(actor, store):
        raise PermissionDenied
    with transaction.atomic():
        store = Store.objects.select_for_update(of=("self",)).get(pk=store.pk)
        if store.status not in (FilingStatus.DRAFT, FilingStatus.REJECTED):
            raise ValidationError(_("这家门店的备案已经提交。"))
        problems = filing_refusals(store)
        if problems:
            raise ValidationError(problems)
        submitted = on or today()
        store.status = FilingStatus.SUBMITTED
        store.submitted_on = submitted
        store.review_due = engine_bridge.add_working_days(submitted, REVIEW_WORKING_DAYS)
        store.review_note = ""
        store.save()
    return store


def store_review(
    *, actor: Any, store: Store, approve: bool, note: str = "", on: dt.date | None = None
) -> Store:
    """The tax office's decision; a filed store gets its Tax Free sign number."""
    if not permissions.may_review(actor, store):
        raise PermissionDenied
    with transaction.atomic():
        store = Store.objects.select_for_update(of=("self",)).get(pk=store.pk)
        if store.status != FilingStatus.SUBMITTED:
            raise ValidationError(_("只有待审核的备案可以审核。"))
        if not approve and not note.strip():
            raise ValidationError({"note": _("不予备案须写明原因。")})
        decided = on or today()
        store.review_note = note.strip()
        if approve:
            store.status = FilingStatus.FILED
            store.filed_on = decided
            store.sign_number = f"TF{decided.year}-{next_number('taxfree.sign', decided.year):04d}"
        else:
            store.status = FilingStatus.REJECTED
        store.save()
    return store


def staff_add(*, actor: Any, store: Store, user: Any, manager: bool = False) -> StoreStaff:
    if not permissions.may_edit_store(actor, store):
        raise PermissionDenied
    with transaction.atomic():
        staff, _created = StoreStaff.objects.update_or_create(
            store=store, user=user, defaults={"manager": manager}
        )
    return staff


def staff_remove(*, actor: Any, staff: StoreStaff) -> None:
    if not permissions.may_edit_store(actor, staff.store):
        raise PermissionDenied
    if staff.user_id == actor.pk:
        raise ValidationError(_("不能移除自己。"))
    with transaction.atomic():
        staff.delete()


def good_save(
    *,
    actor: Any,
    store: Store,
    name: str,
    category: str,
    kind: str,
    vat_rate: str,
    price: Decimal,
    name_en: str = "",
    good: Good | None = None,
    active: bool = True,
) -> Good:
    """Add or change a catalogue item. Services are listed too: they print but never count."""
    if not permissions.may_edit_store(actor, store):
        raise PermissionDenied
    if price <= 0:
        raise ValidationError({"price": _("单价须大于 0。")})
    if kind == "goods" and category not in dict(engine_bridge.category_choices()):
        raise ValidationError({"category": _("请选择商品类别。")})
    with transaction.atomic():
        good = good or Good(store=store)
        good.name, good.name_en, good.category, good.kind = name, name_en, category, kind
        good.vat_rate, good.price, good.active = vat_rate, price, active
        good.save()
    return good


# --- the counter ----------------------------------------------------------------------------------


def counter_evaluate(
    *,
    store: Store,
    traveller: Traveller,
    basket: Sequence[BasketLine],
    day: dt.date,
    instant: dict[str, Any] | None = None,
) -> FormResult:
    """What the engine says about this basket now (no writes): the live panel at the counter."""
    if not basket:
        raise ValidationError(_("购物篮是空的。"))
    case = engine_bridge.build_case(
        store=store, traveller=traveller, day=day, lines=engine_bridge.basket_lines(basket), instant=instant
    )
    try:
        return engine_bridge.judge(case)
    except CaseRejectedError as error:
        raise ValidationError([problem.message for problem in error.problems]) from error


def form_issue(
    *,
    actor: Any,
    store: Store,
    traveller: Traveller,
    document_number: str,
    basket: Sequence[BasketLine],
    invoice_number: str,
    day: dt.date | None = None,
    instant: bool = False,
    promised_departure_date: dt.date | None = None,
    promised_port: str = "",
    consent_signed: bool = False,
    preauth_reference: str = "",
) -> RefundForm:
    """Issue the 退税申请单 (and for 即买即退 pay the advance against the card pre-authorisation).

    The visitor-store-day row is locked first: a second counter serving the same visitor waits,
    then finds the form and is refused, so a basket is neither split across forms nor counted twice.
    """
    if not permissions.may_work_counter(actor, store):
        raise PermissionDenied
    day = day or today()
    number_plain = "".join(document_number.split())
    if not number_plain:
        raise ValidationError({"document_number": _("请填写证件号码。")})
    instant_input = None
    if instant:
        if not store.instant_refund:
            raise ValidationError(_("本店未开通即买即退。"))
        if not consent_signed:
            raise ValidationError({"consent_signed": _("即买即退须旅客签署协议书。")})
        if not preauth_reference.strip():
            raise ValidationError(
                {"preauth_reference": _("即买即退须先在旅客本人信用卡上做预授权,请填写预授权号。")}
            )
        if promised_departure_date is None:
            raise ValidationError({"promised_departure_date": _("即买即退须填写承诺离境日。")})
        instant_input = {
            "promised_departure_date": promised_departure_date.isoformat(),
            "promised_port": promised_port or "HGH",
            "consent_signed": True,
            "card_preauthorised": True,
        }
    key = passport_key(nationality=traveller.nationality, number=number_plain)
    with transaction.atomic():
        visitor_day, _created = VisitorDay.objects.get_or_create(store=store, passport_key=key, day=day)
        visitor_day = VisitorDay.objects.select_for_update(of=("self",)).get(pk=visitor_day.pk)
        existing = visitor_day.forms.active().first()
        if existing is not None:
            raise ValidationError(
                _(
                    "这位旅客今天在本店已有退税申请单 %(number)s。同一旅客同日同店只开一张单:"
                    "如需加购,请先作废原单,再按全部商品重新开单。"
                )
                % {"number": existing.number}
            )
        result = counter_evaluate(
            store=store, traveller=traveller, basket=basket, day=day, instant=instant_input
        )
        if not result.issuable:
            raise ValidationError(reasons_text([r for r in result.reasons if r.stage == "issue"]))
        if instant and (result.instant is None or result.instant.status != "available"):
            refusals = result.instant.reasons if result.instant is not None else ()
            raise ValidationError(reasons_text(refusals) or [_("这张单不能办理即买即退。")])
        if traveller.last_entry_date is None:  # the engine refuses first; this keeps the record whole
            raise ValidationError({"last_entry_date": _("请填写最后入境日期。")})
        form = RefundForm.objects.create(
            number=f"DQTR{day.year}-{next_number('taxfree.form', day.year):06d}",
            store=store,
            visitor_day=visitor_day,
            purchase_date=day,
            traveller_name=traveller.name.strip(),
            traveller_category=traveller.category,
            document_type=traveller.document_type,
            nationality=traveller.nationality.upper(),
            document_masked=mask_document(number_plain),
            last_entry_date=traveller.last_entry_date,
            invoice_number=invoice_number.strip(),
            goods_amount=result.goods_amount,
            refund=result.refund,
            agency_fee=result.agency_fee,
            net_refund=result.net_refund,
            cash_allowed=bool(result.cash and result.cash.allowed),
            instant=instant,
            promised_departure_date=promised_departure_date if instant else None,
            promised_port=(promised_port or "HGH") if instant else "",
            consent_signed=consent_signed and instant,
            preauth_reference=preauth_reference.strip() if instant else "",
            preauth_amount=result.instant.preauthorisation if instant and result.instant else Decimal("0"),
            advance=result.instant.advance if instant and result.instant else Decimal("0"),
            paid_out_at=timezone.now() if instant else None,
            status=FormStatus.PAID_OUT if instant else FormStatus.ISSUED,
            verification_code=new_verification_code(),
            issued_by=actor,
        )
        FormLine.objects.bulk_create(
            FormLine(
                form=form,
                good=item.good,
                description=item.good.name,
                category=item.good.category,
                kind=item.good.kind,
                vat_rate=item.good.vat_rate,
                quantity=item.quantity,
                amount=item.amount,
                refundable=line.refundable,
                refund=line.refund,
            )
            for item, line in zip(basket, result.lines, strict=True)
        )
    return form


def form_void(*, actor: Any, form: RefundForm, reason: str) -> RefundForm:
    """Goods returned: the store voids the form (and for 即买即退 the advance comes back, the card is freed)."""
    if not permissions.may_void(actor, form):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("请写明作废原因(如退货)。")})
    with transaction.atomic():
        form = RefundForm.objects.select_for_update(of=("self",)).get(pk=form.pk)
        if form.status not in (FormStatus.ISSUED, FormStatus.PAID_OUT):
            raise ValidationError(_("申请单已经海关验核或已结案,不能作废。"))
        form.status = FormStatus.VOIDED
        form.voided_at = timezone.now()
        form.void_reason = reason.strip()
        form.save()
    return form


# --- agency ---------------------------------------------------------------------------------------


def verification_record(
    *, actor: Any, form: RefundForm, verified: bool, verified_on: dt.date | None, port: str
) -> RefundForm:
    """Match one customs result to its form: release the pre-authorisation or start recovery."""
    if not permissions.may_act_for_agency(actor, form):
        raise PermissionDenied
    with transaction.atomic():
        form = RefundForm.objects.select_for_update(of=("self",)).select_related("store").get(pk=form.pk)
        if hasattr(form, "verification"):
            raise ValidationError(_("申请单 %(n)s 已有海关验核记录。") % {"n": form.number})
        if form.status == FormStatus.VOIDED:
            raise ValidationError(_("申请单 %(n)s 已作废。") % {"n": form.number})
        Verification.objects.create(
            form=form, verified=verified, verified_on=verified_on, port=port, imported_by=actor
        )
        verification: dict[str, Any] = {
            "result": "verified" if verified else "not_verified",
            "port": port or "HGH",
        }
        if verified and verified_on:
            verification["verified_on"] = verified_on.isoformat()
        result = engine_bridge.judge_form(form, verification=verification, as_of=verified_on or today())
        form.verified_on = verified_on if verified else None
        form.customs_port = port
        if form.instant:
            outcome = result.instant.outcome if result.instant else None
            if outcome == "release":
                form.status = FormStatus.RELEASED
                form.released_at = timezone.now()
            else:
                form.status = FormStatus.NOT_VERIFIED
                form.recovery_amount = result.instant.recovery_amount if result.instant else form.advance
                form.recovery_due = result.instant.recovery_latest_date if result.instant else None
        else:
            form.status = (
                FormStatus.VERIFIED if verified and result.status == "eligible" else FormStatus.NOT_VERIFIED
            )
        form.save()
    return form


def overdue_instant(*, as_of: dt.date) -> Any:
    """Instant refunds paid out whose promised departure passed with no customs verification."""
    return RefundForm.objects.filter(
        instant=True, status=FormStatus.PAID_OUT, promised_departure_date__lt=as_of, verification__isnull=True
    )


def recovery_run(*, actor: Any | None, as_of: dt.date, form_ids: Sequence[int] | None = None) -> int:
    """Capture the pre-authorisation of every overdue advance (or failed verification); returns how many.

    Idempotent for its date: a recovered form is not touched again. ``actor`` None is the daily duty.
    """
    candidates = RefundForm.objects.filter(instant=True).filter(
        pk__in=list(overdue_instant(as_of=as_of).values_list("pk", flat=True))
        + list(
            RefundForm.objects.filter(instant=True, status=FormStatus.NOT_VERIFIED).values_list(
                "pk", flat=True
            )
        )
    )
    if actor is not None:
        candidates = candidates.filter(store__agency_id__in=permissions.agency_ids(actor))
    if form_ids is not None:
        candidates = candidates.filter(pk__in=form_ids)
    done = 0
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            form = RefundForm.objects.select_for_update(of=("self",)).select_related("store").get(pk=pk)
            if form.status not in (FormStatus.PAID_OUT, FormStatus.NOT_VERIFIED):
                continue
            if form.status == FormStatus.PAID_OUT:
                result = engine_bridge.judge_form(form, as_of=as_of)
                if result.instant is None or result.instant.outcome != "recover":
                    continue
                form.recovery_amount = result.instant.recovery_amount
                form.recovery_due = result.instant.recovery_latest_date
            form.status = FormStatus.RECOVERED
            form.recovered_at = timezone.now()
            form.save()
            done += 1
    return done
