"""The refund engine: one traveller's purchases judged per store and day, refunds computed to the fen.

A refund form (退税申请单) covers one traveller, one store and one day: the threshold is tested on
the refundable goods of that store and day together, however many invoices or counters they came
from, and two stores on one day are two forms. Each form is judged by the rules period in force on
its date. Every rule that refuses is reported, not just the first, with its id and its message in
Chinese and English.

Amounts: 应退税额 per line = amount including VAT × refund rate, rounded once to 0.01 元 with the
``rounding`` parameter (half up by default); the agency fee per line = amount × fee rate, rounded
the same way; 实退 = 应退 − fee per line; every total is the sum of its lines, so the form, the
lines and the case always add up.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from jingxiang.taxrefund.case_input import (
    Case,
    FormKey,
    InstantRequest,
    Line,
    Purchase,
    Store,
    Verification,
    load_case_json,
    parse_case,
)
from jingxiang.taxrefund.exact import ZERO, fraction_of, money, plain, total
from jingxiang.taxrefund.model import CaseRejectedError, Problem, Reason
from jingxiang.taxrefund.parameters import Parameters
from jingxiang.taxrefund.rules import INVOICE_KINDS, RULE_FIGURES, Period, Region, Rules, builtin_rules

ISSUE = "issue"
DEPARTURE = "departure"
INSTANT = "instant"
OUTCOME = "outcome"
NOTE = "note"

REFUSED = "refused"
ELIGIBLE = "eligible"
PENDING = "pending_departure"

CATEGORY_LABELS = {
    "foreigner": ("外国人", "foreigner"),
    "hong_kong_macao": ("港澳同胞", "Hong Kong or Macao compatriot"),
    "taiwan": ("台湾同胞", "Taiwan compatriot"),
    "overseas_chinese": ("华侨(中国护照)", "overseas Chinese with a PRC passport"),
    "mainland_resident": ("境内居民", "mainland resident"),
}
BASIS_LABELS = {"net": ("实退", "after the agency fee"), "gross": ("应退", "before the agency fee")}


@dataclass(frozen=True)
class LineResult:
    """One invoice line: refundable or not (with every reason), and its amounts (zero when not refunded)."""

    line: Line
    refundable: bool
    refund_percent: Decimal | None
    refund: Decimal
    fee: Decimal
    net: Decimal
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        line = self.line
        return {
            "purchase": line.purchase,
            "line": line.index,
            "id": line.id,
            "description": line.description,
            "kind": line.kind,
            "category": line.category,
            "amount": money(line.amount),
            "vat_rate": "exempt" if line.vat_rate is None else plain(line.vat_rate),
            "refund_rate": None if self.refund_percent is None else plain(self.refund_percent),
            "refundable": self.refundable,
            "refund": money(self.refund),
            "agency_fee": money(self.fee),
            "net_refund": money(self.net),
            "reasons": [reason.to_dict() for reason in self.reasons],
        }


@dataclass(frozen=True)
class CashDecision:
    """Cash allowed (the traveller chooses) or bank transfer only, and the figures it was decided on."""

    allowed: bool
    amount: Decimal
    cap: Decimal
    basis: str
    scope: str
    rules_date: datetime.date

    def to_dict(self) -> dict[str, Any]:
        return {
            "cash_allowed": self.allowed,
            "methods": ["cash", "bank_transfer"] if self.allowed else ["bank_transfer"],
            "amount": money(self.amount),
            "cap": money(self.cap),
            "basis": self.basis,
            "scope": self.scope,
            "rules_date": self.rules_date.isoformat(),
        }


@dataclass(frozen=True)
class InstantResult:
    """即买即退 for one form: may it be paid, how much, and — after departure — release or recover."""

    status: str
    reasons: tuple[Reason, ...]
    promised_departure_date: datetime.date
    promised_port: str
    earliest_promise: datetime.date
    latest_promise: datetime.date
    advance: Decimal
    preauthorisation: Decimal
    outcome: str | None
    outcome_reasons: tuple[Reason, ...]
    recovery_amount: Decimal | None
    recovery_latest_date: datetime.date | None
    ordinary_refund_possible: bool | None
    notes: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "reasons": [reason.to_dict() for reason in self.reasons],
            "promised_departure_date": self.promised_departure_date.isoformat(),
            "promised_port": self.promised_port,
            "allowed_promise": {
                "from": self.earliest_promise.isoformat(),
                "until": self.latest_promise.isoformat(),
            },
            "advance": money(self.advance),
            "preauthorisation": money(self.preauthorisation),
            "outcome": self.outcome,
            "outcome_reasons": [reason.to_dict() for reason in self.outcome_reasons],
            "recovery": (
                None
                if self.recovery_amount is None or self.recovery_latest_date is None
                else {
                    "amount": money(self.recovery_amount),
                    "latest_date": self.recovery_latest_date.isoformat(),
                }
            ),
            "ordinary_refund_possible": self.ordinary_refund_possible,
            "notes": [reason.to_dict() for reason in self.notes],
        }


@dataclass(frozen=True)
class FormResult:
    """One refund form: a traveller, a store, a day."""

    store: Store
    date: datetime.date
    period: Period | None
    status: str
    reasons: tuple[Reason, ...]
    notes: tuple[Reason, ...]
    lines: tuple[LineResult, ...]
    threshold: Decimal | None
    goods_amount: Decimal
    fee_percent: Decimal
    refund: Decimal
    agency_fee: Decimal
    net_refund: Decimal
    cash: CashDecision | None
    departure_date: datetime.date | None
    latest_departure_date: datetime.date | None
    days_since_entry: int | None
    days_to_departure: int | None
    customs: str | None
    instant: InstantResult | None

    @property
    def issuable(self) -> bool:
        """The store may issue the form (no rule refuses it at the counter)."""
        return not any(reason.stage == ISSUE for reason in self.reasons)

    def to_dict(self) -> dict[str, Any]:
        return {
            "store": self.store.id,
            "store_name": self.store.name,
            "date": self.date.isoformat(),
            "rules_period": None if self.period is None else self.period.id,
            "status": self.status,
            "issuable": self.issuable,
            "reasons": [reason.to_dict() for reason in self.reasons],
            "notes": [reason.to_dict() for reason in self.notes],
            "threshold": None if self.threshold is None else money(self.threshold),
            "goods_amount": money(self.goods_amount),
            "agency_fee_rate": plain(self.fee_percent),
            "refund": money(self.refund),
            "agency_fee": money(self.agency_fee),
            "net_refund": money(self.net_refund),
            "cash": None if self.cash is None else self.cash.to_dict(),
            "departure_date": None if self.departure_date is None else self.departure_date.isoformat(),
            "latest_departure_date": (
                None if self.latest_departure_date is None else self.latest_departure_date.isoformat()
            ),
            "days_since_entry": self.days_since_entry,
            "days_to_departure": self.days_to_departure,
            "customs": self.customs,
            "instant": None if self.instant is None else self.instant.to_dict(),
            "lines": [line.to_dict() for line in self.lines],
        }


@dataclass(frozen=True)
class Evaluation:
    """The whole case: the traveller's own refusals, every form, the totals."""

    case_id: str
    rules: Rules
    parameters: Parameters
    traveller_reasons: tuple[Reason, ...]
    forms: tuple[FormResult, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def refund(self) -> Decimal:
        return total([form.refund for form in self.forms])

    @property
    def agency_fee(self) -> Decimal:
        return total([form.agency_fee for form in self.forms])

    @property
    def net_refund(self) -> Decimal:
        return total([form.net_refund for form in self.forms])

    def totals(self) -> dict[str, Any]:
        instant = [form.instant for form in self.forms if form.instant is not None]
        return {
            "forms": len(self.forms),
            "eligible": sum(form.status == ELIGIBLE for form in self.forms),
            "pending_departure": sum(form.status == PENDING for form in self.forms),
            "refused": sum(form.status == REFUSED for form in self.forms),
            "goods_amount": money(
                total([form.goods_amount for form in self.forms if form.status != REFUSED])
            ),
            "refund": money(self.refund),
            "agency_fee": money(self.agency_fee),
            "net_refund": money(self.net_refund),
            "instant_advances": money(
                total([item.advance for item in instant if item.status == "available"])
            ),
            "to_recover": money(total([item.recovery_amount or ZERO for item in instant])),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "ok",
            "case_id": self.case_id,
            "rules": {
                "id": self.rules.id,
                "last_reviewed": None
                if self.rules.last_reviewed is None
                else self.rules.last_reviewed.isoformat(),
            },
            "parameters": self.parameters.to_dict(),
            "rounding": f"each line's refund and fee rounded to 0.01 yuan ({self.parameters.rounding}); totals are sums of lines",
            "traveller": {"reasons": [reason.to_dict() for reason in self.traveller_reasons]},
            "forms": [form.to_dict() for form in self.forms],
            "totals": self.totals(),
            "warnings": list(self.warnings),
        }


class _Judge:
    """Evaluates one case; holds the rules, the resolved parameters and the case while it works."""

    def __init__(self, case: Case, rules: Rules, as_of: datetime.date | None) -> None:
        self.case = case
        self.rules = rules
        self.parameters = rules.parameters.with_overrides(case.parameters)
        self.as_of = as_of or case.as_of
        self.warnings: list[str] = []

    # -- building blocks ---------------------------------------------------------------------

    def reason(self, rule: str, stage: str, certainty: str | None = None, **figures: object) -> Reason:
        text = self.rules.texts[rule]
        values = {name: self._figure(value) for name, value in figures.items()}
        missing = RULE_FIGURES[rule] - values.keys()
        assert not missing, f"{rule} lacks figures {missing}"
        return Reason(
            rule=rule,
            stage=stage,
            message_zh=text.message_zh.format_map(values),
            message_en=text.message_en.format_map(values),
            basis=text.basis,
            certainty=certainty or text.certainty,
            source=text.source,
            figures=values,
        )

    @staticmethod
    def _figure(value: object) -> str:
        if isinstance(value, Decimal):
            return money(value)
        if isinstance(value, datetime.date):
            return value.isoformat()
        return str(value)

    def days(self, start: datetime.date, end: datetime.date) -> int:
        """Days from ``start`` to ``end``: the difference, or counting ``start`` as day 1 (parameter)."""
        difference = (end - start).days
        return difference + 1 if self.parameters.day_counting == "inclusive" else difference

    def last_day(self, start: datetime.date, limit: int) -> datetime.date:
        """The last day ``end`` with ``days(start, end) <= limit``."""
        offset = limit - 1 if self.parameters.day_counting == "inclusive" else limit
        return start + datetime.timedelta(days=offset)

    def fee_percent(self, region: Region) -> Decimal | None:
        if self.parameters.agency_fee_percent is not None:
            return self.parameters.agency_fee_percent
        return region.agency_fee_percent.value

    # -- the traveller ------------------------------------------------------------------------

    def traveller_reasons(self) -> list[Reason]:
        traveller = self.case.traveller
        reasons = []
        if traveller.document_type == "none":
            reasons.append(self.reason("T-ID", ISSUE, document_type=traveller.document_type))
        zh, en = CATEGORY_LABELS[traveller.category]
        if traveller.category == "mainland_resident":
            reasons.append(
                self.reason("T-WHO", ISSUE, category=traveller.category, category_zh=zh, category_en=en)
            )
        if traveller.category == "overseas_chinese" and not self.parameters.overseas_chinese_eligible:
            reasons.append(self.reason("T-HUAQIAO", ISSUE))
        if traveller.last_entry_date is None:
            reasons.append(self.reason("T-ENTRY", ISSUE))
        return reasons

    # -- one form -----------------------------------------------------------------------------

    def line_reasons(
        self, line: Line, purchase: Purchase, period: Period
    ) -> tuple[list[Reason], list[Reason]]:
        """Refusals and notes for one line under ``period``."""
        refusals: list[Reason] = []
        notes: list[Reason] = []
        if purchase.invoice_kind not in period.invoice_kinds.value:
            kind_zh, kind_en = INVOICE_KINDS[purchase.invoice_kind]
            accepted = period.invoice_kinds.value
            refusals.append(
                self.reason(
                    "P-INVOICE",
                    ISSUE,
                    invoice_kind=purchase.invoice_kind,
                    invoice_kind_zh=kind_zh,
                    invoice_kind_en=kind_en,
                    date=purchase.date,
                    accepted=", ".join(accepted),
                    accepted_zh="、".join(INVOICE_KINDS[kind][0] for kind in accepted),
                    accepted_en=", ".join(INVOICE_KINDS[kind][1] for kind in accepted),
                )
            )
        if line.kind == "service":
            refusals.append(self.reason("L-SERVICE", ISSUE, description=line.label))
            return refusals, notes
        if not line.unused:
            refusals.append(self.reason("L-USED", ISSUE, description=line.label))
        category = self.rules.categories[line.category]
        if category.excluded:
            figures = {
                "description": line.label,
                "category": category.code,
                "category_zh": category.name_zh,
                "category_en": category.name_en,
                "basis": category.basis,
            }
            if category.certainty == "U" and not self.parameters.apply_unverified_exclusions:
                notes.append(self.reason("L-EXCLUDED-U", NOTE, **figures))
            else:
                refusals.append(self.reason("L-EXCLUDED", ISSUE, certainty=category.certainty, **figures))
        if line.vat_rate is None:
            refusals.append(self.reason("L-EXEMPT", ISSUE, description=line.label))
        elif line.vat_rate not in period.refund_rates.value:
            known = ", ".join(f"{plain(rate)}%" for rate in period.refund_rates.value)
            refusals.append(
                self.reason(
                    "L-RATE", ISSUE, description=line.label, vat_rate=plain(line.vat_rate), known_rates=known
                )
            )
        return refusals, notes

    def form(
        self, key: FormKey, purchases: Sequence[Purchase], traveller_reasons: Sequence[Reason]
    ) -> FormResult:
        store_id, day = key
        store = self.case.stores[store_id]
        region = self.rules.regions[store.region]
        traveller = self.case.traveller
        entry = traveller.last_entry_date
        stay_start = traveller.stay_start
        lines = [line for purchase in purchases for line in purchase.lines]
        reasons: list[Reason] = list(traveller_reasons)
        notes: list[Reason] = []
        period = self.rules.period_for(day)
        fee_percent = self.fee_percent(region) or ZERO
        verification = self.case.verifications.get(key)
        departure = self.case.departure.date if self.case.departure is not None else None
        if departure is None and verification is not None and verification.verified_on is not None:
            departure = verification.verified_on
        if period is None:
            reasons.append(self.reason("P-PERIOD", ISSUE, date=day, first=self.rules.first_day))
            return FormResult(
                store=store,
                date=day,
                period=None,
                status=REFUSED,
                reasons=tuple(reasons),
                notes=(),
                lines=tuple(LineResult(line, False, None, ZERO, ZERO, ZERO, ()) for line in lines),
                threshold=None,
                goods_amount=ZERO,
                fee_percent=fee_percent,
                refund=ZERO,
                agency_fee=ZERO,
                net_refund=ZERO,
                cash=None,
                departure_date=departure,
                latest_departure_date=None,
                days_since_entry=None,
                days_to_departure=None,
                customs=None if verification is None else verification.result,
                instant=None if key not in self.case.instant else self.instant_refused(key, day),
            )

        # The traveller and the date of purchase (Art.10 (2)–(4); the 183-day definition).
        days_since_entry = None if entry is None else self.days(entry, day)
        if entry is not None and day < entry:
            reasons.append(self.reason("P-BEFORE-ENTRY", ISSUE, purchase_date=day, last_entry_date=entry))
        elif (
            entry is not None
            and days_since_entry is not None
            and days_since_entry > period.max_days_after_entry.value
        ):
            reasons.append(
                self.reason(
                    "T-183",
                    ISSUE,
                    purchase_date=day,
                    last_entry_date=entry,
                    days=days_since_entry,
                    limit=period.max_days_after_entry.value,
                )
            )
        if traveller.residence_since is not None and traveller.residence_since != entry:
            resided = self.days(traveller.residence_since, day)
            if resided > period.max_days_residence.value:
                reasons.append(self.resident(traveller.residence_since, day, resided, period, ISSUE))

        # The store (filing, credit rating, general taxpayer).
        if not store.filed or (store.filed_on is not None and store.filed_on > day):
            filed_on = "—" if store.filed_on is None else store.filed_on
            reasons.append(self.reason("S-FILED", ISSUE, store=store.id, date=day, filed_on=filed_on))
        if store.credit_rating not in period.credit_ratings.value:
            reasons.append(
                self.reason(
                    "S-CREDIT",
                    ISSUE,
                    store=store.id,
                    rating=store.credit_rating,
                    accepted="/".join(period.credit_ratings.value),
                    date=day,
                )
            )
        if not store.general_taxpayer:
            reasons.append(self.reason("S-TAXPAYER", ISSUE, store=store.id))

        # The lines, then the threshold on what is refundable.
        judged: list[tuple[Line, list[Reason], list[Reason]]] = []
        for purchase in purchases:
            for line in purchase.lines:
                refusals, line_notes = self.line_reasons(line, purchase, period)
                judged.append((line, refusals, line_notes))
        goods_amount = total([line.amount for line, refusals, _ in judged if not refusals])
        if goods_amount < period.min_purchase.value:
            reasons.append(
                self.reason("P-THRESHOLD", ISSUE, amount=goods_amount, threshold=period.min_purchase.value)
            )

        # The departure (90 days; resident at most 183 days before departure; customs).
        days_to_departure = None if departure is None else self.days(day, departure)
        if departure is not None and days_to_departure is not None:
            if departure < day:
                reasons.append(self.reason("D-ORDER", DEPARTURE, departure_date=departure, purchase_date=day))
            elif days_to_departure > period.max_days_to_departure.value:
                reasons.append(
                    self.reason(
                        "D-90",
                        DEPARTURE,
                        departure_date=departure,
                        purchase_date=day,
                        days=days_to_departure,
                        limit=period.max_days_to_departure.value,
                    )
                )
            if stay_start is not None and departure >= stay_start:
                resided = self.days(stay_start, departure)
                if resided > period.max_days_residence.value:
                    reasons.append(self.resident(stay_start, departure, resided, period, DEPARTURE))
        if verification is not None and verification.result == "not_verified":
            reasons.append(self.reason("D-CUSTOMS", DEPARTURE, result=verification.result))
        latest = self.last_day(day, period.max_days_to_departure.value)
        if stay_start is not None:
            latest = min(latest, self.last_day(stay_start, period.max_days_residence.value))

        issuable = not any(reason.stage == ISSUE for reason in reasons)
        refused = any(reason.refuses for reason in reasons)
        status = REFUSED if refused else (ELIGIBLE if departure is not None else PENDING)
        if status == PENDING:
            notes.append(self.reason("D-LATEST", NOTE, latest=latest))

        # Amounts: computed whenever the form can be issued (an instant advance rests on them), and
        # reported on the form and its lines only when the refund is not refused.
        rounding = self.parameters.rounding
        results: list[LineResult] = []
        issued: list[tuple[Decimal, Decimal]] = []
        for line, refusals, line_notes in judged:
            rate = None if line.vat_rate is None else period.refund_rates.value.get(line.vat_rate)
            refundable = not refusals and issuable
            if refundable and rate is not None:
                refund = fraction_of(line.amount, rate, rounding)
                fee = fraction_of(line.amount, fee_percent, rounding)
                issued.append((refund, fee))
                if not refused:
                    results.append(LineResult(line, True, rate, refund, fee, refund - fee, tuple(line_notes)))
                    continue
            results.append(LineResult(line, False, rate, ZERO, ZERO, ZERO, tuple(refusals + line_notes)))
        issued_refund = total([refund for refund, _ in issued])
        issued_fee = total([fee for _, fee in issued])
        refund_total = total([item.refund for item in results])
        fee_total = total([item.fee for item in results])

        request = self.case.instant.get(key)
        instant = None
        if request is not None:
            instant = self.instant(
                request, store, region, period, reasons, goods_amount, issued_refund, issued_fee, verification
            )
        return FormResult(
            store=store,
            date=day,
            period=period,
            status=status,
            reasons=tuple(reasons),
            notes=tuple(notes),
            lines=tuple(results),
            threshold=period.min_purchase.value,
            goods_amount=goods_amount,
            fee_percent=fee_percent,
            refund=refund_total,
            agency_fee=fee_total,
            net_refund=refund_total - fee_total,
            cash=None,
            departure_date=departure,
            latest_departure_date=latest,
            days_since_entry=days_since_entry,
            days_to_departure=days_to_departure,
            customs=None if verification is None else verification.result,
            instant=instant,
        )

    def resident(
        self, since: datetime.date, on: datetime.date, days: int, period: Period, stage: str
    ) -> Reason:
        event_zh, event_en = ("购物日", "purchase date") if stage == ISSUE else ("离境日", "departure date")
        return self.reason(
            "T-RESIDENT",
            stage,
            event_zh=event_zh,
            event_en=event_en,
            on=on,
            since=since,
            days=days,
            limit=period.max_days_residence.value,
        )

    # -- 即买即退 -------------------------------------------------------------------------------

    def instant_refused(self, key: FormKey, day: datetime.date) -> InstantResult:
        request = self.case.instant[key]
        return InstantResult(
            "refused",
            (self.reason("I-FORM", INSTANT),),
            request.promised_departure_date,
            request.promised_port,
            day,
            day,
            ZERO,
            ZERO,
            None,
            (),
            None,
            None,
            None,
            (),
        )

    def instant(
        self,
        request: InstantRequest,
        store: Store,
        region: Region,
        period: Period,
        form_reasons: Sequence[Reason],
        goods_amount: Decimal,
        refund: Decimal,
        fee: Decimal,
        verification: Verification | None,
    ) -> InstantResult:
        day = request.date
        reasons: list[Reason] = []
        notes: list[Reason] = []
        stay_start = self.case.traveller.stay_start
        if any(reason.stage == ISSUE for reason in form_reasons):
            reasons.append(self.reason("I-FORM", INSTANT))
        if not store.instant_refund:
            reasons.append(self.reason("I-STORE", INSTANT, store=store.id))
        if not request.consent_signed:
            reasons.append(self.reason("I-CONSENT", INSTANT))
        if not request.card_preauthorised:
            reasons.append(self.reason("I-CARD", INSTANT))
        # The promise is bounded by the region's period (where known), the 90 days and the 183 days.
        limit = period.max_days_to_departure.value
        latest = self.last_day(day, limit)
        promised_days = self.parameters.instant_promised_departure_days
        if promised_days is None:
            promised_days = region.promised_departure_days.value
        if promised_days is None:
            notes.append(
                self.reason(
                    "I-GAP",
                    NOTE,
                    region=region.code,
                    region_zh=region.name_zh,
                    region_en=region.name_en,
                    limit=limit,
                )
            )
        else:
            latest = min(latest, self.last_day(day, promised_days))
        if stay_start is not None:
            latest = min(latest, self.last_day(stay_start, period.max_days_residence.value))
        promised = request.promised_departure_date
        if not day <= promised <= latest:
            reasons.append(self.reason("I-PROMISE", INSTANT, promised=promised, earliest=day, latest=latest))
        cap = self.parameters.instant_max_purchase_per_store_day
        if cap is None:
            cap = region.max_purchase_per_store_day.value
        if cap is not None and goods_amount > cap:
            reasons.append(self.reason("I-CAP", INSTANT, amount=goods_amount, cap=cap))

        net = refund - fee
        advance = net if self.rules.advance_basis.value == "net_refund" else refund
        preauthorisation = advance if self.parameters.preauthorisation_basis == "advance" else refund
        status = "refused" if reasons else "available"
        outcome: str | None = None
        outcome_reasons: list[Reason] = []
        recovery_amount: Decimal | None = None
        recovery_date: datetime.date | None = None
        fallback: bool | None = None
        if status == "available":
            if verification is not None and verification.result == "not_verified":
                outcome_reasons.append(self.reason("I-FAILED", OUTCOME, amount=advance))
            elif verification is not None and verification.verified_on is not None:
                if verification.verified_on > promised:
                    outcome_reasons.append(
                        self.reason(
                            "I-LATE",
                            OUTCOME,
                            verified_on=verification.verified_on,
                            promised=promised,
                            amount=advance,
                        )
                    )
                if (
                    request.promised_port
                    and verification.port
                    and not _same_port(request.promised_port, verification.port)
                ):
                    outcome_reasons.append(
                        self.reason(
                            "I-PORT",
                            OUTCOME,
                            port=verification.port,
                            promised_port=request.promised_port,
                            amount=advance,
                        )
                    )
                if any(reason.stage == DEPARTURE for reason in form_reasons):
                    outcome_reasons.append(self.reason("I-POLICY", OUTCOME, amount=advance))
            elif self.as_of is not None and self.as_of > promised:
                outcome_reasons.append(
                    self.reason("I-MISSING", OUTCOME, promised=promised, as_of=self.as_of, amount=advance)
                )
            if outcome_reasons:
                outcome = "recover"
                recovery_amount = advance
                recovery_date, outside = self.rules.calendar.add_working_days(
                    promised, self.rules.recovery_working_days.value
                )
                if outside:
                    calendar = self.rules.calendar
                    notes.append(
                        self.reason(
                            "K-CALENDAR",
                            NOTE,
                            date=outside[0],
                            covers_from=calendar.covers_from,
                            covers_until=calendar.covers_until,
                        )
                    )
                # Not yet verified: whether the ordinary refund remains depends on a departure to come.
                if verification is not None:
                    verified = verification.result == "verified"
                    fallback = verified and not any(reason.refuses for reason in form_reasons)
                if fallback:
                    notes.append(self.reason("I-FALLBACK", NOTE))
            elif verification is not None:
                outcome = "release"
            else:
                outcome = "awaiting_verification"
        return InstantResult(
            status=status,
            reasons=tuple(reasons),
            promised_departure_date=promised,
            promised_port=request.promised_port,
            earliest_promise=day,
            latest_promise=latest,
            advance=advance if status == "available" else ZERO,
            preauthorisation=preauthorisation if status == "available" else ZERO,
            outcome=outcome,
            outcome_reasons=tuple(outcome_reasons),
            recovery_amount=recovery_amount,
            recovery_latest_date=recovery_date,
            ordinary_refund_possible=fallback,
            notes=tuple(notes),
        )

    # -- cash or transfer ---------------------------------------------------------------------

    def cash_rules_date(self, form: FormResult) -> datetime.date:
        """The date whose cap applies: the purchase date, or the payment date (parameter ``cash_cap_date``)."""
        if (
            self.parameters.cash_cap_date == "payment"
            and form.instant is None
            and form.departure_date is not None
        ):
            return form.departure_date
        return form.date

    def basis_amount(self, form: FormResult) -> Decimal:
        return form.net_refund if self.parameters.cash_cap_basis == "net" else form.refund

    def with_cash(self, forms: list[FormResult]) -> list[FormResult]:
        """Decide cash or transfer for each refunded form; ``departure`` scope sums the ordinary forms."""
        basis = self.parameters.cash_cap_basis
        scope = self.parameters.cash_cap_scope
        decided: dict[int, CashDecision] = {}
        pooled = [
            number
            for number, form in enumerate(forms)
            if form.status != REFUSED and (scope == "form" or form.instant is not None)
        ]
        for number in pooled:
            form = forms[number]
            cap_date = self.cash_rules_date(form)
            period = self.rules.period_for(cap_date) or form.period
            assert period is not None
            amount = self.basis_amount(form)
            decided[number] = CashDecision(
                amount <= period.cash_cap.value, amount, period.cash_cap.value, basis, "form", cap_date
            )
        if scope == "departure":
            ordinary = [
                number for number, form in enumerate(forms) if form.status != REFUSED and form.instant is None
            ]
            if ordinary:
                departure = self.case.departure.date if self.case.departure is not None else None
                cap_date = departure or max(forms[number].date for number in ordinary)
                period = self.rules.period_for(cap_date)
                assert period is not None
                amount = total([self.basis_amount(forms[number]) for number in ordinary])
                for number in ordinary:
                    decided[number] = CashDecision(
                        amount <= period.cash_cap.value,
                        amount,
                        period.cash_cap.value,
                        basis,
                        "departure",
                        cap_date,
                    )
        result = []
        for number, form in enumerate(forms):
            cash = decided.get(number)
            notes = list(form.notes)
            if cash is not None and not cash.allowed:
                zh, en = BASIS_LABELS[basis]
                notes.append(
                    self.reason(
                        "C-CASH",
                        NOTE,
                        amount=cash.amount,
                        cap=cash.cap,
                        basis=basis,
                        basis_zh=zh,
                        basis_en=en,
                    )
                )
            result.append(_replace_form(form, cash, tuple(notes)))
        return result

    # -- the whole case -----------------------------------------------------------------------

    def check_fees(self) -> None:
        """Every store that has purchases needs a fee rate below every refund rate it meets."""
        problems = []
        used = {purchase.store for purchase in self.case.purchases}
        for index, store in enumerate(self.case.stores.values()):
            if store.id not in used:
                continue
            region = self.rules.regions[store.region]
            fee = self.fee_percent(region)
            if fee is None:
                problems.append(
                    Problem(
                        f"/stores/{index}/region",
                        f"the agency fee of region {region.code} is not known (GAP in the reference); "
                        "set parameters.agency_fee_percent",
                        "no_fee_rate",
                    )
                )
                continue
            lowest = min(rate for period in self.rules.periods for rate in period.refund_rates.value.values())
            if fee >= lowest:
                problems.append(
                    Problem(
                        "/parameters/agency_fee_percent",
                        f"a fee of {plain(fee)} % would take the whole refund at the {plain(lowest)} % rate",
                        "fee_above_refund",
                    )
                )
        if problems:
            raise CaseRejectedError(problems)

    def run(self) -> Evaluation:
        self.check_fees()
        traveller_reasons = self.traveller_reasons()
        grouped: dict[FormKey, list[Purchase]] = {}
        for purchase in self.case.purchases:
            grouped.setdefault((purchase.store, purchase.date), []).append(purchase)
        keys = sorted(grouped, key=lambda key: (key[1], key[0]))
        forms = [self.form(key, grouped[key], traveller_reasons) for key in keys]
        forms = self.with_cash(forms)
        departure = self.case.departure
        if departure is not None:
            for verification in self.case.verifications.values():
                if verification.verified_on is not None and verification.verified_on != departure.date:
                    self.warnings.append(
                        f"form {verification.store} {verification.date}: customs verified on {verification.verified_on}, "
                        f"the departure is given as {departure.date}"
                    )
        if self.case.traveller.document_type == "other":
            self.warnings.append("document type 'other': check that it shows the last entry date")
        return Evaluation(
            case_id=self.case.case_id,
            rules=self.rules,
            parameters=self.parameters,
            traveller_reasons=tuple(traveller_reasons),
            forms=tuple(forms),
            warnings=tuple(self.warnings),
        )


def _same_port(first: str, second: str) -> bool:
    return first.strip().casefold() == second.strip().casefold()


def _replace_form(form: FormResult, cash: CashDecision | None, notes: tuple[Reason, ...]) -> FormResult:
    return replace(form, cash=cash, notes=notes)


def evaluate_case(
    case: Case, rules: Rules | None = None, *, as_of: datetime.date | None = None
) -> Evaluation:
    """Evaluate a parsed :class:`Case`; ``as_of`` (else the case's) decides overdue instant refunds."""
    return _Judge(case, rules or builtin_rules(), as_of).run()


def evaluate(
    case: str | Mapping[str, Any] | Case, rules: Rules | None = None, *, as_of: datetime.date | None = None
) -> Evaluation:
    """Evaluate a case given as JSON text, a JSON-like mapping (dates may be ``date``) or a :class:`Case`.

    Raises :class:`CaseRejectedError` (``.problems``) for input it refuses to evaluate.
    """
    rules = rules or builtin_rules()
    if isinstance(case, Case):
        parsed = case
    elif isinstance(case, str):
        parsed = parse_case(load_case_json(case), rules)
    else:
        parsed = parse_case(case, rules)
    return evaluate_case(parsed, rules, as_of=as_of)
