"""Judging a case, and describing what each standard edition asks for (the item catalogue)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jingxiang.quality.case_input import load_case_json, parse_case
from jingxiang.quality.kinds import KIND_JUDGES, ItemContext, MissingValueError
from jingxiang.quality.model import (
    Case,
    ItemResult,
    ItemStatus,
    StandardRef,
    Verdict,
)
from jingxiang.quality.rules import RuleDocument, RuleItem, RuleRegistry
from jingxiang.quality.vocabulary import CANONICAL_UNIT, LENS_SIDES, PRODUCT_TYPE_LABELS, ProductType

_KEY_FIELDS = {
    "strongest_meridian": ("sphere", "cylinder"),
    "strongest_meridian_of_pair": ("sphere", "cylinder"),
    "horizontal_meridian_of_pair": ("sphere", "cylinder", "axis"),
    "abs_cylinder": ("cylinder",),
    "nominal_addition": ("addition",),
}


def judge(case: Case | Mapping[str, Any] | str, registry: RuleRegistry | None = None) -> Verdict:
    """Judge one case against the standard edition it names (or the one in force on its test date).

    ``case`` may be JSON text, a mapping as decoded from JSON, or an already parsed :class:`Case`.
    Raises :class:`~jingxiang.quality.model.CaseRejectedError` listing every input problem.
    """
    registry = registry or RuleRegistry.builtin()
    if isinstance(case, Case):
        selection = registry.select(case.product_type, case.standard, case.edition, case.test_date)
        parsed, document = case, selection.document
        selected_by, warnings = selection.selected_by, selection.warnings
    else:
        data = load_case_json(case) if isinstance(case, str) else case
        parsed, document, selected_by, warnings = parse_case(data, registry)
    return judge_parsed(parsed, document, selected_by, (*warnings, *parsed.input_warnings))


def judge_parsed(
    case: Case, document: RuleDocument, selected_by: str, warnings: tuple[str, ...] = ()
) -> Verdict:
    """Evaluate every item of ``document`` that applies to the case's product type."""
    results: list[ItemResult] = []
    for item in document.items:
        if case.product_type not in item.product_types:
            continue
        sides: tuple[str | None, ...] = LENS_SIDES[case.product_type] if item.per_lens else (None,)
        for side in sides:
            results.extend(_judge_item(case, document, item, side))
    standard = StandardRef(
        designation=document.designation,
        series=document.series,
        edition=document.edition,
        mandatory=document.mandatory,
        effective_from=document.effective_from,
        effective_until=document.effective_until,
        selected_by=selected_by,
    )
    return Verdict(case.case_id, case.product_type, standard, case.test_date, tuple(results), tuple(warnings))


def _judge_item(case: Case, document: RuleDocument, item: RuleItem, side: str | None) -> list[ItemResult]:
    context = ItemContext(case, document, item, side)
    applicable, reason = context.applicability()
    if applicable is False:
        return [context.result(ItemStatus.NOT_APPLICABLE, notes=[f"applies only when {reason}"])]
    if applicable is None:
        return [context.result(ItemStatus.NOT_ASSESSED, notes=[f"applicability unknown: {reason}"])]
    try:
        return KIND_JUDGES[item.kind](context)
    except MissingValueError as missing:
        return [context.result(ItemStatus.NOT_ASSESSED, notes=[f"missing {missing.reference}"])]


# ---------------------------------------------------------------------------------------------
# Catalogue for the LIMS


@dataclass(frozen=True)
class CatalogueField:
    """One value the technician enters for an item."""

    role: str
    name: str
    per_lens: bool
    unit: str
    label_zh: str
    label_en: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "name": self.name,
            "per_lens": self.per_lens,
            "unit": self.unit,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
        }


@dataclass(frozen=True)
class CatalogueEntry:
    """What the result-entry form needs to know about one item of a standard edition."""

    rule_id: str
    kind: str
    label_zh: str
    label_en: str
    clause: str
    mandatory: bool
    certainty: str
    sides: tuple[str, ...]
    fields: tuple[CatalogueField, ...]
    conditions: tuple[str, ...]
    note: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "kind": self.kind,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "clause": self.clause,
            "mandatory": self.mandatory,
            "certainty": self.certainty,
            "sides": list(self.sides),
            "nominal_fields": [field.to_dict() for field in self.fields if field.role == "nominal"],
            "measured_fields": [field.to_dict() for field in self.fields if field.role == "measured"],
            "conditions": list(self.conditions),
            "note": self.note,
        }


def _item_field_names(document: RuleDocument, item: RuleItem) -> list[tuple[str, str]]:
    names: list[tuple[str, str]] = []

    def add(role: str, name: str | None) -> None:
        if name is not None and (role, name) not in names:
            names.append((role, name))

    def add_reference(reference: str | None) -> None:
        if reference is not None:
            role, name = reference.split(".", 1)
            add(role, name)

    if item.kind in {"power_meridians", "power_cylinder", "axis_by_cylinder"}:
        for name in ("sphere", "cylinder", *(("axis",) if item.kind == "axis_by_cylinder" else ())):
            add("nominal", name)
            add("measured", name)
    for name in _KEY_FIELDS.get(item.key or "", ()):
        add("nominal", name)
    if item.kind == "band_by_value" and any(
        row.per_dioptre is not None for row in document.band_tables[item.table or ""]
    ):
        add("nominal", "sphere")
        add("nominal", "cylinder")
    add("nominal", item.nominal)
    add("measured", item.measured)
    if item.kind == "band_by_value":
        for row in document.band_tables[item.table or ""]:
            add("nominal", row.nominal)
            add("measured", row.measured)
    if item.kind == "same_as_nominal":
        add("nominal", item.measured)
    if item.kind == "lens_difference":
        add("nominal", item.field_name)
        add("measured", item.field_name)
    if item.kind in {"limit_by_category", "category_by_transmittance"}:
        add("measured", "luminous_transmittance")
    add_reference(item.of)
    for category_row in item.category_rows:
        pending = [category_row.limit]
        while pending:
            expression = pending.pop()
            add_reference(expression.of)
            pending.extend(expression.greatest)
    for condition in item.conditions:
        if condition.table is not None:
            add("measured", "luminous_transmittance")
        add_reference(condition.field_ref)
    return names


def _describe_condition(item: RuleItem) -> tuple[str, ...]:
    described = []
    for condition in item.conditions:
        if condition.table is not None:
            described.append(f"measured category in {list(condition.category_in)}")
        elif condition.present is not None:
            described.append(f"{condition.field_ref} {'given' if condition.present else 'not given'}")
        elif condition.equals is not None:
            described.append(f"{condition.field_ref} = {str(condition.equals).lower()}")
        elif condition.within is not None:
            described.append(f"{condition.field_ref} in {condition.within}")
    return tuple(described)


def item_catalogue(
    product_type: ProductType | str, designation: str, registry: RuleRegistry | None = None
) -> list[CatalogueEntry]:
    """Items of one edition that apply to a product type, with the fields each needs."""
    registry = registry or RuleRegistry.builtin()
    product_type = ProductType(product_type)
    document = registry.find(designation)
    if document is None:
        raise KeyError(f"standard edition {designation!r} is not loaded")
    entries = []
    for item in document.items:
        if product_type not in item.product_types:
            continue
        fields = []
        for role, name in _item_field_names(document, item):
            spec = document.field_spec(name)
            if spec is None:
                continue
            fields.append(
                CatalogueField(
                    role, name, spec.per_lens, CANONICAL_UNIT[spec.quantity], spec.label_zh, spec.label_en
                )
            )
        entries.append(
            CatalogueEntry(
                rule_id=item.id,
                kind=item.kind,
                label_zh=item.label_zh,
                label_en=item.label_en,
                clause=item.clause,
                mandatory=item.mandatory,
                certainty=item.certainty.value,
                sides=LENS_SIDES[product_type] if item.per_lens else (),
                fields=tuple(fields),
                conditions=_describe_condition(item),
                note=item.note,
            )
        )
    return entries


def product_types() -> list[dict[str, str]]:
    """Product types with their zh/en labels, in a stable order."""
    return [
        {"id": product_type.value, "label_zh": labels[0], "label_en": labels[1]}
        for product_type, labels in PRODUCT_TYPE_LABELS.items()
    ]


def standards_for(
    product_type: ProductType | str, on: datetime.date | None = None, registry: RuleRegistry | None = None
) -> list[dict[str, Any]]:
    """Standard editions covering a product type, in force on ``on`` when a date is given."""
    registry = registry or RuleRegistry.builtin()
    return [describe_document(document) for document in registry.applicable(ProductType(product_type), on)]


def describe_document(document: RuleDocument) -> dict[str, Any]:
    return {
        "designation": document.designation,
        "series": document.series,
        "edition": document.edition,
        "title_zh": document.title_zh,
        "title_en": document.title_en,
        "mandatory_standard": document.mandatory,
        "effective_from": None if document.effective_from is None else document.effective_from.isoformat(),
        "effective_until": None if document.effective_until is None else document.effective_until.isoformat(),
        "dates_certainty": document.dates_certainty.value,
        "product_types": sorted(product_type.value for product_type in document.product_types),
        "items": [item.id for item in document.items],
        "source": document.source,
    }
