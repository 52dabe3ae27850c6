"""Who may see and act on shared-talent records.

Default deny. A firm sees only its own requests, agreements and statements; a talent sees only their
own; the home employer sees the agreements of its own people; the station (operators) sees all.
"Not found" and "forbidden" both raise Http404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from jingxiang.organisations.permissions import (
    FIRM_MANAGERS,
    approved_organisation_ids,
    firm_ids,
    is_operator,
)
from jingxiang.sharing.models import (
    Agreement,
    AgreementStatus,
    Booking,
    Invitation,
    InvitationStatus,
    Outcome,
    Party,
    SharingRequest,
    Statement,
    SubsidyPolicy,
    Timesheet,
    TimesheetStatus,
)
from jingxiang.talents.models import Talent
from jingxiang.talents.permissions import has_talent_profile, may_edit


def officer_firm_ids(user: Any) -> set[int]:
    """Approved firms for which the user files requests and manages shared talent (共享人才官 or admin)."""
    return firm_ids(user, *FIRM_MANAGERS)


def is_talent(user: Any) -> bool:
    return has_talent_profile(user)


def uses_sharing(user: Any) -> bool:
    """Anyone who takes part in sharing: operators, firms' officers, home employers, talents."""
    return (
        is_operator(user)
        or bool(firm_ids(user))
        or bool(approved_organisation_ids(user, *FIRM_MANAGERS))
        or is_talent(user)
    )


def pool_queryset(user: Any) -> QuerySet[Talent]:
    """Talents offering shared service, as far as the user may see the talent directory."""
    return Talent.objects.visible_to(user).filter(shares_talent=True, archived_at__isnull=True)


def access_profile(user: Any, pk: int, *, write: bool = False) -> Talent:
    """A talent of the pool; writing (service modes, conflicts, calendar) as for the talent profile."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    talent = Talent.objects.visible_to(user).select_related("home_organisation", "user").filter(pk=pk).first()
    if talent is None:
        raise Http404
    if write:
        if not may_edit(user, talent):
            raise Http404
    elif not talent.shares_talent and not may_edit(user, talent):
        raise Http404
    return talent


def may_manage_request(user: Any, request: SharingRequest) -> bool:
    """The station, or the requesting firm's 共享人才官 / admin."""
    return is_operator(user) or request.firm_id in officer_firm_ids(user)


def access_request(user: Any, pk: int, *, write: bool = False) -> SharingRequest:
    """A sharing request the user may see (or manage, with ``write``)."""
    request = (
        SharingRequest.objects.visible_to(user).select_related("firm", "created_by").filter(pk=pk).first()
    )
    if request is None or (write and not may_manage_request(user, request)):
        raise Http404
    return request


def access_invitation(user: Any, pk: int, *, write: bool = False) -> Invitation:
    """An invitation: the invited talent, and whoever manages the request; ``write`` is the talent's reply."""
    invitation = (
        Invitation.objects.select_related("request__firm", "talent__user", "talent__home_organisation")
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        raise Http404
    own = invitation.talent.user_id is not None and invitation.talent.user_id == getattr(user, "pk", None)
    if write and not own:
        raise Http404
    if not own and not may_manage_request(user, invitation.request):
        raise Http404
    return invitation


def signable_parties(user: Any, agreement: Agreement) -> set[str]:
    """The parties of the agreement this user may sign for."""
    parties: set[str] = set()
    if agreement.home_id and agreement.home_id in approved_organisation_ids(user, *FIRM_MANAGERS):
        parties.add(Party.HOME)
    if agreement.host_id in officer_firm_ids(user):
        parties.add(Party.HOST)
    if agreement.talent.user_id is not None and agreement.talent.user_id == getattr(user, "pk", None):
        parties.add(Party.TALENT)
    return parties & set(agreement.parties)


def may_manage_agreement(user: Any, agreement: Agreement) -> bool:
    """The host firm's officers arrange the work (bookings, outcomes); the station may too."""
    return agreement.host_id in officer_firm_ids(user) or is_operator(user)


def access_agreement(user: Any, pk: int, *, write: bool = False) -> Agreement:
    """An agreement the user may see (or manage as the host / station, with ``write``)."""
    agreement = (
        Agreement.objects.visible_to(user)
        .select_related("talent__user", "host", "home", "request", "previous")
        .filter(pk=pk)
        .first()
    )
    if agreement is None or (write and not may_manage_agreement(user, agreement)):
        raise Http404
    return agreement


def may_book(user: Any, agreement: Agreement) -> bool:
    return agreement.host_id in officer_firm_ids(user) and agreement.status == AgreementStatus.ACTIVE


def access_booking(user: Any, pk: int, *, write: bool = False) -> Booking:
    """A booking; ``write`` means logging work against it, which only the talent does."""
    booking = (
        Booking.objects.visible_to(user)
        .select_related("agreement__host", "agreement__home", "talent__user")
        .filter(pk=pk)
        .first()
    )
    if booking is None:
        raise Http404
    if write and booking.talent.user_id != getattr(user, "pk", None):
        raise Http404
    return booking


def may_review_timesheet(user: Any, timesheet: Timesheet) -> bool:
    return (
        timesheet.status == TimesheetStatus.SUBMITTED
        and timesheet.booking.agreement.host_id in officer_firm_ids(user)
    )


def access_timesheet(user: Any, pk: int, *, write: bool = False) -> Timesheet:
    """A timesheet; ``write`` is reviewing (host officers) or resolving a dispute (station)."""
    timesheet = (
        Timesheet.objects.visible_to(user)
        .select_related("booking__agreement__host", "booking__talent__user")
        .filter(pk=pk)
        .first()
    )
    if timesheet is None:
        raise Http404
    if write and not (is_operator(user) or timesheet.booking.agreement.host_id in officer_firm_ids(user)):
        raise Http404
    return timesheet


def access_statement(user: Any, pk: int, *, write: bool = False) -> Statement:
    """A statement the user may see; ``write`` (issuing, adjusting) is for the station only."""
    statement = (
        Statement.objects.visible_to(user)
        .select_related("agreement__home", "agreement__talent", "host", "talent", "policy", "issued_by")
        .filter(pk=pk)
        .first()
    )
    if statement is None or (write and not is_operator(user)):
        raise Http404
    return statement


def access_policy(user: Any, pk: int, *, write: bool = False) -> SubsidyPolicy:
    """Subsidy policies are kept by the station."""
    if not is_operator(user):
        raise Http404
    policy = SubsidyPolicy.objects.filter(pk=pk).first()
    if policy is None:
        raise Http404
    return policy


def outcome_queryset(user: Any) -> QuerySet[Outcome]:
    return Outcome.objects.visible_to(user)


def attention_cards(user: Any) -> list[dict[str, Any]]:
    """Home-page cards: invitations to answer, agreements to sign, hours to approve, disputes."""
    cards: list[dict[str, Any]] = []
    if not getattr(user, "is_authenticated", False):
        return cards
    if is_operator(user):
        disputed = Timesheet.objects.filter(status=TimesheetStatus.DISPUTED).count()
        open_requests = SharingRequest.objects.open().count()
        cards.append(
            {
                "title": _("共享驿站:待匹配的共享需求"),
                "count": open_requests,
                "url": reverse("sharing:requests") + "?status=open",
                "tone": "waiting" if open_requests else "ok",
            }
        )
        if disputed:
            cards.append(
                {
                    "title": _("待裁定的工时异议"),
                    "count": disputed,
                    "url": reverse("sharing:timesheets") + "?status=disputed",
                    "tone": "bad",
                }
            )
    officer_firms = officer_firm_ids(user)
    if officer_firms:
        to_review = Timesheet.objects.filter(
            status=TimesheetStatus.SUBMITTED, booking__agreement__host_id__in=officer_firms
        ).count()
        if to_review:
            cards.append(
                {
                    "title": _("待确认的共享人才工时"),
                    "count": to_review,
                    "url": reverse("sharing:timesheets") + "?status=submitted",
                    "tone": "waiting",
                }
            )
    if is_talent(user):
        pending = Invitation.objects.filter(talent__user=user, status=InvitationStatus.PENDING).count()
        if pending:
            cards.append(
                {
                    "title": _("待回复的共享邀请"),
                    "count": pending,
                    "url": reverse("sharing:me"),
                    "tone": "waiting",
                }
            )
    signer_orgs = approved_organisation_ids(user, *FIRM_MANAGERS)
    if signer_orgs or is_talent(user):
        from django.db.models import Q

        unsigned = (
            Agreement.objects.filter(status=AgreementStatus.PENDING)
            .filter(Q(host_id__in=signer_orgs) | Q(home_id__in=signer_orgs) | Q(talent__user=user))
            .exclude(signatures__signed_by=user)
            .count()
        )
        if unsigned:
            cards.append(
                {
                    "title": _("待签署的共享协议"),
                    "count": unsigned,
                    "url": reverse("sharing:agreements") + "?status=pending",
                    "tone": "waiting",
                }
            )
    return cards
