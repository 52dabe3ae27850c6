"""The record sources that indicators count: one named, tested query per figure, in the app that owns the records.

An app declares in its ``indicators.py`` (found by ``insights`` at start-up, so no shared file grows
with every app)::

    register_source(RecordSource(
        key="sharing.patents", label=gettext_lazy("专利成果"), queryset=lambda: Outcome.objects.exclude(patent_number=""),
        date_field="created_at", organisation_field="agreement__host", measure=Count(),
        visible=lambda user: Outcome.objects.visible_to(user),
        columns=[Column(gettext_lazy("专利申请号"), lambda o: o.patent_number)], url=lambda o: reverse(...),
    ))

The indicator file (``indicators.yaml``) names a source by its key; a figure is always computed from
the source's queryset, and its drill-down lists exactly the rows of that queryset for the same period
and dimensions, so the two cannot disagree. ``columns`` show only what every viewer of the figure may
see (dates, numbers, organisation names); a row links to its record only where the viewer's
``visible`` queryset holds it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.functional import Promise


@dataclass(frozen=True)
class Count:
    """The number of records."""

    kind: str = "count"


@dataclass(frozen=True)
class Sum:
    """The sum of a decimal or integer field of the records (cost saved, hours)."""

    field: str
    kind: str = "sum"


@dataclass(frozen=True)
class Ratio:
    """A share in per cent: records matching ``numerator`` among all the source's records."""

    numerator: Q
    kind: str = "ratio"


Measure = Count | Sum | Ratio


@dataclass(frozen=True)
class Column:
    label: str | Promise
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class RecordSource:
    key: str
    label: str | Promise
    queryset: Callable[[], QuerySet[Any]]
    date_field: str
    organisation_field: str
    visible: Callable[[Any], QuerySet[Any]]
    url: Callable[[Any], str | None]
    measure: Measure = field(default_factory=Count)
    columns: Sequence[Column] = ()
    select_related: Sequence[str] = ()

    @property
    def model(self) -> type[Model]:
        return self.queryset().model

    def date_is_datetime(self) -> bool:
        model: Any = self.model
        target = model._meta
        parts = self.date_field.split("__")
        for part in parts[:-1]:
            target = target.get_field(part).related_model._meta
        return bool(target.get_field(parts[-1]).get_internal_type() == "DateTimeField")


_SOURCES: dict[str, RecordSource] = {}


def register_source(source: RecordSource) -> RecordSource:
    if source.key in _SOURCES:
        raise ValueError(f"record source {source.key} is registered twice")
    _SOURCES[source.key] = source
    return source


def get_source(key: str) -> RecordSource:
    try:
        return _SOURCES[key]
    except KeyError:
        raise LookupError(f"no record source {key!r}; is the owning app's indicators.py loaded?") from None


def sources() -> dict[str, RecordSource]:
    return dict(_SOURCES)
