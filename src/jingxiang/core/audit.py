"""How the audit log reads to people: field labels and human values, with personal values masked.

django-auditlog stores every change as strings (``"True"``, ``"2026-06-20"``, a primary key, an enum
code, a JSON dump, a UTC timestamp). The timeline turns those back into what the form showed: the
field's label, the choice's label, the date in the house format, money as ``¥12,345.00``, the related
record's name (one query per related model for a whole timeline, not one per line) and 是/否.

django-auditlog's default mask keeps the last half of a value, which together with the UI's mask
would reveal all but two digits of a mobile number: :func:`mask_personal_value` is used instead.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext

from jingxiang.identifiers import mask_mobile, mask_resident_id

# Long texts (descriptions, agreement terms) are cut in the timeline; the record itself shows them whole.
TRUNCATE_AT = 140
EMPTY = "—"


def mask_personal_value(value: str) -> str:
    """Mask a value recorded in the audit log by its shape (mobile, ID number, anything else)."""
    text = str(value or "")
    if len(text) == 11 and text.isdigit():
        return mask_mobile(text)
    if len(text) == 18:
        return mask_resident_id(text)
    return "*" * len(text)


@dataclass(frozen=True)
class ChangeLine:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class TimelineEntry:
    timestamp: dt.datetime
    actor: str
    action: int
    action_label: str
    changes: list[ChangeLine] = field(default_factory=list)


# Fields whose values need a formatter the field type does not imply: (model label, field) → formatter.
_formatters: dict[tuple[str, str], Callable[[str], str]] = {}


def register_audit_format(
    model: type[models.Model], field_name: str, formatter: Callable[[str], str]
) -> None:
    """Show one field's logged values with ``formatter`` (called from AppConfig.ready).

    The field type decides the format for everything else; this is for the exceptions (a rate stored as
    a fraction that people read as a percentage, say).
    """
    _formatters[(model._meta.label_lower, field_name)] = formatter


def is_money(model_field: models.Field) -> bool:
    """Money in this project is a Decimal with two places and at least ten digits (yuan up to 亿);
    hours, rates and percentages are narrower, so the shape alone tells them apart."""
    return (
        isinstance(model_field, models.DecimalField)
        and model_field.decimal_places == 2
        and (model_field.max_digits or 0) >= 10
    )


def _personal_fields(model: type[models.Model]) -> set[str]:
    """Fields masked in the log (auditlog's mask_fields) or revealable only by policy (PIPL)."""
    from auditlog.registry import auditlog

    from jingxiang.core.services import reveal_policy

    label = model._meta.label_lower
    names = {f.name for f in model._meta.concrete_fields if reveal_policy(label, f.name) is not None}
    if auditlog.contains(model):
        names |= set(auditlog.get_model_fields(model).get("mask_fields") or [])
    return names


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in {"", "None"})


def _truncate(text: str) -> str:
    return text if len(text) <= TRUNCATE_AT else text[:TRUNCATE_AT] + "…"


def _yes_no(value: Any) -> str:
    text = str(value).strip().lower()
    if text in {"true", "1"}:
        return pgettext("是否", "是")
    if text in {"false", "0"}:
        return pgettext("是否", "否")
    return str(value)


def _number(value: str) -> str:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return formats.number_format(number, use_l10n=True, force_grouping=abs(number) >= 10000)


def _money(value: str) -> str:
    from jingxiang.core.templatetags.jx import money

    return money(value)


def _date(value: str) -> str:
    try:
        return formats.date_format(dt.date.fromisoformat(str(value)[:10]), "DATE_FORMAT")
    except ValueError:
        return str(value)


def _datetime(value: str) -> str:
    """Logged datetimes are naive UTC (auditlog strips the zone before comparing)."""
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.UTC)
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _time(value: str) -> str:
    try:
        return formats.time_format(dt.time.fromisoformat(str(value)), "TIME_FORMAT")
    except ValueError:
        return str(value)


def _json_text(value: Any) -> str:
    """Lists read as 甲、乙; objects as 键: 值; nothing shows braces or quotes."""
    separator = pgettext("列表分隔符", "、")
    if isinstance(value, bool):
        return _yes_no(value)
    if value is None or value == "":
        return EMPTY
    if isinstance(value, list):
        return separator.join(_json_text(item) for item in value) or EMPTY
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_json_text(item)}" for key, item in value.items()) or EMPTY
    return str(value)


def _json(value: str) -> str:
    try:
        return _json_text(json.loads(value))
    except (TypeError, ValueError):
        return str(value)


def _related_names(model: type[models.Model], pks: set[str]) -> dict[str, str]:
    """Names of the related records, in one query; their own to-one relations come in the same join
    because many ``__str__`` methods read them (a proposal names its demand's number)."""
    keys = []
    for pk in pks:
        # A malformed key (logged before a type change) stays unresolved and shows as deleted.
        with contextlib.suppress(ValidationError):
            keys.append(model._meta.pk.to_python(pk))
    if not keys:
        return {}
    joins = [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey | models.OneToOneField) and f.related_model is not model
    ]
    rows = model._base_manager.select_related(*joins).filter(pk__in=keys)
    return {str(row.pk): str(row) for row in rows}


class _QueryNeeded(Exception):
    pass


def _refuse_queries(*_args: Any) -> Any:
    raise _QueryNeeded


def _loaded_names(instance: models.Model | None) -> dict[type[models.Model], dict[str, str]]:
    """Names of the records the page already holds through ``instance``'s loaded to-one relations
    (a detail page selects its firm, people and parent records): the timeline names them without
    asking the database again. A name whose ``__str__`` would need a query is left to
    ``_related_names``, so this never adds a query; values the log holds from before a change (another
    firm) are not among them and are still read."""
    known: dict[type[models.Model], dict[str, str]] = defaultdict(dict)
    if instance is None:
        return known
    from django.db import connections, router

    alias = router.db_for_read(type(instance))
    for relation in instance._meta.concrete_fields:
        if not isinstance(relation, models.ForeignKey | models.OneToOneField) or not relation.is_cached(
            instance
        ):
            continue
        related = relation.get_cached_value(instance)
        if related is None:
            continue
        try:
            with connections[alias].execute_wrapper(_refuse_queries):
                name = str(related)
        except _QueryNeeded:
            continue
        known[relation.related_model][str(related.pk)] = name
    return known


class _Describer:
    """Formats the changes of many log entries, resolving related records per model in one query."""

    def __init__(self, entries: list[Any], instance: models.Model | None = None) -> None:
        self.entries = entries
        self.instance = instance
        self.names: dict[type[models.Model], dict[str, str]] = {}
        self.personal: set[str] = set()

    def _field(self, model: type[models.Model] | None, name: str) -> models.Field | None:
        if model is None:
            return None
        try:
            found = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        return found if isinstance(found, models.Field) else None

    def _changes(self, entry: Any) -> dict[str, Any]:
        changes = entry.changes
        if isinstance(changes, str):
            try:
                changes = json.loads(changes)
            except ValueError:
                return {}
        return changes if isinstance(changes, dict) else {}

    def resolve_relations(self) -> None:
        wanted: dict[type[models.Model], set[str]] = defaultdict(set)
        for entry in self.entries:
            model = entry.content_type.model_class()
            for name, values in self._changes(entry).items():
                model_field = self._field(model, name)
                if model_field is None or not model_field.is_relation or model_field.many_to_many:
                    continue
                if isinstance(values, list | tuple):
                    wanted[model_field.related_model].update(
                        str(value) for value in values if not _is_empty(value)
                    )
        known = _loaded_names(self.instance) if wanted else {}
        names: dict[type[models.Model], dict[str, str]] = {}
        for model, pks in wanted.items():
            held = known.get(model, {})
            names[model] = {pk: held[pk] for pk in pks if pk in held}
            missing = {pk for pk in pks if pk not in held}
            if missing:
                names[model].update(_related_names(model, missing))
        self.names = names

    def value(self, model: type[models.Model], model_field: models.Field | None, raw: Any) -> str:
        if model_field is not None and isinstance(model_field, models.BooleanField):
            return EMPTY if _is_empty(raw) else _yes_no(raw)
        if _is_empty(raw):
            return EMPTY
        text = str(raw)
        if model_field is None:
            return _truncate(text)
        custom = _formatters.get((model._meta.label_lower, model_field.name))
        if custom is not None:
            return custom(text)
        if model_field.name in self.personal:
            # Entries logged before a field was masked still show only the mask.
            return text if "*" in text else mask_personal_value(text)
        if model_field.is_relation:
            related = self.names.get(model_field.related_model, {})
            return related.get(text) or gettext("已删除的记录(#%(pk)s)") % {"pk": text}
        if model_field.choices:
            labels = {str(key): str(label) for key, label in model_field.flatchoices}
            return labels.get(text, text)
        if is_money(model_field):
            return _money(text)
        if isinstance(model_field, models.DateTimeField):
            return _datetime(text)
        if isinstance(model_field, models.DateField):
            return _date(text)
        if isinstance(model_field, models.TimeField):
            return _time(text)
        if isinstance(model_field, models.DecimalField | models.FloatField | models.IntegerField):
            return _number(text)
        if isinstance(model_field, models.JSONField):
            return _truncate(_json(text))
        return _truncate(text)

    def lines(self, entry: Any) -> list[ChangeLine]:
        model = entry.content_type.model_class()
        self.personal = _personal_fields(model) if model is not None else set()
        lines = []
        for name, values in self._changes(entry).items():
            model_field = self._field(model, name)
            label = str(model_field.verbose_name) if model_field is not None else name
            if isinstance(values, dict) and values.get("type") == "m2m":
                objects = pgettext("列表分隔符", "、").join(str(o) for o in values.get("objects", []))
                if values.get("operation") == "delete":
                    lines.append(ChangeLine(label, _truncate(objects), EMPTY))
                else:
                    lines.append(ChangeLine(label, EMPTY, _truncate(objects)))
                continue
            if not isinstance(values, list | tuple) or len(values) != 2:
                continue
            before, after = (self.value(model, model_field, value) for value in values)
            lines.append(ChangeLine(label, before, after))
        return lines


def _action_label(action: int) -> str:
    return {
        0: pgettext("操作记录", "创建"),
        1: pgettext("操作记录", "修改"),
        2: pgettext("操作记录", "删除"),
    }.get(action, pgettext("操作记录", "访问"))


def describe_entries(entries: Iterable[Any], instance: models.Model | None = None) -> list[TimelineEntry]:
    """Log entries as the timeline shows them (only changes carry their lines: a creation would
    repeat the whole record, which the page already shows). ``instance``, the record the entries are
    about, lends the names of the related records it has already loaded."""
    entries = list(entries)
    describer = _Describer(entries, instance)
    describer.resolve_relations()
    described = []
    for entry in entries:
        actor = str(entry.actor) if entry.actor_id else gettext("系统")
        lines = describer.lines(entry) if entry.action == 1 else []
        described.append(
            TimelineEntry(entry.timestamp, actor, entry.action, _action_label(entry.action), lines)
        )
    return described
