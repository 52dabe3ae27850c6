"""From the app's records to the engine's case and back: the counter, the import and the recovery
job ask the one judge, ``jingxiang.taxrefund.evaluate``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jingxiang.taxfree.models import Good, RefundForm, Store
from jingxiang.taxrefund import FormResult, builtin_rules, evaluate


@dataclass(frozen=True)
class Traveller:
    name: str
    category: str
    document_type: str
    nationality: str
    last_entry_date: dt.date | None


@dataclass(frozen=True)
class BasketLine:
    good: Good
    quantity: int

    @property
    def amount(self) -> Decimal:
        return self.good.price * self.quantity


def _store(store: Store) -> dict[str, Any]:
    return {
        "id": store.code,
        "name": store.name,
        "filed": store.status == "filed",
        **({"filed_on": store.filed_on.isoformat()} if store.filed_on else {}),
        "credit_rating": store.credit_rating,
        "region": store.region,
        "general_taxpayer": store.general_taxpayer,
        "instant_refund": store.instant_refund,
    }


def _line(
    index: int, *, description: str, amount: Decimal, vat_rate: str, kind: str, category: str
) -> dict[str, Any]:
    line: dict[str, Any] = {
        "id": str(index),
        "description": description,
        "amount": str(amount),
        "vat_rate": vat_rate if vat_rate == "exempt" else int(vat_rate),
        "kind": kind,
        "unused": True,
    }
    if kind == "goods":
        line["category"] = category
    return line


def build_case(
    *,
    store: Store,
    traveller: Traveller,
    day: dt.date,
    lines: Sequence[dict[str, Any]],
    invoice_number: str = "",
    instant: dict[str, Any] | None = None,
    verification: dict[str, Any] | None = None,
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    purchase: dict[str, Any] = {"store": store.code, "date": day.isoformat(), "lines": list(lines)}
    if invoice_number:
        purchase["invoice"] = {"number": invoice_number, "kind": "digital_ordinary"}
    case: dict[str, Any] = {
        "traveller": {
            "category": traveller.category,
            "document": {"type": traveller.document_type, "country": traveller.nationality},
            "last_entry_date": traveller.last_entry_date.isoformat() if traveller.last_entry_date else None,
        },
        "stores": [_store(store)],
        "purchases": [purchase],
    }
    if as_of is not None:
        case["as_of"] = as_of.isoformat()
    if instant is not None:
        case["instant_refunds"] = [{"store": store.code, "date": day.isoformat(), **instant}]
    if verification is not None:
        case["verifications"] = [{"store": store.code, "date": day.isoformat(), **verification}]
        if verification.get("result") == "verified":
            case["departure"] = {
                "date": verification["verified_on"],
                "port": verification.get("port") or "HGH",
            }
    return case


def basket_lines(basket: Sequence[BasketLine]) -> list[dict[str, Any]]:
    return [
        _line(
            index,
            description=item.good.name,
            amount=item.amount,
            vat_rate=item.good.vat_rate,
            kind=item.good.kind,
            category=item.good.category,
        )
        for index, item in enumerate(basket, start=1)
    ]


def form_lines(form: RefundForm) -> list[dict[str, Any]]:
    return [
        _line(
            index,
            description=line.description,
            amount=line.amount,
            vat_rate=line.vat_rate,
            kind=line.kind,
            category=line.category,
        )
        for index, line in enumerate(form.lines.all(), start=1)
    ]


def form_traveller(form: RefundForm) -> Traveller:
    return Traveller(
        name=form.traveller_name,
        category=form.traveller_category,
        document_type=form.document_type,
        nationality=form.nationality,
        last_entry_date=form.last_entry_date,
    )


def judge(case: dict[str, Any]) -> FormResult:
    """The engine's result for the case's one form (CaseRejectedError on bad input)."""
    return evaluate(case).forms[0]


def judge_form(
    form: RefundForm, *, verification: dict[str, Any] | None = None, as_of: dt.date | None = None
) -> FormResult:
    instant = None
    if form.instant:
        instant = {
            "promised_departure_date": form.promised_departure_date.isoformat()
            if form.promised_departure_date
            else None,
            "promised_port": form.promised_port,
            "consent_signed": form.consent_signed,
            "card_preauthorised": bool(form.preauth_reference),
        }
    case = build_case(
        store=form.store,
        traveller=form_traveller(form),
        day=form.purchase_date,
        lines=form_lines(form),
        invoice_number=form.invoice_number,
        instant=instant,
        verification=verification,
        as_of=as_of,
    )
    return judge(case)


def category_choices() -> list[tuple[str, str]]:
    return [(code, category.name_zh) for code, category in builtin_rules().categories.items()]


def category_label(code: str, language: str = "zh-hans") -> str:
    category = builtin_rules().categories.get(code)
    if category is None:
        return code
    return category.name_en if language.startswith("en") else category.name_zh


def add_working_days(start: dt.date, count: int) -> dt.date:
    return builtin_rules().calendar.add_working_days(start, count)[0]
