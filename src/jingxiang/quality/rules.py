"""Rules files: loading, schema and semantic validation, and the registry of standard editions.

A rules file describes one standard edition: its dates, the product types it covers, its tables
and its items. The *kinds* of item (how a tolerance is computed) are code in
:mod:`jingxiang.quality.kinds`; every number, band edge and clause is data here, so an operator can
add an edition by uploading a file. Validation reports every problem it finds in one pass, because
an operator fixing a file one error per upload would give up.
"""

from __future__ import annotations

import datetime
import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import yaml

from jingxiang import strictjson
from jingxiang.quality.exact import Interval
from jingxiang.quality.model import CaseRejectedError, Certainty, Problem
from jingxiang.quality.vocabulary import (
    BUILTIN_FIELDS,
    LENS_SIDES,
    FieldSpec,
    ProductType,
    Quantity,
)

RULES_FORMAT = "jingxiang-quality-rules/1"

ITEM_KINDS = (
    "power_meridians",
    "power_cylinder",
    "axis_by_cylinder",
    "band_by_value",
    "max_abs_deviation",
    "range",
    "ratio_limit",
    "limit_by_category",
    "category_by_transmittance",
    "boolean_required",
    "lens_difference",
    "same_as_nominal",
)
TABLE_KIND_FOR_ITEM = {
    "power_meridians": "power_table",
    "power_cylinder": "power_table",
    "axis_by_cylinder": "bands",
    "band_by_value": "bands",
    "category_by_transmittance": "categories",
}
LENS_KINDS = {"power_meridians", "power_cylinder", "axis_by_cylinder"}


class RulesInvalidError(ValueError):
    """A rules document (or a set of them) cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{problem.path}: {problem.message}" for problem in problems))
        self.problems = problems


# ---------------------------------------------------------------------------------------------
# Typed rule model


@dataclass(frozen=True)
class PowerRow:
    band: Interval
    meridian: Decimal
    cylinder: tuple[Decimal, ...]


@dataclass(frozen=True)
class PowerTable:
    """Power tolerance table: rows keyed on the strongest nominal meridian, B columns on |C|."""

    columns: tuple[Interval, ...]
    rows: tuple[PowerRow, ...]


@dataclass(frozen=True)
class BandRow:
    """One band of a ``bands`` table: a symmetric ``tolerance`` or an upper ``limit``.

    ``per_dioptre`` adds ``per_dioptre × Smax`` to the tolerance (Smax = strongest nominal
    meridian of the lens, or of the pair for whole-product items), the form prism tolerances take.
    ``measured``/``nominal``/``unit`` override the item's fields for this band, because e.g. the
    low-power band of the optical-centre table is judged in prism dioptres, not millimetres.
    """

    band: Interval
    tolerance: Decimal | None
    limit: Decimal | None
    unit: str | None
    per_dioptre: Decimal | None
    measured: str | None
    nominal: str | None
    certainty: Certainty | None
    note: str | None


@dataclass(frozen=True)
class CategoryRow:
    category: int
    band: Interval
    label_zh: str
    label_en: str


@dataclass(frozen=True)
class LimitExpression:
    """A limit computed from the case: a constant, ``factor × field``, or the greatest of several."""

    constant: Decimal | None = None
    factor: Decimal | None = None
    of: str | None = None
    greatest: tuple[LimitExpression, ...] = ()


@dataclass(frozen=True)
class CategoryLimitRow:
    categories: tuple[int, ...]
    limit: LimitExpression
    certainty: Certainty | None


@dataclass(frozen=True)
class Condition:
    """Applicability test of an item; ``if_missing`` says what to assume when the value is absent."""

    field_ref: str | None = None
    equals: Decimal | bool | None = None
    present: bool | None = None
    within: Interval | None = None
    category_in: tuple[int, ...] = ()
    table: str | None = None
    if_missing: bool | None = None


@dataclass(frozen=True)
class RuleItem:
    """One item of a standard edition, as data; ``kind`` names the code that judges it."""

    id: str
    kind: str
    label_zh: str
    label_en: str
    clause: str
    certainty: Certainty
    mandatory: bool
    product_types: frozenset[ProductType]
    conditions: tuple[Condition, ...] = ()
    note: str | None = None
    per_lens: bool = False
    outside_table: str = "not_assessed"
    table: str | None = None
    key: str | None = None
    measured: str | None = None
    nominal: str | None = None
    field_name: str | None = None
    tolerance: Decimal | None = None
    accept: Interval | None = None
    comparison: str | None = None
    factor: Decimal | None = None
    of: str | None = None
    unit: str | None = None
    expected: bool | None = None
    category_table: str | None = None
    category_rows: tuple[CategoryLimitRow, ...] = ()
    #: For a U item: where its value was checked against the standard text. Set, the item is
    #: confirmed in every case judged against this file (it decides like a V/S item).
    confirmed_source: str | None = None
    #: Instrument types that may measure this item; empty = the defaults of its measured fields.
    instruments: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleDocument:
    """One standard edition loaded from a rules file."""

    series: str
    designation: str
    edition: str
    aliases: tuple[str, ...]
    title_zh: str
    title_en: str
    mandatory: bool
    effective_from: datetime.date | None
    effective_until: datetime.date | None
    dates_certainty: Certainty
    notes: str
    product_types: frozenset[ProductType]
    items: tuple[RuleItem, ...]
    fields: Mapping[str, FieldSpec] = field(default_factory=dict)
    power_tables: Mapping[str, PowerTable] = field(default_factory=dict)
    band_tables: Mapping[str, Sequence[BandRow]] = field(default_factory=dict)
    category_tables: Mapping[str, Sequence[CategoryRow]] = field(default_factory=dict)
    source: str = ""

    def in_force_on(self, day: datetime.date) -> bool:
        """Inclusive on both ends: ``effective_until`` is the last day the edition applies."""
        if self.effective_from is not None and day < self.effective_from:
            return False
        return not (self.effective_until is not None and day > self.effective_until)

    def field_spec(self, name: str) -> FieldSpec | None:
        return self.fields.get(name) or BUILTIN_FIELDS.get(name)

    def period_text(self) -> str:
        start = self.effective_from.isoformat() if self.effective_from else "(start not recorded)"
        end = self.effective_until.isoformat() if self.effective_until else "(open)"
        return f"{start} … {end}"


# ---------------------------------------------------------------------------------------------
# Loading


class _ExactLoader(yaml.SafeLoader):
    """YAML loader that keeps decimals exact and dates as text, and refuses what no rule can hold.

    PyYAML would turn ``0.12`` into a binary float and ``2012-02-01`` into a ``date``; the first
    breaks exact tolerance edges, the second does not fit JSON Schema's string type. It would also
    recurse once per nesting level (a file of 100,000 nested lists ends in a ``RecursionError``) and
    fail on ``.nan``, a 5,000-digit integer or ``1e999999999`` with errors that are not YAML errors;
    here each of those is a YAML error with its line, reported like any other.
    """

    _nesting = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._nesting += 1
        try:
            if self._nesting > strictjson.MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"nested deeper than {strictjson.MAX_DEPTH} levels",
                    self.get_mark(),
                )
            return super().compose_node(parent, index)
        finally:
            self._nesting -= 1


def _number_refused(node: yaml.ScalarNode, problem: str) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(None, None, problem, node.start_mark)


def _construct_exact_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    if text.lower().lstrip("+-") in {".nan", ".inf"}:
        raise _number_refused(node, f"{text!r} is not a finite number")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _number_refused(node, f"{text!r} is not a decimal number") from None
    if not value.is_finite():
        raise _number_refused(node, f"{text!r} is not a finite number")
    if value and value.adjusted() > strictjson.MAX_EXPONENT:
        raise _number_refused(node, f"number too large to represent: {text[:24]}")
    return value


def _construct_bounded_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if len(text.lstrip("+-").replace("_", "")) > strictjson.MAX_EXPONENT:
        raise _number_refused(node, f"number too large to represent: {text[:24]}…")
    value: int = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    return value


def _construct_plain_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_ExactLoader.add_constructor("tag:yaml.org,2002:float", _construct_exact_float)
_ExactLoader.add_constructor("tag:yaml.org,2002:int", _construct_bounded_int)
_ExactLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_plain_text)


def parse_rules_text(text: str) -> tuple[Any, list[Problem]]:
    """Parse YAML (JSON is valid YAML) into plain data; a syntax error becomes a problem."""
    try:
        data = yaml.load(text, Loader=_ExactLoader)  # noqa: S506 - _ExactLoader derives from SafeLoader
    except yaml.YAMLError as error:
        return None, [Problem("", f"not valid YAML/JSON: {error}", "syntax")]
    if not isinstance(data, dict):
        return None, [Problem("", "a rules file must be a mapping at the top level", "syntax")]
    return data, []


@cache
def rules_schema() -> dict[str, Any]:
    """The JSON Schema shipped next to the code (``rules.schema.json``)."""
    text = resources.files("jingxiang.quality").joinpath("rules.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _json_path(parts: Iterable[object]) -> str:
    return "/" + "/".join(str(part) for part in parts)


def schema_problems(data: Any) -> list[Problem]:
    validator = jsonschema.Draft202012Validator(rules_schema())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda err: list(map(str, err.absolute_path))):
        problems.append(Problem(_json_path(error.absolute_path), error.message, "schema"))
    return problems


def validate_rules_text(text: str, source: str = "<upload>") -> list[Problem]:
    """All problems of one rules file (syntax, schema, semantics); empty means usable."""
    _, problems = _load_document(text, source)
    return problems


def load_rules_document(text: str, source: str = "<upload>") -> RuleDocument:
    """Load one rules file or raise :class:`RulesInvalidError` listing every problem."""
    document, problems = _load_document(text, source)
    if problems or document is None:
        raise RulesInvalidError(problems)
    return document


def _load_document(text: str, source: str) -> tuple[RuleDocument | None, list[Problem]]:
    data, problems = parse_rules_text(text)
    if data is None:
        return None, problems
    problems = schema_problems(data) + semantic_problems(data)
    if problems:
        return None, problems
    return _build_document(data, source), []


# ---------------------------------------------------------------------------------------------
# Semantic validation (defensive: it also runs on files that failed the schema)


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _interval_or_problem(text: Any, path: str, problems: list[Problem]) -> Interval | None:
    if not isinstance(text, str):
        return None
    try:
        return Interval.parse(text)
    except ValueError as error:
        problems.append(Problem(path, str(error), "interval"))
        return None


def _check_bands_sorted(bands: list[tuple[str, Interval]], problems: list[Problem], what: str) -> None:
    """Bands must ascend and meet exactly: no overlap (a value in two rows) and no gap (in none)."""
    for (previous_path, previous), (path, current) in itertools.pairwise(bands):
        if previous.low is not None and current.low is not None and current.low < previous.low:
            problems.append(
                Problem(path, f"{what} rows are not sorted: {current} comes after {previous}", "unsorted")
            )
        elif previous.overlaps(current):
            problems.append(
                Problem(path, f"{what} band {current} overlaps {previous} ({previous_path})", "overlap")
            )
        elif not previous.meets(current):
            problems.append(
                Problem(
                    path,
                    f"{what} band {current} does not start where {previous} ends: values in between "
                    "would match no row (close the gap, e.g. '(0.50, 1.00]')",
                    "gap",
                )
            )


def _declared_fields(data: dict[str, Any]) -> dict[str, FieldSpec]:
    declared: dict[str, FieldSpec] = {}
    for name, spec in _as_dict(data.get("fields")).items():
        spec_dict = _as_dict(spec)
        try:
            quantity = Quantity(str(spec_dict.get("quantity")))
        except ValueError:
            continue
        plausible = spec_dict.get("plausible")
        low = high = None
        if isinstance(plausible, str):
            try:
                interval = Interval.parse(plausible)
                low, high = interval.low, interval.high
            except ValueError:
                pass
        declared[str(name)] = FieldSpec(
            str(name),
            quantity,
            bool(spec_dict.get("per_lens", False)),
            str(spec_dict.get("label_zh", name)),
            str(spec_dict.get("label_en", name)),
            low,
            high,
        )
    return declared


def semantic_problems(data: Any) -> list[Problem]:
    """Checks JSON Schema cannot express: dates, band order, references between parts of the file."""
    problems: list[Problem] = []
    document = _as_dict(data)
    standard = _as_dict(document.get("standard"))
    dates: dict[str, datetime.date] = {}
    for key in ("effective_from", "effective_until"):
        value = standard.get(key)
        if isinstance(value, str):
            try:
                dates[key] = datetime.date.fromisoformat(value)
            except ValueError:
                problems.append(Problem(f"/standard/{key}", f"{value!r} is not a calendar date", "date"))
    if (
        "effective_from" in dates
        and "effective_until" in dates
        and dates["effective_until"] < dates["effective_from"]
    ):
        problems.append(
            Problem("/standard/effective_until", "effective_until is before effective_from", "date")
        )

    for name, spec in _as_dict(document.get("fields")).items():
        if name in BUILTIN_FIELDS:
            problems.append(
                Problem(f"/fields/{name}", f"field {name!r} is built in; do not redeclare it", "field")
            )
        plausible = _as_dict(spec).get("plausible")
        _interval_or_problem(plausible, f"/fields/{name}/plausible", problems)
    fields = {**BUILTIN_FIELDS, **_declared_fields(document)}

    tables = _as_dict(document.get("tables"))
    category_sets: dict[str, set[int]] = {}
    for table_name, table in tables.items():
        _check_table(str(table_name), _as_dict(table), fields, problems, category_sets)

    document_types = {value for value in _as_list(document.get("product_types")) if isinstance(value, str)}
    seen_ids: set[str] = set()
    for index, raw_item in enumerate(_as_list(document.get("items"))):
        item = _as_dict(raw_item)
        path = f"/items/{index}"
        item_id = item.get("id")
        if isinstance(item_id, str):
            if item_id in seen_ids:
                problems.append(Problem(f"{path}/id", f"duplicate item id {item_id!r}", "duplicate"))
            seen_ids.add(item_id)
        kind = item.get("kind")
        if kind not in ITEM_KINDS:
            problems.append(
                Problem(
                    f"{path}/kind",
                    f"unknown item kind {kind!r}; known kinds: {', '.join(ITEM_KINDS)}",
                    "kind",
                )
            )
            continue
        item_types = [value for value in _as_list(item.get("product_types")) if isinstance(value, str)]
        for product_type in item_types:
            if product_type not in document_types:
                problems.append(
                    Problem(
                        f"{path}/product_types",
                        f"{product_type!r} is not among the file's product_types",
                        "type",
                    )
                )
        _check_item(
            path,
            item,
            str(kind),
            item_types or sorted(document_types),
            tables,
            fields,
            category_sets,
            problems,
        )
    return problems


def _check_table(
    name: str,
    table: dict[str, Any],
    fields: Mapping[str, FieldSpec],
    problems: list[Problem],
    category_sets: dict[str, set[int]],
) -> None:
    path = f"/tables/{name}"
    kind = table.get("kind")
    rows = _as_list(table.get("rows"))
    if kind == "power_table":
        columns = []
        for index, text in enumerate(_as_list(table.get("cylinder_columns"))):
            interval = _interval_or_problem(text, f"{path}/cylinder_columns/{index}", problems)
            if interval is not None:
                columns.append((f"{path}/cylinder_columns/{index}", interval))
        _check_bands_sorted(columns, problems, f"table {name!r} cylinder column")
        bands = []
        for index, row in enumerate(rows):
            row_dict = _as_dict(row)
            interval = _interval_or_problem(row_dict.get("band"), f"{path}/rows/{index}/band", problems)
            if interval is not None:
                bands.append((f"{path}/rows/{index}/band", interval))
            cylinder = _as_list(row_dict.get("cylinder"))
            if columns and len(cylinder) != len(columns):
                problems.append(
                    Problem(
                        f"{path}/rows/{index}/cylinder",
                        f"{len(cylinder)} cylinder tolerances for {len(columns)} cylinder columns",
                        "shape",
                    )
                )
        _check_bands_sorted(bands, problems, f"table {name!r}")
    elif kind == "bands":
        bands = []
        for index, row in enumerate(rows):
            row_dict = _as_dict(row)
            interval = _interval_or_problem(row_dict.get("band"), f"{path}/rows/{index}/band", problems)
            if interval is not None:
                bands.append((f"{path}/rows/{index}/band", interval))
            for role in ("measured", "nominal"):
                field_name = row_dict.get(role)
                if isinstance(field_name, str) and field_name not in fields:
                    problems.append(
                        Problem(f"{path}/rows/{index}/{role}", f"unknown field {field_name!r}", "field")
                    )
        _check_bands_sorted(bands, problems, f"table {name!r}")
    elif kind == "categories":
        categories: set[int] = set()
        bands = []
        for index, row in enumerate(rows):
            row_dict = _as_dict(row)
            category = row_dict.get("category")
            if isinstance(category, int):
                if category in categories:
                    problems.append(
                        Problem(
                            f"{path}/rows/{index}/category", f"category {category} listed twice", "duplicate"
                        )
                    )
                categories.add(category)
            interval = _interval_or_problem(row_dict.get("band"), f"{path}/rows/{index}/band", problems)
            if interval is not None:
                bands.append((f"{path}/rows/{index}/band", interval))
        ordered = sorted(bands, key=lambda entry: (entry[1].low is not None, entry[1].low or Decimal(0)))
        for (previous_path, previous), (current_path, current) in itertools.pairwise(ordered):
            if previous.overlaps(current):
                problems.append(
                    Problem(
                        current_path,
                        f"category band {current} overlaps {previous} ({previous_path})",
                        "overlap",
                    )
                )
        category_sets[name] = categories


def _check_field(
    path: str,
    name: Any,
    fields: Mapping[str, FieldSpec],
    problems: list[Problem],
    *,
    per_lens: bool,
    allowed: set[Quantity] | None = None,
) -> None:
    if not isinstance(name, str):
        return
    spec = fields.get(name)
    if spec is None:
        problems.append(Problem(path, f"unknown field {name!r}; declare it under 'fields'", "field"))
        return
    if spec.per_lens and not per_lens:
        problems.append(
            Problem(path, f"{name!r} is a per-lens field; set per_lens: true on the item", "field")
        )
    if allowed is not None and spec.quantity not in allowed:
        problems.append(
            Problem(path, f"{name!r} holds a {spec.quantity.value}, not one of {sorted(allowed)}", "quantity")
        )


NUMERIC_QUANTITIES: set[Quantity] = {quantity for quantity in Quantity if quantity is not Quantity.BOOLEAN}


def _check_item(
    path: str,
    item: dict[str, Any],
    kind: str,
    product_types: list[str],
    tables: dict[str, Any],
    fields: Mapping[str, FieldSpec],
    category_sets: dict[str, set[int]],
    problems: list[Problem],
) -> None:
    per_lens = bool(item.get("per_lens", False)) or kind in LENS_KINDS
    if kind in LENS_KINDS and item.get("per_lens") is False:
        problems.append(Problem(f"{path}/per_lens", f"{kind} items are always judged per lens", "kind"))
    if per_lens:
        for product_type in product_types:
            if (
                product_type in {value.value for value in ProductType}
                and not LENS_SIDES[ProductType(product_type)]
            ):
                problems.append(
                    Problem(
                        f"{path}/product_types",
                        f"per-lens item cannot apply to {product_type!r} (no lenses)",
                        "type",
                    )
                )
    wanted_table = TABLE_KIND_FOR_ITEM.get(kind)
    table_name = item.get("table")
    if wanted_table is not None and isinstance(table_name, str):
        table = tables.get(table_name)
        if table is None:
            problems.append(Problem(f"{path}/table", f"no table named {table_name!r}", "reference"))
        elif _as_dict(table).get("kind") != wanted_table:
            problems.append(
                Problem(
                    f"{path}/table",
                    f"{kind} needs a {wanted_table} table, {table_name!r} is not one",
                    "reference",
                )
            )
        elif kind == "band_by_value":
            for index, row in enumerate(_as_list(_as_dict(table).get("rows"))):
                row_dict = _as_dict(row)
                if "tolerance" in row_dict and not (row_dict.get("nominal") or item.get("nominal")):
                    problems.append(
                        Problem(
                            f"/tables/{table_name}/rows/{index}",
                            "a tolerance row needs a nominal field "
                            f"(on the row or on item {item.get('id')!r})",
                            "reference",
                        )
                    )
    numeric: set[Quantity] = NUMERIC_QUANTITIES - {Quantity.CATEGORY}
    if kind in {"band_by_value", "max_abs_deviation", "range", "ratio_limit", "limit_by_category"}:
        _check_field(
            f"{path}/measured", item.get("measured"), fields, problems, per_lens=per_lens, allowed=numeric
        )
    if kind in {"band_by_value", "max_abs_deviation"}:
        _check_field(
            f"{path}/nominal", item.get("nominal"), fields, problems, per_lens=per_lens, allowed=numeric
        )
    if kind == "category_by_transmittance":
        _check_field(
            f"{path}/measured",
            item.get("measured"),
            fields,
            problems,
            per_lens=per_lens,
            allowed={Quantity.TRANSMITTANCE},
        )
        _check_field(
            f"{path}/nominal",
            item.get("nominal"),
            fields,
            problems,
            per_lens=per_lens,
            allowed={Quantity.CATEGORY},
        )
    if kind == "same_as_nominal":
        _check_field(
            f"{path}/measured",
            item.get("measured"),
            fields,
            problems,
            per_lens=per_lens,
            allowed={Quantity.BOOLEAN},
        )
    if kind == "boolean_required":
        _check_field(
            f"{path}/measured",
            item.get("measured"),
            fields,
            problems,
            per_lens=per_lens,
            allowed={Quantity.BOOLEAN},
        )
    if kind == "lens_difference":
        _check_field(f"{path}/field", item.get("field"), fields, problems, per_lens=True, allowed=numeric)
        for product_type in product_types:
            if (
                product_type in {value.value for value in ProductType}
                and len(LENS_SIDES[ProductType(product_type)]) != 2
            ):
                problems.append(
                    Problem(f"{path}/product_types", f"{product_type!r} has no lens pair", "type")
                )
    if kind == "ratio_limit" and isinstance(item.get("of"), str):
        _check_field(
            f"{path}/of", item["of"].split(".", 1)[1], fields, problems, per_lens=per_lens, allowed=numeric
        )
    if kind == "limit_by_category":
        category_table = item.get("category_table")
        if isinstance(category_table, str):
            if category_table not in category_sets:
                problems.append(
                    Problem(f"{path}/category_table", f"no categories table {category_table!r}", "reference")
                )
            else:
                covered: set[int] = set()
                for index, row in enumerate(_as_list(item.get("rows"))):
                    for category in _as_list(_as_dict(row).get("categories")):
                        if category not in category_sets[category_table]:
                            problems.append(
                                Problem(
                                    f"{path}/rows/{index}",
                                    f"category {category} not in {category_table!r}",
                                    "reference",
                                )
                            )
                        if category in covered:
                            problems.append(
                                Problem(
                                    f"{path}/rows/{index}", f"category {category} has two limits", "overlap"
                                )
                            )
                        covered.add(category)
                    _check_limit_expression(
                        f"{path}/rows/{index}/limit", _as_dict(row).get("limit"), fields, per_lens, problems
                    )
    if kind == "range":
        _interval_or_problem(item.get("accept"), f"{path}/accept", problems)
    for index, raw_condition in enumerate(_as_list(item.get("when"))):
        condition = _as_dict(raw_condition)
        condition_path = f"{path}/when/{index}"
        reference = condition.get("field")
        if isinstance(reference, str) and "." in reference:
            _check_field(condition_path, reference.split(".", 1)[1], fields, problems, per_lens=per_lens)
        _interval_or_problem(condition.get("within"), f"{condition_path}/within", problems)
        table_name = condition.get("table")
        if isinstance(table_name, str):
            if table_name not in category_sets:
                problems.append(
                    Problem(f"{condition_path}/table", f"no categories table {table_name!r}", "reference")
                )
            else:
                for category in _as_list(condition.get("category_in")):
                    if category not in category_sets[table_name]:
                        problems.append(
                            Problem(condition_path, f"category {category} not in {table_name!r}", "reference")
                        )


def _check_limit_expression(
    path: str, expression: Any, fields: Mapping[str, FieldSpec], per_lens: bool, problems: list[Problem]
) -> None:
    expression_dict = _as_dict(expression)
    reference = expression_dict.get("of")
    if isinstance(reference, str) and "." in reference:
        _check_field(f"{path}/of", reference.split(".", 1)[1], fields, problems, per_lens=per_lens)
    for index, part in enumerate(_as_list(expression_dict.get("greatest"))):
        _check_limit_expression(f"{path}/greatest/{index}", part, fields, per_lens, problems)


# ---------------------------------------------------------------------------------------------
# Building the typed model from validated data


def _decimal_or_none(value: Any) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(value)


def _date_or_none(value: Any) -> datetime.date | None:
    return None if value is None else datetime.date.fromisoformat(value)


def _certainty_or_none(value: Any) -> Certainty | None:
    return None if value is None else Certainty(value)


def _limit_expression(data: dict[str, Any]) -> LimitExpression:
    return LimitExpression(
        constant=_decimal_or_none(data.get("constant")),
        factor=_decimal_or_none(data.get("factor")),
        of=data.get("of"),
        greatest=tuple(_limit_expression(part) for part in data.get("greatest", [])),
    )


def _condition(data: dict[str, Any]) -> Condition:
    equals = data.get("equals")
    return Condition(
        field_ref=data.get("field"),
        equals=equals if isinstance(equals, bool) or equals is None else Decimal(equals),
        present=data.get("present"),
        within=None if data.get("within") is None else Interval.parse(data["within"]),
        category_in=tuple(data.get("category_in", ())),
        table=data.get("table"),
        if_missing=data.get("if_missing"),
    )


def _build_document(data: dict[str, Any], source: str) -> RuleDocument:
    standard = data["standard"]
    power_tables: dict[str, PowerTable] = {}
    band_tables: dict[str, tuple[BandRow, ...]] = {}
    category_tables: dict[str, tuple[CategoryRow, ...]] = {}
    for name, table in data.get("tables", {}).items():
        if table["kind"] == "power_table":
            power_tables[name] = PowerTable(
                columns=tuple(Interval.parse(text) for text in table["cylinder_columns"]),
                rows=tuple(
                    PowerRow(
                        Interval.parse(row["band"]),
                        Decimal(row["meridian"]),
                        tuple(Decimal(value) for value in row["cylinder"]),
                    )
                    for row in table["rows"]
                ),
            )
        elif table["kind"] == "bands":
            band_tables[name] = tuple(
                BandRow(
                    band=Interval.parse(row["band"]),
                    tolerance=_decimal_or_none(row.get("tolerance")),
                    limit=_decimal_or_none(row.get("limit")),
                    unit=row.get("unit"),
                    per_dioptre=_decimal_or_none(row.get("per_dioptre")),
                    measured=row.get("measured"),
                    nominal=row.get("nominal"),
                    certainty=_certainty_or_none(row.get("certainty")),
                    note=row.get("note"),
                )
                for row in table["rows"]
            )
        else:
            category_tables[name] = tuple(
                CategoryRow(
                    row["category"],
                    Interval.parse(row["band"]),
                    row.get("label_zh", f"{row['category']}类"),
                    row.get("label_en", f"category {row['category']}"),
                )
                for row in table["rows"]
            )
    document_types = frozenset(ProductType(value) for value in data["product_types"])
    items = []
    for raw in data["items"]:
        kind = raw["kind"]
        items.append(
            RuleItem(
                id=raw["id"],
                kind=kind,
                label_zh=raw["label_zh"],
                label_en=raw["label_en"],
                clause=raw["clause"],
                certainty=Certainty(raw["certainty"]),
                mandatory=raw["mandatory"],
                product_types=(
                    frozenset(ProductType(value) for value in raw["product_types"])
                    if "product_types" in raw
                    else document_types
                ),
                conditions=tuple(_condition(condition) for condition in raw.get("when", [])),
                note=raw.get("note"),
                per_lens=bool(raw.get("per_lens", False)) or kind in LENS_KINDS,
                outside_table=raw.get("outside_table", "not_assessed"),
                table=raw.get("table"),
                key=raw.get("key"),
                measured=raw.get("measured"),
                nominal=raw.get("nominal"),
                field_name=raw.get("field"),
                tolerance=_decimal_or_none(raw.get("tolerance")),
                accept=None if raw.get("accept") is None else Interval.parse(raw["accept"]),
                comparison=raw.get("comparison"),
                factor=_decimal_or_none(raw.get("factor")),
                of=raw.get("of"),
                unit=raw.get("unit"),
                expected=raw.get("expected"),
                confirmed_source=raw.get("confirmed_source"),
                instruments=tuple(raw.get("instruments", ())),
                category_table=raw.get("category_table"),
                category_rows=tuple(
                    CategoryLimitRow(
                        tuple(row["categories"]),
                        _limit_expression(row["limit"]),
                        _certainty_or_none(row.get("certainty")),
                    )
                    for row in raw.get("rows", [])
                ),
            )
        )
    return RuleDocument(
        series=standard["series"],
        designation=standard["designation"],
        edition=str(standard["edition"]),
        aliases=tuple(standard.get("aliases", ())),
        title_zh=standard.get("title_zh", ""),
        title_en=standard.get("title_en", ""),
        mandatory=standard["mandatory"],
        effective_from=_date_or_none(standard["effective_from"]),
        effective_until=_date_or_none(standard["effective_until"]),
        dates_certainty=Certainty(standard.get("dates_certainty", "V")),
        notes=standard.get("notes", ""),
        product_types=document_types,
        items=tuple(items),
        fields=_declared_fields(data),
        power_tables=power_tables,
        band_tables=band_tables,
        category_tables=category_tables,
        source=source,
    )


# ---------------------------------------------------------------------------------------------
# Registry


def normalise_designation(text: str) -> str:
    """Compare designations loosely: case, spaces and dash variants do not matter."""
    return re.sub(r"\s+", "", text).upper().replace("—", "-").replace("–", "-").replace("／", "/")


@dataclass(frozen=True)
class Selection:
    """The edition chosen for a case, how it was chosen, and anything the technician should know."""

    document: RuleDocument
    selected_by: str
    warnings: tuple[str, ...]


class RuleRegistry:
    """All loaded standard editions: the built-in files plus any the operators uploaded."""

    def __init__(self, documents: Iterable[RuleDocument]) -> None:
        self._documents = tuple(documents)
        problems = registry_problems(self._documents)
        if problems:
            raise RulesInvalidError(problems)

    @classmethod
    def builtin(cls) -> RuleRegistry:
        """The registry of the rules files shipped in ``jingxiang/quality/rules``."""
        return _builtin_registry()

    def with_documents(self, texts: Iterable[tuple[str, str]]) -> RuleRegistry:
        """A new registry adding uploaded files given as ``(source name, text)`` pairs.

        Every file is validated, then the combination (duplicate designations, overlapping periods
        within a series); all problems of all files are raised together.
        """
        problems: list[Problem] = []
        added = []
        for source, text in texts:
            document, file_problems = _load_document(text, source)
            problems += [
                Problem(f"{source}:{problem.path}", problem.message, problem.code)
                for problem in file_problems
            ]
            if document is not None:
                added.append(document)
        if problems:
            raise RulesInvalidError(problems)
        return RuleRegistry([*self._documents, *added])

    @property
    def documents(self) -> tuple[RuleDocument, ...]:
        return self._documents

    def applicable(self, product_type: ProductType, on: datetime.date | None = None) -> list[RuleDocument]:
        """Editions covering the product type (and in force on ``on`` when given)."""
        return [
            document
            for document in self._documents
            if product_type in document.product_types and (on is None or document.in_force_on(on))
        ]

    def find(self, designation: str) -> RuleDocument | None:
        wanted = normalise_designation(designation)
        for document in self._documents:
            if normalise_designation(document.designation) == wanted:
                return document
        return None

    def select(
        self,
        product_type: ProductType,
        standard: str | None,
        edition: str | None,
        test_date: datetime.date | None,
    ) -> Selection:
        """Pick the edition to judge a case against, or raise :class:`CaseRejectedError` saying why."""
        warnings: list[str] = []
        if standard is None:
            if test_date is None:
                raise CaseRejectedError(
                    [Problem("/standard", "name the standard (or give a test_date)", "standard")]
                )
            candidates = self.applicable(product_type, test_date)
            if len(candidates) != 1:
                names = ", ".join(document.designation for document in candidates) or "none loaded"
                raise CaseRejectedError(
                    [
                        Problem(
                            "/standard",
                            f"name the standard: editions covering {product_type.value} on "
                            f"{test_date.isoformat()}: {names}",
                            "standard",
                        )
                    ]
                )
            return Selection(candidates[0], "only edition in force on test_date", ())

        wanted = normalise_designation(standard)
        document = self.find(standard)
        if document is not None:
            if edition is not None and normalise_designation(edition) != normalise_designation(
                document.edition
            ):
                raise CaseRejectedError(
                    [
                        Problem(
                            "/edition",
                            f"{document.designation} is edition {document.edition}, not {edition}",
                            "edition",
                        )
                    ]
                )
            selected_by = "designation"
        else:
            series = [
                document
                for document in self._documents
                if wanted in {normalise_designation(name) for name in (document.series, *document.aliases)}
            ]
            if not series:
                known = ", ".join(sorted({document.series for document in self._documents}))
                raise CaseRejectedError(
                    [
                        Problem(
                            "/standard",
                            f"unknown standard {standard!r}; loaded series: {known}",
                            "unknown_standard",
                        )
                    ]
                )
            listing = "; ".join(f"{document.designation} ({document.period_text()})" for document in series)
            if edition is not None:
                matches = [
                    document
                    for document in series
                    if normalise_designation(document.edition) == normalise_designation(edition)
                ]
                if not matches:
                    raise CaseRejectedError(
                        [
                            Problem(
                                "/edition",
                                f"edition {edition!r} of {standard} is not loaded; loaded: {listing}",
                                "unknown_edition",
                            )
                        ]
                    )
                document, selected_by = matches[0], "edition"
            elif test_date is not None:
                in_force = [document for document in series if document.in_force_on(test_date)]
                if not in_force:
                    raise CaseRejectedError(
                        [
                            Problem(
                                "/test_date",
                                f"no loaded edition of {standard} is in force on {test_date.isoformat()} "
                                f"(a newer edition may need its rules file uploaded); loaded: {listing}",
                                "no_edition_in_force",
                            )
                        ]
                    )
                document, selected_by = in_force[0], "test_date"
            else:
                raise CaseRejectedError(
                    [
                        Problem(
                            "/edition",
                            f"give the edition or a test_date to choose among: {listing}",
                            "edition",
                        )
                    ]
                )
        if product_type not in document.product_types:
            covering = (
                ", ".join(document.designation for document in self.applicable(product_type, test_date))
                or "none"
            )
            raise CaseRejectedError(
                [
                    Problem(
                        "/standard",
                        f"{document.designation} does not cover {product_type.value} (it covers "
                        f"{', '.join(sorted(value.value for value in document.product_types))}); "
                        f"editions for {product_type.value}: {covering}",
                        "wrong_standard_for_product",
                    )
                ]
            )
        if test_date is not None and not document.in_force_on(test_date):
            warnings.append(
                f"{document.designation} was not in force on {test_date.isoformat()} "
                f"({document.period_text()}); judged against it because the case names it"
            )
        if document.dates_certainty is Certainty.UNVERIFIED:
            warnings.append(f"the effective dates of {document.designation} are unverified (U)")
        return Selection(document, selected_by, tuple(warnings))


def registry_problems(documents: Sequence[RuleDocument]) -> list[Problem]:
    """Problems between files: one designation twice, or two editions of a series in force together."""
    problems: list[Problem] = []
    seen: dict[str, RuleDocument] = {}
    for document in documents:
        key = normalise_designation(document.designation)
        if key in seen:
            problems.append(
                Problem(
                    document.source,
                    f"{document.designation} is already loaded from {seen[key].source}",
                    "duplicate",
                )
            )
        seen[key] = document
    for index, first in enumerate(documents):
        for second in documents[index + 1 :]:
            if normalise_designation(first.series) != normalise_designation(second.series):
                continue
            if _periods_overlap(first, second):
                problems.append(
                    Problem(
                        second.source,
                        f"{second.designation} ({second.period_text()}) overlaps {first.designation} "
                        f"({first.period_text()}) in series {first.series}: "
                        "set effective_until on the older edition",
                        "overlapping_editions",
                    )
                )
    return problems


def _periods_overlap(first: RuleDocument, second: RuleDocument) -> bool:
    first_start = first.effective_from or datetime.date.min
    first_end = first.effective_until or datetime.date.max
    second_start = second.effective_from or datetime.date.min
    second_end = second.effective_until or datetime.date.max
    return first_start <= second_end and second_start <= first_end


@cache
def _builtin_registry() -> RuleRegistry:
    documents = []
    problems: list[Problem] = []
    folder = resources.files("jingxiang.quality").joinpath("rules")
    for entry in sorted(folder.iterdir(), key=lambda path: path.name):
        if not entry.name.endswith((".yaml", ".yml")):
            continue
        document, file_problems = _load_document(entry.read_text(encoding="utf-8"), entry.name)
        problems += [
            Problem(f"{entry.name}:{problem.path}", problem.message, problem.code)
            for problem in file_problems
        ]
        if document is not None:
            documents.append(document)
    if problems:
        raise RulesInvalidError(problems)
    return RuleRegistry(documents)
