"""Reads for 互聘共享 that are more than one queryset filter: free hours, ratings, suggestions, the
station dashboard and settlement totals. Each runs a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from jingxiang.core.pages import NextStep, first_step
from jingxiang.organisations.permissions import is_operator
from jingxiang.sharing.models import (
    ZERO,
    Agreement,
    AgreementStatus,
    Booking,
    BookingStatus,
    Invitation,
    InvitationStatus,
    Outcome,
    Party,
    RequestStatus,
    SharingProfile,
    SharingRequest,
    Statement,
    StatementStatus,
    SubsidyPolicy,
    Weekday,
    month_bounds,
    month_start,
)
from jingxiang.sharing.permissions import signable_parties
from jingxiang.talents.models import Talent


def booked_hours(
    talent_ids: Iterable[int], month: dt.date | None = None, *, agreement_ids: list[int] | None = None
) -> dict[int, Decimal]:
    """Hours booked per talent in the month (this month by default), across all host firms or only under
    ``agreement_ids``, in one query. The pool, the dashboard and the booking caps all count with it."""
    start, end = month_bounds(month or timezone.localdate())
    bookings = Booking.objects.live().filter(
        talent_id__in=talent_ids, starts_at__gte=start, starts_at__lt=end
    )
    if agreement_ids is not None:
        bookings = bookings.filter(agreement_id__in=agreement_ids)
    rows = bookings.values("talent_id").annotate(total=Sum("hours")).order_by()
    return {row["talent_id"]: row["total"] or ZERO for row in rows}


def free_hours(talents: list[Talent], month: dt.date | None = None) -> dict[int, Decimal]:
    """Monthly hours offered minus hours already booked this month (never below zero)."""
    booked = booked_hours([t.pk for t in talents], month)
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


def pool_rows(talents: list[Talent]) -> list[tuple[Talent, Decimal | None, tuple[Decimal, int] | None]]:
    """The pool page's rows: each talent with its free hours this month and its rating (two queries)."""
    free = free_hours(talents)
    rated = ratings([t.pk for t in talents])
    return [(t, free.get(t.pk), rated.get(t.pk)) for t in talents]


def sharing_profile_of(talent: Talent) -> SharingProfile | None:
    """The talent's pool profile with its calendar, or None before they first set it up."""
    return (
        SharingProfile.objects.filter(talent=talent)
        .prefetch_related("windows", "exceptions", "conflict_firms")
        .first()
    )


def availability_text(talent: Talent) -> str:
    """The talent's weekly windows in one line (the booking form says when they can be booked)."""
    profile = sharing_profile_of(talent)
    if profile is None:
        return gettext("工作日 09:00–17:00")
    return pgettext("list separator", "、").join(str(w) for w in profile.windows.all())


def upcoming_bookings(user: Any, talent: Talent, *, limit: int = 20) -> list[Booking]:
    """The talent's live bookings from today on, as far as the user sees their agreements."""
    return list(
        Booking.objects.visible_to(user)
        .live()
        .filter(talent=talent, starts_at__date__gte=timezone.localdate())
        .select_related("agreement__host", "talent")
        .order_by("starts_at")[:limit]
    )


def talent_overview(talent: Talent) -> dict[str, Any]:
    """The talent's own page: recent invitations, agreements (with whether they signed) and bookings."""
    agreements = list(
        Agreement.objects.filter(talent=talent)
        .exclude(status=AgreementStatus.SUPERSEDED)
        .select_related("host", "home")
        .prefetch_related("signatures")
        .order_by("-created_at")[:20]
    )
    for agreement in agreements:
        agreement.i_signed = any(s.party == Party.TALENT for s in agreement.signatures.all())
    return {
        "invitations": list(
            Invitation.objects.filter(talent=talent)
            .select_related("request__firm")
            .order_by("-created_at")[:20]
        ),
        "agreements": agreements,
        "bookings": list(
            Booking.objects.filter(talent=talent, status=BookingStatus.BOOKED)
            .select_related("agreement__host", "talent")
            .annotate(logged=Sum("timesheets__hours"))
            .order_by("-starts_at")[:30]
        ),
    }


def request_next_step(sharing_request: SharingRequest, invitations: list[Invitation]) -> NextStep | None:
    """Who acts next on a request: the talents invited, the host's 共享人才官, the parties, the station."""
    if sharing_request.status in (RequestStatus.CLOSED, RequestStatus.MATCHED):
        return None
    accepted = any(i.status == InvitationStatus.ACCEPTED for i in invitations)
    pending = [i.talent.name for i in invitations if i.status == InvitationStatus.PENDING]
    return first_step(
        (accepted and sharing_request.agreements.exists(), NextStep(gettext("等待 各方 签署共享协议"))),
        (
            accepted,
            NextStep(gettext("等待 %(firm)s 共享人才官 起草共享协议") % {"firm": sharing_request.firm.name}),
        ),
        (
            bool(pending),
            NextStep(
                gettext("等待 %(names)s 回复邀请") % {"names": pgettext("list separator", "、").join(pending)}
            ),
        ),
        (True, NextStep(gettext("等待 人才共享驿站 推荐并邀请人才"))),
    )


def agreement_parties(user: Any, agreement: Agreement) -> list[dict[str, Any]]:
    """Each party of the agreement: its name, its signature so far, and whether the user signs it now."""
    signatures = {s.party: s for s in agreement.signatures.select_related("signed_by")}
    mine = signable_parties(user, agreement)
    names = {Party.HOME: agreement.home.name if agreement.home else "", Party.HOST: agreement.host.name}
    return [
        {
            "party": party,
            "label": Party(party).label,
            "name": names.get(party, agreement.talent.name),
            "signature": signatures.get(party),
            "can_sign": party in mine
            and party not in signatures
            and agreement.status == AgreementStatus.PENDING,
        }
        for party in agreement.parties
    ]


def agreement_next_step(agreement: Agreement, parties: list[dict[str, Any]]) -> NextStep | None:
    """A pending agreement waits for the parties that have not signed yet."""
    waiting = [f"{p['name']}({p['label']})" for p in parties if p["signature"] is None]
    if agreement.status != AgreementStatus.PENDING or not waiting:
        return None
    return NextStep(
        gettext("等待 %(waiting)s 签署") % {"waiting": pgettext("list separator", "、").join(waiting)},
        mine=any(p["can_sign"] for p in parties),
    )


def agreement_versions(user: Any, agreement: Agreement) -> list[Agreement]:
    """Every version of the agreement the user may see, oldest first."""
    return list(
        Agreement.objects.visible_to(user)
        .filter(number__startswith=agreement.number.split("-V")[0])
        .order_by("version")
        .only("pk", "number", "version", "status")
    )


def statement_next_step(user: Any, statement: Statement) -> NextStep | None:
    """A draft statement waits for the station to check and issue it."""
    if statement.status != StatementStatus.DRAFT:
        return None
    return NextStep(
        gettext("草稿:等待 共享驿站 核对并出具。金额按最新确认工时和补贴政策测算,出具时锁定。"),
        mine=is_operator(user),
    )


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
    booked = booked_hours([t.pk for t in pool], today)
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


# Free slots: what a host may book of the talent's time --------------------------------------------

#: Slot lengths (hours) the booking page offers; the first is the default.
SLOT_HOURS = (2, 1, 4)


@dataclass(frozen=True)
class FreeSlot:
    """A bookable block of the talent's time (local, within one day)."""

    starts: dt.datetime
    ends: dt.datetime

    @property
    def value(self) -> str:
        """What the slot button posts: ``2026-12-04T09:00/11:00`` (forms.parse_slot reads it back)."""
        return f"{self.starts:%Y-%m-%dT%H:%M}/{self.ends:%H:%M}"

    @property
    def label(self) -> str:
        return f"{self.starts:%H:%M}–{self.ends:%H:%M}"


@dataclass(frozen=True)
class SlotDay:
    day: dt.date
    slots: list[FreeSlot]

    @property
    def weekday(self) -> str:
        return str(Weekday(self.day.weekday()).label)


def week_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def free_intervals(
    talent: Talent, first: dt.date, last: dt.date
) -> dict[dt.date, list[tuple[dt.datetime, dt.datetime]]]:
    """The talent's free time per day in ``[first, last]``: weekly windows, less unavailable dates, less
    every live booking (whichever firm made it: only that the time is taken is used, never by whom).
    Three queries."""
    from jingxiang.sharing.services import DEFAULT_WINDOWS

    tz = timezone.get_current_timezone()
    profile = sharing_profile_of(talent)
    if profile is None:
        windows = list(DEFAULT_WINDOWS)
        closed: set[dt.date] = set()
    else:
        windows = [(w.weekday, w.start_time, w.end_time) for w in profile.windows.all()]
        closed = {e.date for e in profile.exceptions.all()}
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    taken = [
        (timezone.localtime(b.starts_at), timezone.localtime(b.ends_at))
        for b in Booking.objects.live()
        .filter(talent=talent, starts_at__lt=end, ends_at__gt=start)
        .order_by("starts_at")
    ]
    free: dict[dt.date, list[tuple[dt.datetime, dt.datetime]]] = {}
    day = first
    while day <= last:
        if day not in closed:
            for weekday, opens, closes in sorted(windows, key=lambda w: (w[0], w[1])):
                if weekday != day.weekday():
                    continue
                pieces = [
                    (dt.datetime.combine(day, opens, tzinfo=tz), dt.datetime.combine(day, closes, tzinfo=tz))
                ]
                for busy_start, busy_end in taken:
                    pieces = [
                        part
                        for piece_start, piece_end in pieces
                        for part in (
                            (piece_start, min(piece_end, busy_start)),
                            (max(piece_start, busy_end), piece_end),
                        )
                        if part[1] > part[0]
                    ]
                free.setdefault(day, []).extend(pieces)
        day += dt.timedelta(days=1)
    return free


def free_slots(agreement: Agreement, *, week: dt.date, hours: int) -> list[SlotDay]:
    """The bookable slots of ``hours`` hours in the week starting ``week``: free time inside the
    agreement's term, from the next full hour on, cut into consecutive blocks. Days without one are
    left out."""
    now = timezone.localtime()
    next_hour = now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    first = max(week, agreement.period_start, now.date())
    last = min(week + dt.timedelta(days=6), agreement.period_end)
    if first > last:
        return []
    length = dt.timedelta(hours=hours)
    days = []
    for day, pieces in sorted(free_intervals(agreement.talent, first, last).items()):
        slots = []
        for piece_start, piece_end in pieces:
            cursor = max(piece_start, next_hour)
            while cursor + length <= piece_end:
                slots.append(FreeSlot(cursor, cursor + length))
                cursor += length
        if slots:
            days.append(SlotDay(day, slots))
    return days
