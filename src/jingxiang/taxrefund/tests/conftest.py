"""Builders shared by the refund engine tests: a traveller, stores, lines and purchases, and lookups."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import yaml

from jingxiang.taxrefund import Evaluation, FormResult, evaluate
from jingxiang.taxrefund.loading import parse_yaml
from jingxiang.taxrefund.rules import builtin_rules_text

D = Decimal
ENTRY = "2025-06-01"
DAY = "2025-06-05"


def line(amount: object = "1130.00", vat_rate: object = 13, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "amount": amount,
        "vat_rate": vat_rate,
        "kind": "goods",
        "unused": True,
        "category": "spectacles",
    }
    data.update(fields)
    if data["kind"] == "service" and "category" not in fields:
        data.pop("category")
    return data


def service(amount: object = "100.00", **fields: Any) -> dict[str, Any]:
    return line(amount, 6, kind="service", description="验光服务", **fields)


def purchase(date: str = DAY, *lines: dict[str, Any], store: str = "S1", **fields: Any) -> dict[str, Any]:
    return {"store": store, "date": date, "lines": list(lines) or [line()], **fields}


def store(store_id: str = "S1", **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": store_id,
        "filed": True,
        "credit_rating": "A",
        "region": "zhejiang",
        "instant_refund": True,
    }
    data.update(fields)
    return data


def case(
    *purchases: dict[str, Any], stores: list[dict[str, Any]] | None = None, **fields: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "traveller": {
            "category": "foreigner",
            "document": {"type": "passport", "country": "KOR"},
            "last_entry_date": ENTRY,
        },
        "stores": stores or [store(), store("S2")],
        "purchases": list(purchases) or [purchase()],
    }
    data.update(fields)
    return data


def traveller(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "category": "foreigner",
        "document": {"type": "passport"},
        "last_entry_date": ENTRY,
    }
    data.update(fields)
    return data


def instant(
    date: str = DAY, promised: str = "2025-06-20", store_id: str = "S1", **fields: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "store": store_id,
        "date": date,
        "promised_departure_date": promised,
        "consent_signed": True,
        "card_preauthorised": True,
    }
    data.update(fields)
    return data


def verification(
    verified_on: str | None = "2025-06-18", date: str = DAY, store_id: str = "S1", **fields: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {"store": store_id, "date": date, "result": "verified"}
    if verified_on is not None:
        data["verified_on"] = verified_on
    data.update(fields)
    return data


def run(data: dict[str, Any], **options: Any) -> Evaluation:
    return evaluate(data, **options)


def only_form(evaluation: Evaluation) -> FormResult:
    assert len(evaluation.forms) == 1, [(form.store.id, form.date) for form in evaluation.forms]
    return evaluation.forms[0]


def form_of(evaluation: Evaluation, store_id: str, date: str) -> FormResult:
    for form in evaluation.forms:
        if form.store.id == store_id and form.date.isoformat() == date:
            return form
    raise AssertionError(f"no form {store_id} {date}")


def rule_ids(form: FormResult) -> set[str]:
    """Every rule id on a form: its own, its lines', its notes and its instant refund's."""
    found = {reason.rule for reason in form.reasons + form.notes}
    for result in form.lines:
        found |= {reason.rule for reason in result.reasons}
    if form.instant is not None:
        found |= {
            reason.rule for reason in form.instant.reasons + form.instant.outcome_reasons + form.instant.notes
        }
    return found


def refusals(form: FormResult) -> set[str]:
    return {reason.rule for reason in form.reasons}


def rules_data() -> dict[str, Any]:
    data, problems = parse_yaml(builtin_rules_text())
    assert not problems
    return copy.deepcopy(data)


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


_Dumper.add_representer(
    Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", str(value))
)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
