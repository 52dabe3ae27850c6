"""Reads for campus recruitment: the wage check of a job, the scheduler instance and the reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingxiang.recruitment.models import (
    DEGREE_RANK,
    Application,
    ApplicationStatus,
    ClassTime,
    Degree,
    Fair,
    InterviewSlot,
)

AGREEMENT_FILE = Path(__file__).resolve().parent.parent / "wages" / "agreements" / "linhai-eyewear.yaml"
STATUTORY_TABLE = "zhejiang"


@lru_cache(maxsize=1)
def _agreement() -> Any:
    from jingxiang.wages import load_agreement_file

    return load_agreement_file(AGREEMENT_FILE)


@dataclass(frozen=True)
class WageFloor:
    """The lowest lawful or agreed monthly wage for a post, level, region and month, and why."""

    amount: Decimal
    basis: str
    is_norm: bool


def wage_floor(*, post: str, skill_level: str, region: str, day: dt.date) -> WageFloor | None:
    """The skill-level norm where the industry agreement is in force for the region, post and month;
    otherwise the statutory minimum of the region's tier (``docs/wages.md``). None when neither applies."""
    from jingxiang.wages import NormUnavailableError, builtin_statutory, find_level

    month = day.replace(day=1)
    agreement = _agreement()
    found = agreement.find_post(post)
    level = find_level(skill_level)
    if found is not None and level is not None and region.strip() == agreement.region:
        try:
            norm = agreement.norm(found, level, month)
        except NormUnavailableError:
            norm = None
        if norm is not None:
            return WageFloor(
                amount=Decimal(norm.amount),
                basis=_("%(agreement)s:%(post)s · %(level)s 能级工资标准")
                % {
                    "agreement": agreement.title_zh,
                    "post": found.name_zh,
                    "level": norm.applied_level.name_zh,
                },
                is_norm=True,
            )
    table = builtin_statutory(STATUTORY_TABLE)
    tier = table.tier_of(region) if table else None
    period = table.period_for(month) if table else None
    if tier is None or period is None or tier.tier not in period.monthly:
        return None
    return WageFloor(
        amount=Decimal(period.monthly[tier.tier]),
        basis=_("%(region)s 法定最低工资(第 %(tier)s 档)") % {"region": region, "tier": tier.tier},
        is_norm=False,
    )


def wage_posts() -> list[str]:
    """The posts of the industry agreement (offered as suggestions in the job form)."""
    return [post.name_zh for post in _agreement().posts]


# Scheduling ----------------------------------------------------------------------------------------


def _booth_key(firm_id: int) -> str:
    return f"firm-{firm_id}"


def _student_key(student_id: int) -> str:
    return f"student-{student_id}"


def schedule_instance(fair: Fair) -> dict[str, Any]:
    """The scheduler's instance: students × firm booths × slots.

    Each interview is a meeting of a student and the firm's booth (a participant that can hold one
    interview per slot). Every booth is its own table, so there are as many tables as booths in use and
    a meeting is shown at its firm's booth. A student's classes remove the slots they overlap. Interviews
    already placed stay where they are (locked).
    """
    slots = list(fair.slots.order_by("starts_at", "pk"))
    interviews = list(
        Application.objects.filter(job__fair_firm__fair=fair, status=ApplicationStatus.INTERVIEW)
        .select_related("job__fair_firm")
        .order_by("pk")
    )
    classes: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    student_ids = {a.student_id for a in interviews}
    for row in ClassTime.objects.filter(fair=fair, student_id__in=student_ids):
        classes.setdefault(row.student_id, []).append((row.starts_at, row.ends_at))
    firms = sorted({a.job.fair_firm.firm_id for a in interviews})
    all_slots = [s.pk for s in slots]

    def free(student_id: int) -> list[int]:
        busy = classes.get(student_id, [])
        return [
            s.pk for s in slots if not any(start < s.ends_at and s.starts_at < end for start, end in busy)
        ]

    wanted: dict[int, int] = {}
    for a in interviews:
        wanted[a.student_id] = wanted.get(a.student_id, 0) + 1
    participants = [
        {"id": _student_key(sid), "available_slots": free(sid), "max_meetings": wanted[sid]}
        for sid in sorted(student_ids)
    ] + [
        {"id": _booth_key(fid), "available_slots": all_slots, "max_meetings": len(all_slots)} for fid in firms
    ]
    return {
        "slots": [{"id": pk} for pk in all_slots],
        "tables": [{"id": _booth_key(fid), "capacity": 2} for fid in firms],
        "participants": participants,
        "meetings": [
            {
                "id": a.pk,
                "participants": [_student_key(a.student_id), _booth_key(a.job.fair_firm.firm_id)],
                "weight": 1.0,
                "locked": {"slot": a.slot_id, "table": _booth_key(a.job.fair_firm.firm_id)}
                if a.slot_id
                else None,
            }
            for a in interviews
        ],
    }


def slot_taken(*, slot: InterviewSlot, student_id: int, firm_id: int, exclude_pk: int | None = None) -> str:
    """Why ``slot`` cannot hold this interview ('' when it can): the student or the firm's booth is busy."""
    busy = Application.objects.filter(slot=slot, status=ApplicationStatus.INTERVIEW).exclude(
        pk=exclude_pk or 0
    )
    if busy.filter(student_id=student_id).exists():
        return _("该学生在这个时段已有面试。")
    if busy.filter(job__fair_firm__firm_id=firm_id).exists():
        return _("本企业展位在这个时段已有面试。")
    if ClassTime.objects.filter(
        student_id=student_id, fair=slot.fair_id, starts_at__lt=slot.ends_at, ends_at__gt=slot.starts_at
    ).exists():
        return _("该学生在这个时段有课。")
    return ""


# Reports -------------------------------------------------------------------------------------------

# A revoked offer was still an offer made (and, if the student had answered, an acceptance): the
# report counts what happened, not only where each application ended.
REACHED_INTERVIEW = {"interview", "offer", "accepted", "declined", "hired", "revoked"}
REACHED_OFFER = {"offer", "accepted", "declined", "hired", "revoked"}
REACHED_ACCEPT = {"accepted", "hired"}


@dataclass
class Tally:
    label: str
    applications: int = 0
    interviews: int = 0
    offers: int = 0
    accepted: int = 0
    hires: int = 0
    high_level: int = 0
    offer_days: list[Decimal] = field(default_factory=list)

    def add(self, app: Application) -> None:
        self.applications += 1
        self.interviews += app.status in REACHED_INTERVIEW
        self.offers += app.status in REACHED_OFFER
        self.accepted += app.status in REACHED_ACCEPT or (
            app.status == ApplicationStatus.OFFER_REVOKED and app.decided_at is not None
        )
        self.hires += app.status == ApplicationStatus.HIRED
        self.high_level += app.status == ApplicationStatus.HIRED and app.high_level
        if app.offered_at:
            seconds = Decimal((app.offered_at - app.created_at).total_seconds())
            self.offer_days.append(seconds / Decimal(86400))

    @property
    def acceptance_rate(self) -> Decimal | None:
        """Accepted offers (including those now hired) over offers made."""
        return (
            (Decimal(self.accepted) / Decimal(self.offers)).quantize(Decimal("0.001"))
            if self.offers
            else None
        )

    @property
    def days_to_offer(self) -> Decimal | None:
        if not self.offer_days:
            return None
        return (sum(self.offer_days, Decimal(0)) / len(self.offer_days)).quantize(Decimal("0.1"))


@dataclass
class Report:
    total: Tally
    by_firm: list[Tally]
    by_school: list[Tally]
    by_degree: list[Tally]


def report(applications: QuerySet[Application]) -> Report:
    """Counts for a fair or a firm from the applications themselves, so every figure adds up to its rows."""
    total = Tally(_("合计"))
    firms: dict[str, Tally] = {}
    schools: dict[str, Tally] = {}
    degrees: dict[str, Tally] = {}
    labels = dict(Degree.choices)
    rows = applications.select_related("student", "job__fair_firm__firm").order_by("pk")
    for app in rows:
        total.add(app)
        firms.setdefault(app.job.fair_firm.firm.name, Tally(app.job.fair_firm.firm.name)).add(app)
        schools.setdefault(app.student.school, Tally(app.student.school)).add(app)
        degree = app.student.degree
        degrees.setdefault(degree, Tally(str(labels.get(degree, degree)))).add(app)
    return Report(
        total=total,
        by_firm=sorted(firms.values(), key=lambda t: t.label),
        by_school=sorted(schools.values(), key=lambda t: t.label),
        by_degree=[degrees[d] for d in sorted(degrees, key=lambda d: DEGREE_RANK.get(d, 99))],
    )


def report_rows(rep: Report) -> list[list[Any]]:
    """The report as spreadsheet rows (group, label, figures)."""
    rows: list[list[Any]] = []
    for group, tallies in ((_("企业"), rep.by_firm), (_("学校"), rep.by_school), (_("学历"), rep.by_degree)):
        for t in [*tallies]:
            rows.append(_tally_row(group, t))
    rows.append(_tally_row(_("合计"), rep.total))
    return rows


def _tally_row(group: str, t: Tally) -> list[Any]:
    rate = t.acceptance_rate
    return [
        group,
        t.label,
        t.applications,
        t.interviews,
        t.offers,
        t.hires,
        t.high_level,
        "" if rate is None else f"{rate * 100:.1f}%",
        "" if t.days_to_offer is None else t.days_to_offer,
    ]


REPORT_HEADERS = (
    gettext_lazy("分组"),
    gettext_lazy("名称"),
    gettext_lazy("投递"),
    gettext_lazy("面试"),
    gettext_lazy("录用通知"),
    gettext_lazy("入职"),
    gettext_lazy("高层次人才"),
    gettext_lazy("接受率"),
    gettext_lazy("平均发出录用天数"),
)


def order_enrolment_for(mobile: str) -> Any:
    """The academy's order-class (订单培养) enrolment of the person with this mobile, if any (newest)."""
    from jingxiang.academy.models import Enrolment

    return (
        Enrolment.objects.filter(talent__mobile=mobile, cohort__order__isnull=False)
        .select_related("cohort__order", "talent")
        .order_by("-pk")
        .first()
    )


def months_after(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    import calendar

    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def today() -> dt.date:
    return timezone.localdate()
