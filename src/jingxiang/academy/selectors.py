"""Reads of the academy that are more than one queryset filter: attendance, eligibility, fulfilment."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jingxiang.academy.models import (
    Certificate,
    CertificateStatus,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    OccupationLevel,
    OrderParticipant,
)

ZERO = Decimal("0")


def attendance_rate(attended: int, sessions: int) -> Decimal:
    """Attended share of the cohort's sessions, exact to three places (no floats at the 80 % edge)."""
    if sessions <= 0:
        return ZERO
    return (Decimal(attended) / Decimal(sessions)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def enrolment_attendance(enrolment: Enrolment) -> tuple[int, int, Decimal]:
    """(attended sessions, total sessions, attended hours) of one enrolment."""
    sessions = list(enrolment.cohort.sessions.all())
    attended_ids = set(enrolment.attendances.values_list("session_id", flat=True))
    hours = sum((s.hours for s in sessions if s.pk in attended_ids), ZERO)
    return len(attended_ids), len(sessions), hours


def roster(cohort: Cohort, enrolments: Any) -> list[Enrolment]:
    """Enrolments with ``attended`` counts and ``rate`` attached, in two queries."""
    total = cohort.sessions.count()
    rows = list(
        enrolments.select_related("talent__home_organisation", "sponsor", "assessment", "certificate")
        .annotate(attended=Count("attendances", distinct=True))
        .order_by("created_at", "pk")
    )
    for row in rows:
        row.rate = attendance_rate(row.attended, total)
        row.total_sessions = total
    return rows


@dataclass
class Eligibility:
    eligible: bool
    reasons: list[str] = field(default_factory=list)


def _holds_level(talent_id: int, level: OccupationLevel, rank: int) -> bool:
    return Certificate.objects.filter(
        talent_id=talent_id,
        status=CertificateStatus.VALID,
        occupation_level__occupation_id=level.occupation_id,
        occupation_level__rank__lte=rank,
    ).exists()


def eligibility(enrolment: Enrolment) -> Eligibility:
    """Whether the trainee may be certified at the course's level, by the level's data rules.

    Each rule path lists conditions that must all hold; any one satisfied path makes the trainee
    eligible. Without an occupation level the course certifies a taxonomy skill and only the
    assessment counts.
    """
    level = enrolment.cohort.course.occupation_level
    if level is None:
        return Eligibility(True)
    paths = level.eligibility or [{}]
    _attended, _total, hours = enrolment_attendance(enrolment)
    reasons: list[str] = []
    for path in paths:
        unmet: list[str] = []
        min_years = Decimal(str(path.get("min_years", 0)))
        if enrolment.years_experience < min_years:
            unmet.append(
                _("从业满 %(need)s 年(现 %(have)s 年)")
                % {"need": min_years, "have": enrolment.years_experience}
            )
        if path.get("previous_level") and not _holds_level(enrolment.talent_id, level, level.rank + 1):
            unmet.append(_("持有本职业低一级的有效证书"))
        min_hours = Decimal(str(path.get("min_training_hours", 0)))
        if hours < min_hours:
            unmet.append(_("本班培训满 %(need)s 学时(现 %(have)s 学时)") % {"need": min_hours, "have": hours})
        if not unmet:
            return Eligibility(True)
        reasons.append(pgettext("列表分隔符", "、").join(unmet))
    return Eligibility(False, reasons)


@dataclass
class Fulfilment:
    """One order's (or school's) pipeline counts."""

    label: str
    headcount: int = 0
    committed: int = 0
    enrolled: int = 0
    graduated: int = 0
    offered: int = 0
    hired: int = 0
    employed_6m: int = 0
    employed_12m: int = 0
    order: Any = None
    school: Any = None

    @property
    def rate(self) -> Decimal:
        """Hires against the firms' commitment (or the headcount when nothing was committed)."""
        target = self.committed or self.headcount
        return (Decimal(self.hired) / Decimal(target)).quantize(Decimal("0.001")) if target else ZERO


_PIPELINE = {
    "enrolled": Count(
        "cohorts__enrolments",
        filter=Q(cohorts__enrolments__status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.GRADUATED]),
        distinct=True,
    ),
    "graduated": Count(
        "cohorts__enrolments", filter=Q(cohorts__enrolments__status=EnrolmentStatus.GRADUATED), distinct=True
    ),
    "offered": Count(
        "cohorts__enrolments", filter=Q(cohorts__enrolments__offer_firm__isnull=False), distinct=True
    ),
    "hired": Count(
        "cohorts__enrolments", filter=Q(cohorts__enrolments__hired_by__isnull=False), distinct=True
    ),
    "employed_6m": Count(
        "cohorts__enrolments", filter=Q(cohorts__enrolments__employed_6m=True), distinct=True
    ),
    "employed_12m": Count(
        "cohorts__enrolments", filter=Q(cohorts__enrolments__employed_12m=True), distinct=True
    ),
}


def order_fulfilment(orders: Any) -> list[Fulfilment]:
    """Fulfilment per order in two queries (pipeline counts, then commitments)."""
    rows = list(orders.select_related("school").annotate(**_PIPELINE))
    committed: dict[int, int] = {}
    for participant in OrderParticipant.objects.filter(order__in=[o.pk for o in rows]):
        committed[participant.order_id] = committed.get(participant.order_id, 0) + participant.hires_committed
    return [
        Fulfilment(
            label=order.title,
            headcount=order.headcount,
            committed=committed.get(order.pk, 0),
            enrolled=order.enrolled,
            graduated=order.graduated,
            offered=order.offered,
            hired=order.hired,
            employed_6m=order.employed_6m,
            employed_12m=order.employed_12m,
            order=order,
            school=order.school,
        )
        for order in rows
    ]


def school_fulfilment(orders: Any) -> list[Fulfilment]:
    """The same counts summed per accepting school."""
    per_school: dict[int, Fulfilment] = {}
    for row in order_fulfilment(orders.filter(school__isnull=False)):
        total = per_school.setdefault(row.school.pk, Fulfilment(label=row.school.name, school=row.school))
        for name in ("headcount", "committed", "enrolled", "graduated", "offered", "hired", "employed_6m"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.employed_12m += row.employed_12m
    return sorted(per_school.values(), key=lambda f: f.label)
