"""The lab's side of the conformance engine: which editions exist, what to enter, how to judge.

Everything standard-specific comes from ``jingxiang.quality`` (built-in rules files plus the
editions operators uploaded, stored as ``RulesFile`` rows); this module only turns it into form
fields, case mappings and Chinese messages.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from jingxiang.quality import (
    CaseRejectedError,
    Problem,
    RuleRegistry,
    RulesInvalidError,
    edition_gaps,
    item_catalogue,
    judge,
)

SERIES_PREFIX = "series:"
SIDE_LABELS = {
    "right": gettext_lazy("右眼"),
    "left": gettext_lazy("左眼"),
    "lens": gettext_lazy("镜片"),
    "": "",
}
BOOLEAN_CHOICES = [("", gettext_lazy("未检")), ("yes", gettext_lazy("是")), ("no", gettext_lazy("否"))]


def registry() -> RuleRegistry:
    """Built-in editions plus every active uploaded edition."""
    from jingxiang.lab.models import RulesFile

    return _registry_with(tuple(RulesFile.objects.active().order_by("pk").values_list("filename", "text")))


@lru_cache(maxsize=8)
def _registry_with(uploads: tuple[tuple[str, str], ...]) -> RuleRegistry:
    # Parsing YAML is the slow part; the same set of uploads always gives the same registry.
    base = RuleRegistry.builtin()
    if not uploads:
        return base
    try:
        return base.with_documents(uploads)
    except RulesInvalidError:
        # Uploads are validated as a set before they are stored; if a later engine release makes an
        # old upload invalid, judge with the built-in editions rather than fail every page.
        return base


def confirmed_rules(designation: str) -> list[str]:
    """U rules of an edition that operators confirmed against the standard text."""
    from jingxiang.lab.models import RuleConfirmation

    return sorted(
        RuleConfirmation.objects.active().filter(designation=designation).values_list("rule_id", flat=True)
    )


def period_zh(document: Any) -> str:
    """An edition's period in force, in Chinese ("2012-02-01 至 2026-02-28")."""
    start = document.effective_from.isoformat() if document.effective_from else _("起始日期未记录")
    end = document.effective_until.isoformat() if document.effective_until else _("至今")
    return f"{start} — {end}"


def document_title(document: Any) -> str:
    """An edition's title in the active language; the Chinese title when no English one is known."""
    title_en = getattr(document, "title_en", "") or ""
    return title_en if title_en and (get_language() or "").startswith("en") else document.title_zh


def standard_choices(product_type: str, reg: RuleRegistry | None = None) -> list[tuple[str, str]]:
    """Series ("edition in force on the test date") first, then each edition by name."""
    reg = reg or registry()
    documents = [d for d in reg.documents if product_type in {p.value for p in d.product_types}]
    series = sorted({d.series for d in documents})
    choices = [(f"{SERIES_PREFIX}{s}", _("%(s)s(检测日现行有效版本)") % {"s": s}) for s in series]
    for document in sorted(documents, key=lambda d: d.designation):
        choices.append(
            (
                document.designation,
                f"{document.designation} {document_title(document)}({period_zh(document)})",
            )
        )
    return choices


def find_designation(
    product_type: str, standard: str, on: datetime.date, reg: RuleRegistry | None = None
) -> str | ValidationError:
    """The edition a sample is judged against, or why none applies (zh) — a page can show it as is."""
    reg = reg or registry()
    if standard.startswith(SERIES_PREFIX):
        series = standard[len(SERIES_PREFIX) :]
        in_force = [d for d in reg.documents if d.series == series and d.in_force_on(on)]
        covering = [d for d in in_force if product_type in {p.value for p in d.product_types}]
        if not covering:
            return ValidationError(
                _(
                    "%(series)s 在 %(date)s 没有现行有效的版本覆盖该产品类型;请指定具体的标准版本,或由平台运营上传新版本规则文件。"
                )
                % {"series": series, "date": on.isoformat()},
                code="no_edition_in_force",
            )
        return covering[0].designation
    document = reg.find(standard)
    if document is None:
        return ValidationError(_("未知的标准版本:%(s)s。") % {"s": standard}, code="unknown_standard")
    if product_type not in {p.value for p in document.product_types}:
        return ValidationError(
            _("标准 %(s)s 不适用于该产品类型,请选择适用的标准。") % {"s": document.designation},
            code="wrong_standard_for_product",
        )
    return document.designation


def resolve_designation(
    product_type: str, standard: str, on: datetime.date, reg: RuleRegistry | None = None
) -> str:
    """The edition a sample is judged against; ValidationError (zh) when none applies."""
    found = find_designation(product_type, standard, on, reg)
    if isinstance(found, ValidationError):
        raise found
    return found


@dataclass(frozen=True)
class EntryField:
    """One value on the result-entry form."""

    key: str
    role: str
    side: str
    name: str
    label: str
    unit: str
    quantity: str

    @property
    def is_boolean(self) -> bool:
        return self.quantity == "boolean"


@dataclass(frozen=True)
class EntryItem:
    rule_id: str
    label: str
    clause: str
    mandatory: bool
    certainty: str
    conditions: tuple[str, ...]


def catalogue(
    product_type: str, designation: str, items: list[str] | None = None, reg: RuleRegistry | None = None
) -> tuple[list[EntryItem], list[EntryField]]:
    """Items of the edition (restricted to the requested ones) and the fields they need."""
    reg = reg or registry()
    document = reg.find(designation)
    entries = item_catalogue(product_type, designation, registry=reg)
    if items:
        entries = [entry for entry in entries if entry.rule_id in items]
    shown: list[EntryItem] = []
    fields: dict[str, EntryField] = {}
    # Whole-product items may still read per-lens values (e.g. the R/L difference): use the
    # product's lens entries for those.
    lens_sides: list[str] = []
    for entry in item_catalogue(product_type, designation, registry=reg):
        lens_sides.extend(side for side in entry.sides if side not in lens_sides)
    for entry in entries:
        shown.append(
            EntryItem(
                entry.rule_id,
                entry.label_zh,
                entry.clause,
                entry.mandatory,
                entry.certainty,
                entry.conditions,
            )
        )
        for field in entry.fields:
            sides = (list(entry.sides) or lens_sides or ["right", "left"]) if field.per_lens else [""]
            for side in sides:
                key = f"{field.role}__{side or 'all'}__{field.name}"
                if key in fields:
                    continue
                spec = document.field_spec(field.name) if document else None
                quantity = spec.quantity.value if spec is not None else "quotient"
                fields[key] = EntryField(
                    key, field.role, side, field.name, field.label_zh, field.unit, quantity
                )
    ordered = sorted(fields.values(), key=lambda f: (f.role != "nominal", f.side != "", f.side, f.key))
    return shown, ordered


def split_values(fields: list[EntryField], cleaned: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Form values → the engine's ``nominal`` / ``measured`` mappings (blank values left out)."""
    parts: dict[str, dict[str, Any]] = {"nominal": {}, "measured": {}}
    for field in fields:
        value = cleaned.get(field.key)
        if value in (None, ""):
            continue
        if field.is_boolean:
            value = value == "yes"
        target = parts[field.role]
        if field.side:
            target = target.setdefault(field.side, {})
        target[field.name] = value
    return parts["nominal"], parts["measured"]


def flatten_values(
    fields: list[EntryField], nominal: dict[str, Any], measured: dict[str, Any]
) -> dict[str, Any]:
    """The reverse of ``split_values``: stored mappings → form initial data."""
    initial: dict[str, Any] = {}
    parts = {"nominal": nominal or {}, "measured": measured or {}}
    for field in fields:
        source = parts[field.role]
        if field.side:
            source = source.get(field.side) or {}
        if field.name not in source:
            continue
        value = source[field.name]
        if field.is_boolean:
            value = "yes" if value else "no"
        initial[field.key] = value
    return initial


def _field_label(path: str, labels: dict[str, str]) -> str:
    parts = [part for part in path.split("/") if part and part != "value"]
    role = {"nominal": _("标称"), "measured": _("实测")}.get(parts[0], "") if parts else ""
    rest = [str(SIDE_LABELS.get(part) or labels.get(part, part)) for part in parts[1:]]
    return " ".join([role, *rest]).strip()


def field_labels(designation: str, reg: RuleRegistry | None = None) -> dict[str, str]:
    """Chinese labels of every field the edition's items read (for messages)."""
    document = (reg or registry()).find(designation)
    if document is None:
        return {}
    labels: dict[str, str] = {}
    for product_type in document.product_types:
        for entry in item_catalogue(product_type, document.designation, registry=reg):
            for field in entry.fields:
                labels[field.name] = field.label_zh
    return labels


def problem_message(problem: Problem, labels: dict[str, str] | None = None) -> str:
    """A Chinese sentence for one engine refusal, naming the field and the rule broken."""
    where = _field_label(problem.path, labels or {})
    templates = {
        "implausible": _("“%(where)s”的数值超出物理上可能的范围,请核对数值和单位。"),
        "type": _("“%(where)s”格式不正确:应填写数字(或 是/否)。"),
        "unit": _("“%(where)s”的单位不被接受,请使用表单注明的单位。"),
        "unit_mismatch": _("“%(where)s”疑似单位混淆(如把厘米当作毫米、把比值当作百分数),请核对。"),
        "ambiguous_unit": _("“%(where)s”疑似单位混淆(如把比值当作百分数),请核对或注明单位。"),
        "wrong_standard_for_product": _("所选标准不适用于该产品类型。"),
        "lens_side": _("“%(where)s”镜片位置不适用于该产品类型。"),
        "lens_field": _("“%(where)s”应按左右眼分别填写。"),
        "date": _("检测日期格式不正确。"),
    }
    template = templates.get(problem.code, _("“%(where)s”:输入有误。"))
    return f"{template % {'where': where or _('检测数据')}}({problem.message})"


def run_judge(case: dict[str, Any], reg: RuleRegistry | None = None) -> dict[str, Any]:
    """Judge a case mapping; refusals become one ValidationError listing every problem in Chinese."""
    reg = reg or registry()
    try:
        verdict = judge(case, registry=reg)
    except CaseRejectedError as rejected:
        labels = field_labels(str(case.get("standard") or ""), reg)
        raise ValidationError(
            [
                ValidationError(problem_message(problem, labels), code="rejected")
                for problem in rejected.problems
            ]
        ) from None
    return verdict.to_dict()


def failing_indicative(verdict: dict[str, Any]) -> list[str]:
    """U-rule ids that fail in this verdict but do not decide it (candidates for confirmation)."""
    return sorted(set(verdict.get("indicative_findings") or []))


@dataclass(frozen=True)
class EditionNotice:
    """What a request must be told when it is made: editions in force with no rules loaded.

    ``blocking`` = the standard asked for cannot be judged as "the edition in force" today: the
    request proceeds only under an edition the client names in the contract, or waits for the
    operator's upload of ``awaiting``.
    """

    gaps: list[dict[str, Any]]
    blocking: bool
    awaiting: str
    messages: list[str]


def edition_notice(
    product_type: str, standard: str, on: datetime.date, reg: RuleRegistry | None = None
) -> EditionNotice:
    """The notice for a request of ``product_type`` against ``standard`` made on ``on``."""
    reg = reg or registry()
    if standard.startswith(SERIES_PREFIX):
        series: str | None = standard[len(SERIES_PREFIX) :]
        document = None
    else:
        document = reg.find(standard)
        series = document.series if document is not None else None
    gaps = edition_gaps(product_type, on, reg, series=series)
    messages = []
    blocking = False
    awaiting = ""
    for gap in gaps:
        edition = gap.edition
        values = {"d": edition.designation, "from": edition.effective_from.isoformat(), "s": edition.series}
        if gap.blocks and document is None:
            blocking, awaiting = True, edition.designation
            messages.append(
                _(
                    "%(s)s 的现行有效版本是 %(d)s(%(from)s 起实施),平台尚无该版本的规则文件(其数值未能取得),"
                    "无法按“现行有效版本”判定。"
                )
                % values
            )
        elif gap.blocks or (edition.relation == "replaces" and document is not None):
            messages.append(
                _("注意:%(s)s 的现行有效版本是 %(d)s(%(from)s 起实施),所选版本不是现行有效版本。") % values
            )
        else:
            messages.append(
                _("另有强制性标准 %(d)s 自 %(from)s 起实施,平台尚无其规则文件;本次检测不包括它的要求。")
                % values
                if edition.mandatory
                else _("另有 %(d)s 自 %(from)s 起实施,平台尚无其规则文件。") % values
            )
    if document is None and series is not None and not blocking:
        covering = [
            d
            for d in reg.documents
            if d.series == series and d.in_force_on(on) and product_type in {p.value for p in d.product_types}
        ]
        if not covering:
            blocking, awaiting = True, series
            messages.append(
                _("%(s)s 在 %(on)s 没有覆盖该产品类型的现行有效版本规则,无法按“现行有效版本”判定。")
                % {"s": series, "on": on.isoformat()}
            )
    if document is not None and not document.in_force_on(on):
        blocking = True
        if not any(gap.blocks or gap.edition.relation == "replaces" for gap in gaps):
            messages.append(
                _("所选版本 %(d)s 在 %(on)s 不是现行有效版本(有效期 %(p)s)。")
                % {"d": document.designation, "on": on.isoformat(), "p": period_zh(document)}
            )
    return EditionNotice([gap.to_dict() for gap in gaps], blocking, awaiting, messages)
