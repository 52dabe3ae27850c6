"""Reading a case (JSON text or a Python mapping) into typed dataclasses, refusing bad input whole.

Every problem is collected with its JSON path, so the counter or the agency fixes the input in one
pass, and nothing is evaluated when anything is wrong: a refund computed from half a basket would be
a wrong refund. Huge or odd numbers, NaN, duplicate keys and deeply nested JSON are refused with a
message, never a traceback.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jingxiang import strictjson
from jingxiang.taxrefund.exact import (
    MAX_LINE_AMOUNT,
    NotAnAmountError,
    decimal_places,
    parse_date,
    plain,
    shown,
    to_decimal,
    to_percent,
)
from jingxiang.taxrefund.loading import json_path, schema_problems
from jingxiang.taxrefund.model import CaseRejectedError, Problem
from jingxiang.taxrefund.parameters import parse_parameters
from jingxiang.taxrefund.rules import Rules

MAX_TEXT_BYTES = 5_000_000
MAX_LINES = 10_000
# The case format is at most six levels deep; anything much deeper is not a case.
MAX_DEPTH = 12
EXEMPT = "exempt"

FormKey = tuple[str, datetime.date]


@dataclass(frozen=True)
class Traveller:
    category: str
    document_type: str
    country: str
    last_entry_date: datetime.date | None
    residence_since: datetime.date | None

    @property
    def stay_start(self) -> datetime.date | None:
        """The first day of the continuous stay: the given start, else the last entry."""
        return self.residence_since or self.last_entry_date


@dataclass(frozen=True)
class Store:
    id: str
    name: str
    filed: bool
    filed_on: datetime.date | None
    credit_rating: str
    region: str
    general_taxpayer: bool
    instant_refund: bool


@dataclass(frozen=True)
class Line:
    """One invoice line; ``vat_rate`` is a percentage, ``None`` for VAT-exempt goods."""

    purchase: int
    index: int
    id: str
    description: str
    amount: Decimal
    vat_rate: Decimal | None
    kind: str
    unused: bool
    category: str

    @property
    def label(self) -> str:
        """How messages name the line: its description, else its id, else its place (#purchase.line)."""
        return self.description or self.id or f"#{self.purchase + 1}.{self.index + 1}"


@dataclass(frozen=True)
class Purchase:
    index: int
    store: str
    date: datetime.date
    invoice_number: str
    invoice_kind: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Departure:
    date: datetime.date
    port: str


@dataclass(frozen=True)
class InstantRequest:
    store: str
    date: datetime.date
    promised_departure_date: datetime.date
    promised_port: str
    consent_signed: bool
    card_preauthorised: bool


@dataclass(frozen=True)
class Verification:
    store: str
    date: datetime.date
    result: str
    verified_on: datetime.date | None
    port: str


@dataclass(frozen=True)
class Case:
    traveller: Traveller
    stores: Mapping[str, Store]
    purchases: tuple[Purchase, ...]
    departure: Departure | None = None
    instant: Mapping[FormKey, InstantRequest] = field(default_factory=dict)
    verifications: Mapping[FormKey, Verification] = field(default_factory=dict)
    parameters: Mapping[str, object] = field(default_factory=dict)
    case_id: str = ""
    as_of: datetime.date | None = None


def load_case_json(text: str) -> dict[str, Any]:
    """Parse case JSON with every number an exact ``Decimal``; any defect is a :class:`CaseRejectedError`.

    The engines' strict reader refuses NaN/Infinity, numbers beyond a double's range (at their field's
    path), a key given twice in one object (JSON would keep the last value silently: a doubled "amount"
    must not pass unseen) and nesting deeper than it allows.
    """
    if len(text) > MAX_TEXT_BYTES:
        raise CaseRejectedError([Problem("", f"the case is larger than {MAX_TEXT_BYTES} characters", "size")])
    try:
        data = strictjson.loads(text, exact=True, unique_keys=True)
    except strictjson.StrictJsonError as error:
        path = json_path(error.path or ())
        if error.kind == "depth":
            raise CaseRejectedError([Problem("", "the JSON is nested too deeply", "nesting")]) from None
        raise CaseRejectedError(
            [
                Problem(
                    path, f"malformed JSON at line {error.lineno} column {error.colno}: {error.msg}", "json"
                )
            ]
        ) from None
    except json.JSONDecodeError as error:
        raise CaseRejectedError(
            [Problem("", f"malformed JSON at line {error.lineno} column {error.colno}: {error.msg}", "json")]
        ) from None
    if not isinstance(data, dict):
        raise CaseRejectedError([Problem("", "a case must be a JSON object", "json")])
    return data


def _plain_data(value: Any, path: str, depth: int, problems: list[Problem]) -> Any:
    """Turn a Python caller's mapping into JSON-like data: dates to ISO text, floats to exact decimals."""
    if depth > MAX_DEPTH:
        problems.append(Problem(path, "nested too deeply for a case", "nesting"))
        return None
    if isinstance(value, Mapping):
        result = {}
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(Problem(path, f"keys must be text, got {shown(key)}", "type"))
                continue
            result[key] = _plain_data(item, f"{path}/{key}", depth + 1, problems)
        return result
    if isinstance(value, list | tuple):
        return [_plain_data(item, f"{path}/{index}", depth + 1, problems) for index, item in enumerate(value)]
    if isinstance(value, datetime.datetime):
        problems.append(Problem(path, "expected a date (YYYY-MM-DD), got a date and time", "date"))
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        try:
            return to_decimal(value)
        except NotAnAmountError as error:
            problems.append(Problem(path, str(error), "number"))
            return None
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


class _Reader:
    """Semantic checks after the schema: dates, amounts, references between the parts of a case."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str, code: str) -> None:
        self.problems.append(Problem(path, message, code))

    def date(self, value: Any, path: str) -> datetime.date | None:
        if value is None:
            return None
        try:
            return parse_date(value)
        except ValueError as error:
            self.problem(path, str(error), "date")
            return None

    def amount(self, value: Any, path: str) -> Decimal | None:
        try:
            number = to_decimal(value)
        except NotAnAmountError as error:
            self.problem(path, str(error), "number")
            return None
        if number <= 0:
            self.problem(
                path,
                f"an amount must be above 0, got {shown(number)} (a return voids the form instead)",
                "range",
            )
        elif number > MAX_LINE_AMOUNT:
            self.problem(
                path,
                f"an amount above {plain(MAX_LINE_AMOUNT)} yuan is refused as a typing error: {shown(number)}",
                "range",
            )
        elif decimal_places(number) > 2:
            self.problem(
                path, f"an amount in yuan has at most two decimals, got {shown(number)}", "precision"
            )
        else:
            return number
        return None

    def vat_rate(self, value: Any, path: str) -> tuple[bool, Decimal | None]:
        if isinstance(value, str) and value.strip().lower() in {EXEMPT, "免税"}:
            return True, None
        try:
            number = to_percent(value)
        except NotAnAmountError as error:
            self.problem(path, f'{error}, or "exempt"', "number")
            return False, None
        if 0 < number < 1:
            self.problem(path, f"write VAT rates in percent (13, not 0.13), got {shown(number)}", "percent")
        elif not 0 <= number < 100 or decimal_places(number) > 2:
            self.problem(
                path,
                f"a VAT rate is a percentage from 0 to below 100 with at most 2 decimals, got {shown(number)}",
                "range",
            )
        else:
            return True, number
        return False, None

    def traveller(self, raw: Mapping[str, Any]) -> Traveller:
        entry = self.date(raw["last_entry_date"], "/traveller/last_entry_date")
        since = self.date(raw.get("continuous_residence_since"), "/traveller/continuous_residence_since")
        if entry is not None and since is not None and since > entry:
            self.problem(
                "/traveller/continuous_residence_since",
                f"the stay cannot begin ({since}) after the last entry ({entry})",
                "order",
            )
        document = raw["document"]
        return Traveller(
            category=raw["category"],
            document_type=document["type"],
            country=document.get("country", ""),
            last_entry_date=entry,
            residence_since=since,
        )

    def stores(self, raw: Sequence[Mapping[str, Any]]) -> dict[str, Store]:
        stores: dict[str, Store] = {}
        for index, item in enumerate(raw):
            path = f"/stores/{index}"
            if item["id"] in stores:
                self.problem(f"{path}/id", f"store {shown(item['id'])} appears twice", "duplicate_store")
            if item["region"] not in self.rules.regions:
                known = ", ".join(self.rules.regions)
                self.problem(
                    f"{path}/region",
                    f"unknown region {shown(item['region'])}; known: {known}",
                    "unknown_region",
                )
            stores[item["id"]] = Store(
                id=item["id"],
                name=item.get("name", ""),
                filed=item["filed"],
                filed_on=self.date(item.get("filed_on"), f"{path}/filed_on"),
                credit_rating=item["credit_rating"],
                region=item["region"],
                general_taxpayer=item.get("general_taxpayer", True),
                instant_refund=item.get("instant_refund", False),
            )
        return stores

    def purchases(self, raw: Sequence[Mapping[str, Any]], stores: Mapping[str, Store]) -> list[Purchase]:
        purchases = []
        invoices: dict[tuple[str, str], int] = {}
        count = sum(len(item["lines"]) for item in raw)
        if count > MAX_LINES:
            self.problem("/purchases", f"{count} invoice lines; a case holds at most {MAX_LINES}", "size")
            return []
        for index, item in enumerate(raw):
            path = f"/purchases/{index}"
            if item["store"] not in stores:
                self.problem(f"{path}/store", f"no store {shown(item['store'])} in /stores", "unknown_store")
            day = self.date(item["date"], f"{path}/date")
            invoice = item.get("invoice", {})
            number = invoice.get("number", "")
            if number:
                earlier = invoices.get((item["store"], number))
                if earlier is not None:
                    self.problem(
                        f"{path}/invoice/number",
                        f"invoice {shown(number)} of store {shown(item['store'])} is already purchase {earlier}: counted twice",
                        "duplicate_invoice",
                    )
                invoices[(item["store"], number)] = index
            lines = []
            for line_index, line in enumerate(item["lines"]):
                line_path = f"{path}/lines/{line_index}"
                amount = self.amount(line["amount"], f"{line_path}/amount")
                rate_ok, rate = self.vat_rate(line["vat_rate"], f"{line_path}/vat_rate")
                category = line.get("category", "")
                if line["kind"] == "goods" and category not in self.rules.categories:
                    known = ", ".join(self.rules.categories)
                    self.problem(
                        f"{line_path}/category",
                        f"unknown category {shown(category)}; known: {known}",
                        "unknown_category",
                    )
                if amount is None or not rate_ok:
                    continue
                lines.append(
                    Line(
                        purchase=index,
                        index=line_index,
                        id=line.get("id", ""),
                        description=line.get("description", ""),
                        amount=amount,
                        vat_rate=rate,
                        kind=line["kind"],
                        unused=line["unused"],
                        category=category,
                    )
                )
            if day is not None:
                purchases.append(
                    Purchase(
                        index, item["store"], day, number, invoice.get("kind", "vat_ordinary"), tuple(lines)
                    )
                )
        return purchases

    def form_key(self, item: Mapping[str, Any], path: str, forms: set[FormKey]) -> FormKey | None:
        day = self.date(item["date"], f"{path}/date")
        if day is None:
            return None
        key = (item["store"], day)
        if key not in forms:
            self.problem(path, f"no purchase in store {shown(item['store'])} on {day}", "unknown_form")
            return None
        return key

    def instant(self, raw: Sequence[Mapping[str, Any]], forms: set[FormKey]) -> dict[FormKey, InstantRequest]:
        requests: dict[FormKey, InstantRequest] = {}
        for index, item in enumerate(raw):
            path = f"/instant_refunds/{index}"
            key = self.form_key(item, path, forms)
            promised = self.date(item["promised_departure_date"], f"{path}/promised_departure_date")
            if key is None or promised is None:
                continue
            if key in requests:
                self.problem(
                    path,
                    f"a second instant refund for store {shown(key[0])} on {key[1]}",
                    "duplicate_instant",
                )
            requests[key] = InstantRequest(
                key[0],
                key[1],
                promised,
                item.get("promised_port", ""),
                item["consent_signed"],
                item["card_preauthorised"],
            )
        return requests

    def verifications(
        self, raw: Sequence[Mapping[str, Any]], forms: set[FormKey]
    ) -> dict[FormKey, Verification]:
        found: dict[FormKey, Verification] = {}
        for index, item in enumerate(raw):
            path = f"/verifications/{index}"
            key = self.form_key(item, path, forms)
            verified_on = self.date(item.get("verified_on"), f"{path}/verified_on")
            if key is None:
                continue
            if item["result"] == "verified" and verified_on is None:
                self.problem(
                    f"{path}/verified_on", "a verified form needs the date of the verification", "required"
                )
            if verified_on is not None and verified_on < key[1]:
                self.problem(
                    f"{path}/verified_on",
                    f"customs cannot verify ({verified_on}) before the purchase ({key[1]})",
                    "order",
                )
            if key in found:
                self.problem(
                    path,
                    f"a second verification for store {shown(key[0])} on {key[1]}",
                    "duplicate_verification",
                )
            found[key] = Verification(key[0], key[1], item["result"], verified_on, item.get("port", ""))
        return found


def parse_case(data: Mapping[str, Any], rules: Rules) -> Case:
    """Validate a raw case (JSON-like data) against the schema and the rules; :class:`CaseRejectedError` lists every problem."""
    problems: list[Problem] = []
    plain_data = _plain_data(data, "", 0, problems)
    if problems:
        raise CaseRejectedError(problems)
    problems = schema_problems(plain_data, "case.schema.json")
    if problems:
        raise CaseRejectedError(problems)
    reader = _Reader(rules)
    traveller = reader.traveller(plain_data["traveller"])
    stores = reader.stores(plain_data["stores"])
    purchases = reader.purchases(plain_data["purchases"], stores)
    forms = {(purchase.store, purchase.date) for purchase in purchases}
    instant = reader.instant(plain_data.get("instant_refunds", []), forms)
    verifications = reader.verifications(plain_data.get("verifications", []), forms)
    departure = None
    if "departure" in plain_data:
        day = reader.date(plain_data["departure"]["date"], "/departure/date")
        if day is not None:
            departure = Departure(day, plain_data["departure"].get("port", ""))
            if traveller.last_entry_date is not None and day < traveller.last_entry_date:
                reader.problem(
                    "/departure/date",
                    f"the departure ({day}) is before the last entry ({traveller.last_entry_date})",
                    "order",
                )
    overrides, parameter_problems = parse_parameters(
        plain_data.get("parameters", {}), "/parameters", complete=False
    )
    reader.problems += parameter_problems
    as_of = reader.date(plain_data.get("as_of"), "/as_of")
    if reader.problems:
        raise CaseRejectedError(reader.problems)
    return Case(
        traveller=traveller,
        stores=stores,
        purchases=tuple(purchases),
        departure=departure,
        instant=instant,
        verifications=verifications,
        parameters=overrides,
        case_id=plain_data.get("case_id", ""),
        as_of=as_of,
    )
