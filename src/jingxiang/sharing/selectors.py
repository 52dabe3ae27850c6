"""Reads for 互聘共享 that are more than one queryset filter: free hours, ratings, suggestions, the
station dashboard and settlement totals. Each runs a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingxiang.sharing.models import (
    ZERO,
    Agreement,
    Booking,
    Outcome,
    SharingProfile,
    SharingRequest,
    Statement,
    StatementStatus,
    SubsidyPolicy,
    month_start,
    next_month,
)
from jingxiang.talents.models import Talent


def _month_range(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(month_start(month), dt.time.min, tzinfo=tz),
        dt.datetime.combine(next_month(month), dt.time.min, tzinfo=tz),
    )


def booked_this_month(talent_ids: list[int], month: dt.date | None = None) -> dict[int, Decimal]:
    """Hours booked per talent in the month, across all host firms (one query)."""
    start, end = _month_range(month or timezone.localdate())
    rows = (
        Booking.objects.live()
        .filter(talent_id__in=talent_ids, starts_at__gte=start, starts_at__lt=end)
        .values("talent_id")
        .annotate(total=Sum("hours"))
    )
    return {row["talent_id"]: row["total"] or ZERO for row in rows}


def free_hours(talents: list[Talent], month: dt.date | None = None) -> dict[int, Decimal]:
    """Monthly hours offered minus hours already booked this month (never below zero)."""
    booked = booked_this_month([t.pk for t in talents], month)
    return {t.pk: max(ZERO, Decimal(t.monthly_hours) - booked.get(t.pk, ZERO)) for t in talents}


def ratings(talent_ids: list[int]) -> dict[int, tuple[Decimal, int]]:
    """Average host rating and number of ratings per talent (one query)."""
    rows = (
        Outcome.objects.filter(agreement__talent_id__in=talent_ids)
        .values("agreement__talent_id")
        .annotate(avg=Avg("rating"), n=Count("pk"))
    )
    return {
        row["agreement__talent_id"]: (Decimal(str(row["avg"])).quantize(Decimal("0.1")), row["n"])
        for row in rows
    }


@dataclass
class Candidate:
    talent: Talent
    score: float
    why: list[str]
    free_hours: Decimal
    rating: tuple[Decimal, int] | None
    modes: list[str] = field(default_factory=list)
    invited: bool = False


def suggestions_for(request: SharingRequest, *, top: int = 10) -> list[Candidate]:
    """Pool talents for a request, ranked by the platform's matching engine, with our own facts.

    Talents who do not share, are archived, work for the requesting firm, or have the firm on their
    conflict list are never offered.
    """
    from jingxiang.matchindex.selectors import suggest_suppliers

    conflicted = set(
        SharingProfile.conflict_firms.through.objects.filter(organisation_id=request.firm_id).values_list(
            "sharingprofile__talent_id", flat=True
        )
    )
    own = set(Talent.objects.filter(home_organisation_id=request.firm_id).values_list("pk", flat=True))
    skills = list(request.skills.all())
    description = request.problem + ("\n" + "、".join(s.name_zh for s in skills) if skills else "")
    suggestions = suggest_suppliers(
        title=request.title,
        description=description,
        region=request.firm.region,
        hours_needed=request.hours_needed,
        kinds={"talent"},
        exclude_talent_ids=conflicted | own,
        top=top * 2,
    )
    by_id = {
        t.pk: t
        for t in Talent.objects.filter(
            pk__in=[s.object_id for s in suggestions], shares_talent=True, archived_at__isnull=True
        ).select_related("home_organisation", "sharing_profile")
    }
    talents = [by_id[s.object_id] for s in suggestions if s.object_id in by_id][:top]
    free = free_hours(talents)
    rated = ratings([t.pk for t in talents])
    invited = set(request.invitations.values_list("talent_id", flat=True))
    result = []
    for suggestion in suggestions:
        talent = by_id.get(suggestion.object_id)
        if talent is None or talent.pk not in free:
            continue
        profile = getattr(talent, "sharing_profile", None)
        result.append(
            Candidate(
                talent=talent,
                score=suggestion.score,
                why=suggestion.why,
                free_hours=free[talent.pk],
                rating=rated.get(talent.pk),
                modes=[str(m.label) for m in profile.modes] if profile else [],
                invited=talent.pk in invited,
            )
        )
    return result[:top]


# Station dashboard --------------------------------------------------------------------------------

AGE_BUCKETS = ((0, 7, _("≤7 天")), (8, 30, _("8–30 天")), (31, 10_000, _(">30 天")))


def dashboard(*, today: dt.date | None = None) -> dict[str, Any]:
    """Everything the station dashboard shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    now = timezone.now()
    open_requests = list(SharingRequest.objects.open().select_related("firm").order_by("created_at"))
    buckets = []
    for low, high, label in AGE_BUCKETS:
        rows = [r for r in open_requests if low <= (now - r.created_at).days <= high]
        buckets.append({"label": label, "count": len(rows), "low": low, "high": high})

    pool = list(
        Talent.objects.filter(shares_talent=True, archived_at__isnull=True)
        .select_related("home_organisation")
        .order_by("name")
    )
    booked = booked_this_month([t.pk for t in pool], today)
    utilisation = [
        {
            "talent": t,
            "booked": booked.get(t.pk, ZERO),
            "offered": t.monthly_hours,
            "share": (booked.get(t.pk, ZERO) / t.monthly_hours) if t.monthly_hours else None,
        }
        for t in pool
    ]
    utilisation.sort(key=lambda row: (-(row["share"] or 0), row["talent"].name))

    since = month_start(today).replace(year=today.year - 1)
    by_firm_month = list(
        Statement.objects.issued()
        .filter(month__gte=since)
        .values("host_id", "host__name", "month")
        .annotate(hours=Sum("hours"), gross=Sum("gross"), subsidy=Sum("subsidy"), host_pays=Sum("host_pays"))
        .order_by("-month", "host__name")
    )

    policies = list(
        SubsidyPolicy.objects.active()
        .filter(valid_to__gte=today.replace(month=1, day=1))
        .annotate(
            spent=Sum(
                "statements__subsidy",
                filter=Q(statements__status=StatementStatus.ISSUED, statements__month__year=today.year),
            )
        )
    )
    for policy in policies:
        policy.spent = policy.spent or ZERO
        policy.share = (policy.spent / policy.annual_budget) if policy.annual_budget else None

    signed = list(
        Agreement.objects.filter(request__isnull=False, activated_at__isnull=False, version=1).values_list(
            "request__created_at", "activated_at"
        )
    )
    durations = [(activated - filed).total_seconds() / 86400 for filed, activated in signed]
    average_days = (
        Decimal(str(sum(durations) / len(durations))).quantize(Decimal("0.1")) if durations else None
    )

    kpis = Outcome.objects.aggregate(
        patents=Count("pk", filter=~Q(patent_number="")),
        cost_saved=Sum("cost_saved"),
        solved=Count("pk", filter=Q(problem_solved=True)),
        outcomes=Count("pk"),
        rating=Avg("rating"),
    )
    kpis["cost_saved"] = kpis["cost_saved"] or ZERO
    return {
        "open_requests": open_requests[:10],
        "open_count": len(open_requests),
        "buckets": buckets,
        "utilisation": utilisation,
        "by_firm_month": by_firm_month,
        "policies": policies,
        "average_days": average_days,
        "signed_count": len(durations),
        "kpis": kpis,
    }


def statement_totals(queryset: QuerySet[Statement]) -> dict[str, list[dict[str, Any]]]:
    """Totals of the (filtered) statements per firm, per talent and per month (three queries)."""
    sums = {
        "hours": Sum("hours"),
        "gross": Sum("gross"),
        "subsidy": Sum("subsidy"),
        "host_pays": Sum("host_pays"),
    }
    base = queryset.order_by()
    return {
        "firm": list(base.values("host__name").annotate(**sums).order_by("host__name")),
        "talent": list(base.values("talent__name").annotate(**sums).order_by("talent__name")),
        "month": list(base.values("month").annotate(**sums).order_by("-month")),
    }
