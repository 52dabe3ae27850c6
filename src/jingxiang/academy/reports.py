"""Academy figures, computed from the records (never typed in), each drillable to the people behind it.

Measures:
* ``trained``: people who graduated from a cohort (技能人才培训人数, counted once per person);
* ``certificates``: valid certificates issued;
* ``masters_hires``: 订单培养 hires with a master's degree or higher (硕士及以上引进人数).

Dimensions: ``level`` (occupation level), ``firm`` (the person's firm), ``occupation`` and ``month``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingxiang.academy.models import (
    MASTERS_OR_HIGHER,
    Certificate,
    CertificateStatus,
    Enrolment,
    EnrolmentStatus,
)
from jingxiang.academy.permissions import sees_all_people

MEASURES = {
    "trained": gettext_lazy("培训结业人数"),
    "certificates": gettext_lazy("颁发证书数"),
    "masters_hires": gettext_lazy("硕士及以上录用人数"),
}
DIMENSIONS = {
    "level": gettext_lazy("按等级"),
    "firm": gettext_lazy("按企业"),
    "occupation": gettext_lazy("按职业"),
    "month": gettext_lazy("按月份"),
}
NONE_KEY = "none"

# Per measure: the field path of each dimension (id, label) relative to the measured model.
_PATHS: dict[str, dict[str, tuple[str, str]]] = {
    "enrolment": {
        "level": ("cohort__course__occupation_level_id", "cohort__course__occupation_level__name"),
        "firm": ("talent__home_organisation_id", "talent__home_organisation__name"),
        "occupation": (
            "cohort__course__occupation_level__occupation_id",
            "cohort__course__occupation_level__occupation__name",
        ),
    },
    "certificate": {
        "level": ("occupation_level_id", "occupation_level__name"),
        "firm": ("talent__home_organisation_id", "talent__home_organisation__name"),
        "occupation": ("occupation_level__occupation_id", "occupation_level__occupation__name"),
    },
}


def enrolment_base(user: Any) -> QuerySet[Any]:
    """The enrolments whose figures the user may see: all for the academy and the union, a firm its own."""
    return Enrolment.objects.all() if sees_all_people(user) else Enrolment.objects.visible_to(user)


def measure_queryset(user: Any, measure: str, year: int | None = None) -> QuerySet[Any]:
    """The records a measure counts, optionally for one year (by graduation, issue or hire date)."""
    base = enrolment_base(user)
    queryset: QuerySet[Any]
    if measure == "certificates":
        queryset = Certificate.objects.filter(enrolment__in=base.values("pk"), status=CertificateStatus.VALID)
    elif measure == "masters_hires":
        queryset = base.filter(hired_by__isnull=False, education__in=MASTERS_OR_HIGHER)
    else:
        queryset = base.filter(status=EnrolmentStatus.GRADUATED)
    if year is not None:
        queryset = queryset.filter(**{f"{_month_field(measure)}__year": year})
    return queryset


def _model(measure: str) -> str:
    return "certificate" if measure == "certificates" else "enrolment"


def _month_field(measure: str) -> str:
    if measure == "certificates":
        return "issued_at"
    if measure == "masters_hires":
        return "hired_on"
    return "graduated_at"


def _people(queryset: QuerySet[Any], measure: str) -> Any:
    return Count("talent", distinct=True) if measure != "certificates" else Count("pk")


@dataclass
class Row:
    key: str
    label: str
    value: int


def breakdown(user: Any, measure: str, dimension: str, year: int | None = None) -> list[Row]:
    """One query: the measure grouped by the dimension, with the key used to drill down."""
    queryset = measure_queryset(user, measure, year)
    if dimension == "month":
        grouped = (
            queryset.annotate(month=TruncMonth(_month_field(measure)))
            .values("month")
            .annotate(value=_people(queryset, measure))
            .order_by("month")
        )
        return [
            Row(
                key=row["month"].strftime("%Y-%m") if row["month"] else NONE_KEY,
                label=row["month"].strftime("%Y-%m") if row["month"] else _("未知"),
                value=row["value"],
            )
            for row in grouped
        ]
    id_path, label_path = _PATHS[_model(measure)][dimension]
    fields = {"key": F(id_path), "label": F(label_path)}
    if dimension == "level":
        # Level names repeat across occupations (五级/初级工); show which occupation.
        fields["occupation"] = F(_PATHS[_model(measure)]["occupation"][1])
    grouped = queryset.values(**fields).annotate(value=_people(queryset, measure)).order_by("-value", "label")
    unknown = _("未对应职业等级") if dimension in ("level", "occupation") else _("个人报名/无单位")
    return [
        Row(
            key=str(row["key"]) if row["key"] is not None else NONE_KEY,
            label=(f"{row['occupation']} · {row['label']}" if dimension == "level" else row["label"])
            if row["label"]
            else unknown,
            value=row["value"],
        )
        for row in grouped
    ]


def drill(user: Any, measure: str, dimension: str, key: str, year: int | None = None) -> QuerySet[Any]:
    """The records behind one figure of ``breakdown`` (same filters, so the counts agree)."""
    queryset = measure_queryset(user, measure, year)
    if not dimension:
        return queryset
    if dimension == "month":
        field = _month_field(measure)
        if key == NONE_KEY:
            return queryset.filter(**{f"{field}__isnull": True})
        try:
            month = dt.datetime.strptime(key, "%Y-%m").date()
        except ValueError:
            return queryset.none()
        if field == "hired_on":
            return queryset.filter(hired_on__year=month.year, hired_on__month=month.month)
        start = timezone.make_aware(dt.datetime(month.year, month.month, 1))
        end_month = dt.date(month.year + (month.month // 12), month.month % 12 + 1, 1)
        end = timezone.make_aware(dt.datetime(end_month.year, end_month.month, 1))
        return queryset.filter(**{f"{field}__gte": start, f"{field}__lt": end})
    if dimension not in _PATHS[_model(measure)]:
        return queryset.none()
    id_path = _PATHS[_model(measure)][dimension][0]
    if key == NONE_KEY:
        return queryset.filter(**{f"{id_path}__isnull": True})
    if not key.isdigit():
        return queryset.none()
    return queryset.filter(**{id_path: int(key)})


@dataclass
class Headline:
    trained: int
    certificates: int
    masters_hires: int
    hires: int
    fees: Decimal
    subsidies: Decimal


def parse_year(value: str | None) -> int | None:
    """A year from the URL (2000–2100), or None for all years; anything else is ignored."""
    if value and value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return None


def headline(user: Any) -> Headline:
    """The cluster's headline figures (e.g. "1,100+ trained, 68 master's-or-higher hires"), in 3 queries."""
    base = enrolment_base(user)
    people = base.aggregate(
        trained=Count("talent", filter=Q(status=EnrolmentStatus.GRADUATED), distinct=True),
        masters=Count(
            "talent", filter=Q(hired_by__isnull=False, education__in=MASTERS_OR_HIGHER), distinct=True
        ),
        hires=Count("pk", filter=Q(hired_by__isnull=False)),
        subsidies=Sum("subsidy_amount"),
    )
    fees = base.filter(status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.GRADUATED]).aggregate(
        total=Sum("cohort__course__fee")
    )["total"]
    certificates = Certificate.objects.filter(
        enrolment__in=base.values("pk"), status=CertificateStatus.VALID
    ).count()
    return Headline(
        trained=people["trained"],
        certificates=certificates,
        masters_hires=people["masters"],
        hires=people["hires"],
        fees=fees or Decimal("0"),
        subsidies=people["subsidies"] or Decimal("0"),
    )


def cost_by_course(user: Any) -> list[dict[str, Any]]:
    """Training fees and subsidies per course (people in training or graduated)."""
    return list(
        enrolment_base(user)
        .filter(status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.GRADUATED])
        .values(course_id=F("cohort__course_id"), title=F("cohort__course__title"))
        .annotate(people=Count("pk"), fees=Sum("cohort__course__fee"), subsidies=Sum("subsidy_amount"))
        .order_by("title")
    )
