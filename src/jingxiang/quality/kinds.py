"""The item kinds: the small, fixed set of ways a tolerance is computed.

The kinds are code because they encode optics (transposing cylinder forms, axes on a 180° circle,
Prentice's rule); the numbers they use come from the rules files. Each kind turns one rule item
(for one lens, where it is judged per lens) into one or more :class:`ItemResult`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from jingxiang.quality.exact import (
    Interval,
    axis_difference,
    format_decimal,
    normalise_axis,
    sin_squared_degrees,
)
from jingxiang.quality.model import (
    Acceptance,
    Case,
    Certainty,
    FieldValue,
    ItemResult,
    ItemStatus,
    at_least,
    at_most,
    symmetric_tolerance,
)
from jingxiang.quality.rules import (
    BandRow,
    CategoryRow,
    Condition,
    LimitExpression,
    RuleDocument,
    RuleItem,
)
from jingxiang.quality.vocabulary import CANONICAL_UNIT, LENS_SIDES

_CERTAINTY_RANK = {Certainty.UNVERIFIED: 0, Certainty.SECONDARY: 1, Certainty.VERIFIED: 2}
PRENTICE_CM_PER_MM = Decimal("0.1")


def weakest(*certainties: Certainty | None) -> Certainty:
    """A result is only as sure as the least sure value it used."""
    present = [certainty for certainty in certainties if certainty is not None]
    return min(present, key=_CERTAINTY_RANK.__getitem__)


class MissingValueError(LookupError):
    """A value an item needs is not in the case; the item becomes "not assessed"."""

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.reference = reference


@dataclass(frozen=True)
class SpherocylinderForm:
    """A prescription written in one cylinder sign convention."""

    sphere: Decimal
    cylinder: Decimal
    axis: Decimal | None

    def in_convention(self, plus_cylinder: bool) -> SpherocylinderForm:
        """Transpose if needed so that the cylinder has the requested sign (0 fits both)."""
        if self.cylinder == 0 or (self.cylinder > 0) == plus_cylinder:
            return self
        axis = None if self.axis is None else normalise_axis(self.axis + 90)
        return SpherocylinderForm(self.sphere + self.cylinder, -self.cylinder, axis)

    @property
    def meridians(self) -> tuple[Decimal, Decimal]:
        return self.sphere, self.sphere + self.cylinder

    @property
    def strongest_meridian(self) -> Decimal:
        """Absolute power of the principal meridian of highest absolute power: the tables' row key."""
        return max(abs(self.sphere), abs(self.sphere + self.cylinder))


class ItemContext:
    """Everything one kind needs to judge one item for one lens (or for the whole product)."""

    def __init__(self, case: Case, document: RuleDocument, item: RuleItem, side: str | None) -> None:
        self.case = case
        self.document = document
        self.item = item
        self.side = side
        self.notes: list[str] = []

    # -- values ---------------------------------------------------------------------------------

    def lookup(self, role: str, name: str, side: str | None = None) -> FieldValue | None:
        """A value from the case, falling back to arithmetic derivations from other values."""
        spec = self.document.field_spec(name)
        per_lens = spec is not None and spec.per_lens
        lens_side = side or self.side
        if per_lens:
            lenses = self.case.nominal_lenses if role == "nominal" else self.case.measured_lenses
            value = lenses.get(lens_side or "", {}).get(name)
        else:
            value = (self.case.nominal if role == "nominal" else self.case.measured).get(name)
        if value is not None:
            return value
        return self._derive(role, name, lens_side)

    def require(self, role: str, name: str, side: str | None = None) -> FieldValue:
        value = self.lookup(role, name, side)
        if value is None:
            spec = self.document.field_spec(name)
            lens_side = side or self.side
            where = f"{role}.{lens_side}.{name}" if spec is not None and spec.per_lens else f"{role}.{name}"
            raise MissingValueError(where)
        return value

    def number(self, role: str, name: str, side: str | None = None) -> Decimal:
        value = self.require(role, name, side)
        if isinstance(value, bool):
            raise MissingValueError(f"{role}.{name} (a number, not true/false)")
        return value

    def reference(self, reference: str) -> Decimal:
        role, name = reference.split(".", 1)
        return self.number(role, name)

    def _derive(self, role: str, name: str, side: str | None) -> FieldValue | None:
        """Values that follow from others by arithmetic or Prentice's rule; each use is noted."""
        derived = _DERIVATIONS.get((role, name))
        if derived is None:
            return None
        try:
            value, note = derived(self, side)
        except MissingValueError:
            return None
        self.notes.append(note)
        return value

    def nominal_form(self, side: str | None = None) -> SpherocylinderForm:
        """The nominal prescription; an omitted nominal cylinder means a spherical lens."""
        lens_side = side or self.side or ""
        lens = self.case.nominal_lenses.get(lens_side, {})
        sphere = self.number("nominal", "sphere", lens_side)
        cylinder = lens.get("cylinder")
        axis = lens.get("axis")
        return SpherocylinderForm(
            sphere,
            cylinder if isinstance(cylinder, Decimal) else Decimal(0),
            axis if isinstance(axis, Decimal) else None,
        )

    def measured_form(self, *, need_axis: bool = False) -> SpherocylinderForm:
        sphere = self.number("measured", "sphere")
        cylinder = self.number("measured", "cylinder")
        axis = self.number("measured", "axis") if need_axis and cylinder != 0 else None
        return SpherocylinderForm(sphere, cylinder, axis)

    def key_value(self, key: str) -> Decimal:
        """Quantities a band table is keyed on, always computed from nominal values."""
        if key == "strongest_meridian":
            return self.nominal_form().strongest_meridian
        if key == "strongest_meridian_of_pair":
            # Where right and left differ the larger key is used (reference §2.2, an assumption, U).
            sides = LENS_SIDES[self.case.product_type]
            return max(self.nominal_form(side).strongest_meridian for side in sides)
        if key == "horizontal_meridian_of_pair":
            # GB 13511-1992 keys centration on the power in the horizontal meridian, S + C·sin²(axis).
            return max(self._horizontal_meridian(side) for side in LENS_SIDES[self.case.product_type])
        if key == "abs_cylinder":
            return abs(self.nominal_form().cylinder)
        if key == "nominal_addition":
            return self.number("nominal", "addition")
        if key == "abs_nominal":
            return abs(self.number("nominal", self.item.nominal or ""))
        raise ValueError(f"unknown key {key!r}")

    def _horizontal_meridian(self, side: str) -> Decimal:
        form = self.nominal_form(side)
        if form.cylinder == 0:
            return abs(form.sphere)
        if form.axis is None:
            raise MissingValueError(f"nominal.{side}.axis")
        return abs(form.sphere + form.cylinder * sin_squared_degrees(form.axis))

    def category_of(self, table_name: str) -> tuple[Decimal, CategoryRow | None]:
        """Filter category of the measured luminous transmittance (``None`` outside every band)."""
        transmittance = self.number("measured", "luminous_transmittance")
        for row in self.document.category_tables[table_name]:
            if row.band.contains(transmittance):
                return transmittance, row
        return transmittance, None

    def limit(self, expression: LimitExpression) -> Decimal:
        if expression.constant is not None:
            return expression.constant
        if expression.factor is not None and expression.of is not None:
            return expression.factor * self.reference(expression.of)
        return max(self.limit(part) for part in expression.greatest)

    # -- results --------------------------------------------------------------------------------

    def result(
        self,
        status: ItemStatus,
        *,
        measured: FieldValue | None = None,
        nominal: FieldValue | None = None,
        deviation: Decimal | None = None,
        acceptance: Acceptance | None = None,
        unit: str | None = None,
        certainty: Certainty | None = None,
        part: str | None = None,
        notes: Sequence[str] = (),
    ) -> ItemResult:
        item = self.item
        all_notes = [*([item.note] if item.note else []), *self.notes, *notes]
        return ItemResult(
            rule_id=item.id,
            label_zh=item.label_zh,
            label_en=item.label_en,
            status=status,
            standard=self.document.designation,
            edition=self.document.edition,
            clause=item.clause,
            certainty=weakest(item.certainty, certainty),
            mandatory=item.mandatory,
            side=self.side,
            part=part,
            measured=measured,
            nominal=nominal,
            deviation=deviation,
            acceptance=acceptance,
            unit=unit if unit is not None else (item.unit or ""),
            confirmed=item.id in self.case.confirmed_rules or item.confirmed_source is not None,
            notes=tuple(dict.fromkeys(all_notes)),
            exclusion_reason=self.case.excluded_rules.get(item.id),
            confirmed_source=item.confirmed_source,
        )

    def judged(
        self,
        checked: Decimal,
        acceptance: Acceptance,
        *,
        measured: FieldValue | None,
        nominal: FieldValue | None = None,
        deviation: Decimal | None = None,
        unit: str | None = None,
        certainty: Certainty | None = None,
        part: str | None = None,
        notes: Sequence[str] = (),
    ) -> ItemResult:
        status = ItemStatus.PASS if acceptance.accepts(checked) else ItemStatus.FAIL
        return self.result(
            status,
            measured=measured,
            nominal=nominal,
            deviation=deviation,
            acceptance=acceptance,
            unit=unit,
            certainty=certainty,
            part=part,
            notes=notes,
        )

    def unit_of(self, field_name: str) -> str:
        spec = self.document.field_spec(field_name)
        return "" if spec is None else CANONICAL_UNIT[spec.quantity]

    def outside_table(self, key: Decimal, what: str) -> ItemResult:
        status = ItemStatus(self.item.outside_table)
        return self.result(status, notes=[f"{what} {format_decimal(key)} is outside the table of this item"])

    # -- applicability -------------------------------------------------------------------------

    def applicability(self) -> tuple[bool | None, str]:
        """``True``/``False``, or ``None`` with the missing value when it cannot be decided."""
        for condition in self.item.conditions:
            holds, description = self._condition(condition)
            if holds is None:
                return None, description
            if not holds:
                return False, description
        return True, ""

    def _condition(self, condition: Condition) -> tuple[bool | None, str]:
        if condition.table is not None:
            description = f"category of measured τv in {list(condition.category_in)}"
            try:
                _, row = self.category_of(condition.table)
            except MissingValueError as missing:
                return condition.if_missing, _when_missing(
                    description, missing.reference, condition.if_missing
                )
            return row is not None and row.category in condition.category_in, description
        reference = condition.field_ref or ""
        role, name = reference.split(".", 1)
        value = self.lookup(role, name)
        if condition.present is not None:
            holds = (value is not None) == condition.present
            return holds, f"{reference} {'present' if condition.present else 'absent'}"
        if condition.equals is not None:
            description = f"{reference} = {str(condition.equals).lower()}"
            if value is None:
                return condition.if_missing, _when_missing(description, reference, condition.if_missing)
            return value == condition.equals, description
        if condition.within is not None:
            description = f"{reference} in {condition.within}"
            if value is None or isinstance(value, bool):
                return condition.if_missing, _when_missing(description, reference, condition.if_missing)
            return condition.within.contains(value), description
        return True, ""


def _when_missing(description: str, reference: str, assumed: bool | None) -> str:
    """Explain an applicability decision taken on an absent value (or that it could not be taken)."""
    if assumed is None:
        return f"{description} (needs {reference})"
    return f"{description} ({reference} not given, taken as {'met' if assumed else 'not met'})"


# ---------------------------------------------------------------------------------------------
# Derivations


def _half_pd(context: ItemContext, side: str | None) -> tuple[FieldValue, str]:
    if context.lookup("nominal", "pd") is not None:
        return context.number("nominal", "pd") / 2, f"nominal {side} monocular PD taken as PD/2"
    return (
        context.number("nominal", "marked_oc_distance") / 2,
        f"nominal {side} monocular value taken as half the marked OC distance",
    )


def _pd_from_monoculars(context: ItemContext, _side: str | None) -> tuple[FieldValue, str]:
    right = context.case.nominal_lenses.get("right", {}).get("monocular_pd")
    left = context.case.nominal_lenses.get("left", {}).get("monocular_pd")
    if not isinstance(right, Decimal) or not isinstance(left, Decimal):
        raise MissingValueError("nominal.pd")
    return right + left, "nominal PD taken as the sum of the monocular PDs"


def _oc_from_monoculars(context: ItemContext, _side: str | None) -> tuple[FieldValue, str]:
    return (
        context.number("measured", "oc_monocular", "right")
        + context.number("measured", "oc_monocular", "left"),
        "measured OC distance taken as the sum of the monocular OC distances",
    )


def _vertical_from_heights(context: ItemContext, _side: str | None) -> tuple[FieldValue, str]:
    difference = abs(
        context.number("measured", "oc_height", "right") - context.number("measured", "oc_height", "left")
    )
    return difference, "vertical difference taken from the right and left OC heights"


def _prentice(decentration_mm: Decimal, power: Decimal) -> Decimal:
    """Prentice's rule, P = c·F with c in centimetres."""
    return abs(decentration_mm) * PRENTICE_CM_PER_MM * power


def _total_prism(context: ItemContext, _side: str | None) -> tuple[FieldValue, str]:
    power = context.key_value("strongest_meridian_of_pair")
    decentration = context.number("measured", "oc_distance") - context.number("nominal", "pd")
    return (
        _prentice(decentration, power),
        "horizontal prism derived by Prentice's rule from the OC-distance deviation and the strongest "
        "nominal meridian (measure it directly for a firm result)",
    )


def _side_prism(context: ItemContext, side: str | None) -> tuple[FieldValue, str]:
    power = context.key_value("strongest_meridian_of_pair")
    decentration = context.number("measured", "oc_monocular", side) - context.number(
        "nominal", "monocular_pd", side
    )
    return (
        _prentice(decentration, power),
        f"{side} horizontal prism derived by Prentice's rule from the monocular decentration",
    )


def _vertical_prism(context: ItemContext, _side: str | None) -> tuple[FieldValue, str]:
    power = context.key_value("strongest_meridian_of_pair")
    return (
        _prentice(context.number("measured", "vertical_difference"), power),
        "vertical prism difference derived by Prentice's rule from the OC height difference",
    )


_DERIVATIONS: dict[tuple[str, str], Callable[[ItemContext, str | None], tuple[FieldValue, str]]] = {
    ("nominal", "monocular_pd"): _half_pd,
    ("nominal", "pd"): _pd_from_monoculars,
    ("measured", "oc_distance"): _oc_from_monoculars,
    ("measured", "vertical_difference"): _vertical_from_heights,
    ("measured", "horizontal_prism_total"): _total_prism,
    ("measured", "horizontal_prism"): _side_prism,
    ("measured", "vertical_prism_difference"): _vertical_prism,
}


# ---------------------------------------------------------------------------------------------
# Kinds


def _power_row(context: ItemContext, key: Decimal) -> tuple[int, Decimal] | None:
    table = context.document.power_tables[context.item.table or ""]
    for index, row in enumerate(table.rows):
        if row.band.contains(key):
            return index, row.meridian
    return None


def judge_power_meridians(context: ItemContext) -> list[ItemResult]:
    """Table A: each principal meridian, after putting both forms in the nominal's cylinder convention."""
    nominal = context.nominal_form()
    plus_form = nominal.cylinder > 0
    measured = context.measured_form().in_convention(plus_form)
    key = nominal.strongest_meridian
    found = _power_row(context, key)
    if found is None:
        return [context.outside_table(key, "strongest nominal meridian")]
    _, tolerance = found
    convention = "plus" if plus_form else "minus"
    results = []
    for part, nominal_power, measured_power in zip(
        ("meridian_1", "meridian_2"), nominal.meridians, measured.meridians, strict=True
    ):
        deviation = measured_power - nominal_power
        results.append(
            context.judged(
                deviation,
                symmetric_tolerance(tolerance),
                measured=measured_power,
                nominal=nominal_power,
                deviation=deviation,
                unit="D",
                part=part,
                notes=[
                    f"row key {format_decimal(key)} D; meridians compared in {convention}-cylinder form "
                    "(meridian_1 = sphere, meridian_2 = sphere + cylinder)"
                ],
            )
        )
    return results


def judge_power_cylinder(context: ItemContext) -> list[ItemResult]:
    """Table B: cylinder power, column chosen by the nominal |C|, row by the strongest meridian."""
    nominal = context.nominal_form()
    measured = context.measured_form().in_convention(nominal.cylinder > 0)
    key = nominal.strongest_meridian
    table = context.document.power_tables[context.item.table or ""]
    found = _power_row(context, key)
    if found is None:
        return [context.outside_table(key, "strongest nominal meridian")]
    row_index, _ = found
    column = next(
        (index for index, band in enumerate(table.columns) if band.contains(abs(nominal.cylinder))), None
    )
    if column is None:
        return [context.outside_table(abs(nominal.cylinder), "nominal |cylinder|")]
    tolerance = table.rows[row_index].cylinder[column]
    deviation = abs(measured.cylinder) - abs(nominal.cylinder)
    return [
        context.judged(
            deviation,
            symmetric_tolerance(tolerance),
            measured=measured.cylinder,
            nominal=nominal.cylinder,
            deviation=deviation,
            unit="D",
            notes=[f"row key {format_decimal(key)} D, column |C| {format_decimal(abs(nominal.cylinder))} D"],
        )
    ]


def _band_row(context: ItemContext, key: Decimal) -> BandRow | None:
    return next(
        (row for row in context.document.band_tables[context.item.table or ""] if row.band.contains(key)),
        None,
    )


def judge_axis(context: ItemContext) -> list[ItemResult]:
    """Axis on the 0–180° circle, with the measured form transposed into the nominal's convention."""
    nominal = context.nominal_form()
    key = abs(nominal.cylinder)
    row = _band_row(context, key) if key != 0 else None
    if row is None or row.tolerance is None:
        return [context.outside_table(key, "nominal |cylinder|")]
    if nominal.axis is None:
        raise MissingValueError(f"nominal.{context.side}.axis")
    measured = context.measured_form(need_axis=True)
    if measured.cylinder == 0 or measured.axis is None:
        return [
            context.result(
                ItemStatus.NOT_ASSESSED, notes=["the measured lens shows no cylinder, so it has no axis"]
            )
        ]
    measured = measured.in_convention(nominal.cylinder > 0)
    assert measured.axis is not None
    deviation = axis_difference(measured.axis, nominal.axis)
    return [
        context.judged(
            deviation,
            symmetric_tolerance(row.tolerance),
            measured=measured.axis,
            nominal=nominal.axis,
            deviation=deviation,
            unit="°",
            certainty=row.certainty,
            notes=[f"|C| {format_decimal(key)} D; axis difference measured on the 180° circle"],
        )
    ]


def judge_band_by_value(context: ItemContext) -> list[ItemResult]:
    item = context.item
    key = context.key_value(item.key or "")
    row = _band_row(context, key)
    if row is None:
        return [context.outside_table(key, f"{item.key}")]
    measured_field = row.measured or item.measured or ""
    nominal_field = row.nominal or item.nominal
    unit = row.unit or item.unit or context.unit_of(measured_field)
    notes = [
        f"band {row.band} chosen by {item.key} = {format_decimal(key)}",
        *([row.note] if row.note else []),
    ]
    measured = context.number("measured", measured_field)
    if row.tolerance is not None and nominal_field is not None:
        nominal = context.number("nominal", nominal_field)
        deviation = measured - nominal
        tolerance = row.tolerance
        if row.per_dioptre is not None:
            strongest = context.key_value(
                "strongest_meridian" if item.per_lens else "strongest_meridian_of_pair"
            )
            tolerance = row.tolerance + row.per_dioptre * strongest
            notes.append(
                f"tolerance = {format_decimal(row.tolerance)} + {format_decimal(row.per_dioptre)} × Smax "
                f"({format_decimal(strongest)} D) = {format_decimal(tolerance)}"
            )
        return [
            context.judged(
                deviation,
                symmetric_tolerance(tolerance),
                measured=measured,
                nominal=nominal,
                deviation=deviation,
                unit=unit,
                certainty=row.certainty,
                notes=notes,
            )
        ]
    limit = row.limit if row.limit is not None else Decimal(0)
    return [
        context.judged(
            measured, at_most(limit), measured=measured, unit=unit, certainty=row.certainty, notes=notes
        )
    ]


def judge_max_abs_deviation(context: ItemContext) -> list[ItemResult]:
    item = context.item
    measured = context.number("measured", item.measured or "")
    nominal = context.number("nominal", item.nominal or "")
    deviation = measured - nominal
    return [
        context.judged(
            deviation,
            symmetric_tolerance(item.tolerance or Decimal(0)),
            measured=measured,
            nominal=nominal,
            deviation=deviation,
            unit=item.unit or context.unit_of(item.measured or ""),
        )
    ]


def _interval_acceptance(interval: Interval) -> Acceptance:
    return Acceptance("value", interval.low, interval.low_inclusive, interval.high, interval.high_inclusive)


def judge_range(context: ItemContext) -> list[ItemResult]:
    item = context.item
    assert item.accept is not None
    measured = context.number("measured", item.measured or "")
    return [
        context.judged(
            measured,
            _interval_acceptance(item.accept),
            measured=measured,
            unit=item.unit or context.unit_of(item.measured or ""),
        )
    ]


_COMPARISONS: dict[str, Callable[[Decimal], Acceptance]] = {
    "at_most": at_most,
    "at_least": at_least,
    "below": lambda limit: Acceptance("value", None, False, limit, False),
    "above": lambda limit: Acceptance("value", limit, False, None, False),
}


def judge_ratio_limit(context: ItemContext) -> list[ItemResult]:
    item = context.item
    measured = context.number("measured", item.measured or "")
    base = context.reference(item.of or "")
    limit = (item.factor or Decimal(0)) * base
    return [
        context.judged(
            measured,
            _COMPARISONS[item.comparison or "at_most"](limit),
            measured=measured,
            unit=item.unit or context.unit_of(item.measured or ""),
            notes=[
                f"limit = {format_decimal(item.factor or Decimal(0))} × {item.of} ({format_decimal(base)}) "
                f"= {format_decimal(limit)}"
            ],
        )
    ]


def judge_limit_by_category(context: ItemContext) -> list[ItemResult]:
    item = context.item
    transmittance, category = context.category_of(item.category_table or "")
    if category is None:
        return [
            context.result(
                ItemStatus.NOT_ASSESSED,
                notes=[
                    f"τv {format_decimal(transmittance)} % is outside every category, so no limit applies"
                ],
            )
        ]
    row = next((row for row in item.category_rows if category.category in row.categories), None)
    if row is None:
        return [
            context.result(ItemStatus.NOT_APPLICABLE, notes=[f"no limit for category {category.category}"])
        ]
    measured = context.number("measured", item.measured or "")
    limit = context.limit(row.limit)
    return [
        context.judged(
            measured,
            at_most(limit),
            measured=measured,
            unit=item.unit or context.unit_of(item.measured or ""),
            certainty=row.certainty,
            notes=[
                f"category {category.category} (τv {format_decimal(transmittance)} %): "
                f"limit {format_decimal(limit)}"
            ],
        )
    ]


def judge_category(context: ItemContext) -> list[ItemResult]:
    """Measured τv classified with the table's exact band ends, then compared with the declared category."""
    item = context.item
    transmittance, row = context.category_of(item.table or "")
    declared = context.number("nominal", item.nominal or "")
    if row is None:
        return [
            context.result(
                ItemStatus.FAIL,
                measured=transmittance,
                nominal=declared,
                unit="%",
                notes=[f"τv {format_decimal(transmittance)} % falls in no category of the table"],
            )
        ]
    status = ItemStatus.PASS if Decimal(row.category) == declared else ItemStatus.FAIL
    return [
        context.result(
            status,
            measured=transmittance,
            nominal=declared,
            unit="%",
            acceptance=_interval_acceptance(
                next(
                    (
                        candidate.band
                        for candidate in context.document.category_tables[item.table or ""]
                        if Decimal(candidate.category) == declared
                    ),
                    row.band,
                )
            ),
            notes=[
                f"τv {format_decimal(transmittance)} % is category {row.category} "
                f"({row.label_zh} / {row.label_en}), band {row.band}"
            ],
        )
    ]


def judge_boolean(context: ItemContext) -> list[ItemResult]:
    item = context.item
    value = context.require("measured", item.measured or "")
    status = ItemStatus.PASS if value is item.expected else ItemStatus.FAIL
    return [context.result(status, measured=value, nominal=item.expected)]


def judge_same_as_nominal(context: ItemContext) -> list[ItemResult]:
    """A yes/no finding that must match the nominal one (e.g. a prism's base direction)."""
    name = context.item.measured or ""
    nominal = context.require("nominal", name)
    measured = context.require("measured", name)
    status = ItemStatus.PASS if measured is nominal else ItemStatus.FAIL
    return [context.result(status, measured=measured, nominal=nominal)]


def judge_lens_difference(context: ItemContext) -> list[ItemResult]:
    """Right–left difference of a per-lens value, compared with the nominal difference."""
    item = context.item
    name = item.field_name or ""
    measured = context.number("measured", name, "right") - context.number("measured", name, "left")
    nominal = context.number("nominal", name, "right") - context.number("nominal", name, "left")
    deviation = measured - nominal
    return [
        context.judged(
            deviation,
            symmetric_tolerance(item.tolerance or Decimal(0)),
            measured=measured,
            nominal=nominal,
            deviation=deviation,
            unit=item.unit or context.unit_of(name),
            notes=[f"right − left {name}"],
        )
    ]


KIND_JUDGES: dict[str, Callable[[ItemContext], list[ItemResult]]] = {
    "power_meridians": judge_power_meridians,
    "power_cylinder": judge_power_cylinder,
    "axis_by_cylinder": judge_axis,
    "band_by_value": judge_band_by_value,
    "max_abs_deviation": judge_max_abs_deviation,
    "range": judge_range,
    "ratio_limit": judge_ratio_limit,
    "limit_by_category": judge_limit_by_category,
    "category_by_transmittance": judge_category,
    "boolean_required": judge_boolean,
    "lens_difference": judge_lens_difference,
    "same_as_nominal": judge_same_as_nominal,
}
