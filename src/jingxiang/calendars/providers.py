"""The calendar providers of the apps written before the calendars app (registered in ``apps.py``).

Each provider reads through its app's ``visible_to`` and keeps only what the person takes part in:
what visibility allows an operator or a firm to look at is not, for that, on their own calendar.
Each runs a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingxiang.calendars.registry import CalendarEntry, Kind
from jingxiang.organisations.permissions import FIRM_MANAGERS, approved_organisation_ids, managed_firm_ids

BOOKING = Kind("booking", gettext_lazy("共享预约"), "brand")
MEETING = Kind("meeting", gettext_lazy("洽谈"), "ok")
SESSION = Kind("session", gettext_lazy("课次"), "waiting")
DEADLINE = Kind("deadline", gettext_lazy("截止"), "bad")
INTERVIEW = Kind("interview", gettext_lazy("面试"), "ok")


def _days(start: dt.datetime, end: dt.datetime) -> tuple[dt.date, dt.date]:
    """The local dates of ``[start, end)``: the first and the last day it touches."""
    return timezone.localtime(start).date(), timezone.localtime(end - dt.timedelta(microseconds=1)).date()


# Sharing: bookings of the talent's time ------------------------------------------------------------


def sharing_bookings(user: Any, start: dt.datetime, end: dt.datetime) -> list[CalendarEntry]:
    """Live bookings: the booked talent's own, and those the host firm's managers arranged."""
    from jingxiang.sharing.models import Booking

    firms = managed_firm_ids(user)
    rows = (
        Booking.objects.visible_to(user)
        .live()
        .filter(Q(talent__user=user) | Q(agreement__host_id__in=firms), starts_at__lt=end, ends_at__gt=start)
        .select_related("talent", "agreement__host")
    )
    entries = []
    for booking in rows:
        mine = booking.talent.user_id == user.pk
        if mine:
            title = _("共享服务:%(firm)s") % {"firm": booking.agreement.host.name}
            url = reverse("sharing:me")
        else:
            title = _("共享人才:%(name)s") % {"name": booking.talent.name}
            url = reverse("sharing:agreement_detail", args=[booking.agreement_id])
        description = _("协议 %(number)s") % {"number": booking.agreement.number}
        if booking.note:
            description += "\n" + booking.note
        entries.append(
            CalendarEntry(
                uid=f"sharing-booking-{booking.pk}",
                kind=BOOKING,
                title=title,
                starts=booking.starts_at,
                ends=booking.ends_at,
                url=url,
                description=description,
            )
        )
    return entries


def sharing_actions(user: Any) -> list[tuple[str, str]]:
    """The host's managers book a shared talent's free hours from the calendar page."""
    from jingxiang.sharing.models import Agreement, AgreementStatus

    firms = managed_firm_ids(user)
    if not firms:
        return []
    agreements = (
        Agreement.objects.visible_to(user)
        .filter(host_id__in=firms, status=AgreementStatus.ACTIVE, period_end__gte=timezone.localdate())
        .select_related("talent")
        .order_by("talent__name", "pk")[:20]
    )
    return [
        (
            _("预约 %(name)s 的空闲时间") % {"name": agreement.talent.name},
            reverse("sharing:booking_create", args=[agreement.pk]),
        )
        for agreement in agreements
    ]


# Events: scheduled meetings ------------------------------------------------------------------------


def event_meetings(user: Any, start: dt.datetime, end: dt.datetime) -> list[CalendarEntry]:
    """Accepted meetings with a slot on a published agenda, for the registrations the user acts for."""
    from jingxiang.events.models import EventStatus, Meeting, Participant, RequestStatus

    mine = set(Participant.objects.acting_for(user).values_list("pk", flat=True))
    if not mine:
        return []
    rows = (
        Meeting.objects.visible_to(user)
        .filter(
            Q(requester_id__in=mine) | Q(recipient_id__in=mine),
            status=RequestStatus.ACCEPTED,
            slot__isnull=False,
            event__status__in=[EventStatus.PUBLISHED, EventStatus.CLOSED],
            slot__starts_at__lt=end,
            slot__ends_at__gt=start,
        )
        .select_related("slot", "table", "event", "requester", "recipient")
    )
    entries = []
    for meeting in rows:
        other = meeting.recipient if meeting.requester_id in mine else meeting.requester
        place = [meeting.event.venue, meeting.table.name if meeting.table else ""]
        entries.append(
            CalendarEntry(
                uid=f"events-meeting-{meeting.pk}",
                kind=MEETING,
                title=_("洽谈:%(name)s") % {"name": other.name},
                starts=meeting.slot.starts_at,
                ends=meeting.slot.ends_at,
                url=reverse("events:meeting", args=[meeting.pk]),
                location=" · ".join(p for p in place if p),
                description=meeting.event.title,
            )
        )
    return entries


# Academy: cohort sessions for trainees and trainers ------------------------------------------------


def academy_sessions(user: Any, start: dt.datetime, end: dt.datetime) -> list[CalendarEntry]:
    """Sessions of the cohorts the user is admitted to as a trainee or teaches as a trainer."""
    from jingxiang.academy.models import Cohort, CohortStatus, EnrolmentStatus, Session

    talent = getattr(user, "talent", None)
    if talent is None:
        return []
    trainee = Q(
        cohort__enrolments__talent=talent,
        cohort__enrolments__status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.GRADUATED],
    )
    teaching = Q(cohort__lead_trainer=talent) | Q(cohort__course__trainers=talent)
    rows = list(
        Session.objects.filter(
            trainee | teaching,
            cohort__in=Cohort.objects.visible_to(user).filter(archived_at__isnull=True),
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .exclude(cohort__status=CohortStatus.CANCELLED)
        .select_related("cohort__course", "cohort__lead_trainer")
        .distinct()
    )
    taught = set(
        Session.objects.filter(pk__in=[s.pk for s in rows]).filter(teaching).values_list("pk", flat=True)
    )
    entries = []
    for session in rows:
        teaches = session.pk in taught
        entries.append(
            CalendarEntry(
                uid=f"academy-session-{session.pk}",
                kind=SESSION,
                title=(_("授课:%(topic)s") if teaches else _("上课:%(topic)s")) % {"topic": session.topic},
                starts=session.starts_at,
                ends=session.ends_at,
                url=reverse("academy:session_detail", args=[session.pk])
                if teaches
                else reverse("academy:cohort_detail", args=[session.cohort_id]),
                location=session.cohort.venue,
                description=f"{session.cohort.course.title} · {session.cohort.name}",
            )
        )
    return entries


# Demand board: deadlines ---------------------------------------------------------------------------


def demand_deadlines(user: Any, start: dt.datetime, end: dt.datetime) -> list[CalendarEntry]:
    """The firm's open demands' wished completion dates, and challenge deadlines for the firm that set
    the challenge, those who applied to it and its reviewers."""
    from jingxiang.demands.models import OPEN_STATUSES, Challenge, ChallengeStatus, Demand

    first, last = _days(start, end)
    managed = approved_organisation_ids(user, *FIRM_MANAGERS)
    entries = []
    if managed:
        demands = Demand.objects.visible_to(user).filter(
            organisation_id__in=managed,
            status__in=OPEN_STATUSES,
            archived_at__isnull=True,
            deadline__gte=first,
            deadline__lte=last,
        )
        entries += [
            CalendarEntry(
                uid=f"demands-demand-{demand.pk}",
                kind=DEADLINE,
                title=_("需求期望完成:%(title)s") % {"title": demand.title},
                starts=demand.deadline,
                ends=demand.deadline,
                all_day=True,
                url=reverse("demands:detail", args=[demand.pk]),
            )
            for demand in demands
            if demand.deadline is not None
        ]
    involved = Q(demand__organisation_id__in=managed) | Q(reviewers__user=user)
    involved |= Q(applications__talent__user=user) | Q(applications__organisation_id__in=managed)
    challenges = (
        Challenge.objects.visible_to(user)
        .filter(involved, status=ChallengeStatus.OPEN, archived_at__isnull=True)
        .filter(deadline__gte=first, deadline__lte=last)
        .distinct()
    )
    entries += [
        CalendarEntry(
            uid=f"demands-challenge-{challenge.pk}",
            kind=DEADLINE,
            title=_("揭榜截止:%(title)s") % {"title": challenge.title},
            starts=challenge.deadline,
            ends=challenge.deadline,
            all_day=True,
            url=reverse("demands:challenge_detail", args=[challenge.pk]),
        )
        for challenge in challenges
    ]
    return entries


# Recruitment: interviews ---------------------------------------------------------------------------


def recruitment_interviews(user: Any, start: dt.datetime, end: dt.datetime) -> list[CalendarEntry]:
    """Placed interviews: the student's own, and those at the booths of the firms the user manages.

    The firm's entry names the student by their masked name (the application page shows the rest)."""
    from jingxiang.recruitment.models import Application, ApplicationStatus

    firms = managed_firm_ids(user)
    rows = (
        Application.objects.visible_to(user)
        .filter(
            Q(student__user=user) | Q(job__fair_firm__firm_id__in=firms),
            slot__isnull=False,
            slot__starts_at__lt=end,
            slot__ends_at__gt=start,
        )
        .exclude(status__in=[ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED])
        .select_related("slot", "student", "job__fair_firm__firm", "job__fair_firm__fair")
    )
    entries = []
    for application in rows:
        fair_firm = application.job.fair_firm
        own = application.student.user_id == user.pk
        if own:
            title = _("面试:%(post)s · %(firm)s") % {
                "post": application.job.post,
                "firm": fair_firm.firm.name,
            }
            url = reverse("recruitment:mine")
        else:
            title = _("面试:%(post)s · %(name)s") % {
                "post": application.job.post,
                "name": application.student.masked_name,
            }
            url = reverse("recruitment:application", args=[application.pk])
        booth = _("%(n)s 号展位") % {"n": fair_firm.booth} if fair_firm.booth else ""
        entries.append(
            CalendarEntry(
                uid=f"recruitment-interview-{application.pk}",
                kind=INTERVIEW,
                title=title,
                starts=application.slot.starts_at,
                ends=application.slot.ends_at,
                url=url,
                location=" · ".join(p for p in (fair_firm.fair.venue, booth) if p),
                description=fair_firm.fair.title,
            )
        )
    return entries


BUILT_IN = {
    "sharing.bookings": sharing_bookings,
    "events.meetings": event_meetings,
    "academy.sessions": academy_sessions,
    "demands.deadlines": demand_deadlines,
    "recruitment.interviews": recruitment_interviews,
}
