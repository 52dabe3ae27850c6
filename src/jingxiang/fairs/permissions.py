"""Who may see and do what at the fairs. Default deny; "not found" and "forbidden" both raise Http404.

Operators run fairs (halls, booths, allocation, buyers list, scheduling). A firm applies to exhibit
through its org admin or talent officer; its people (also members) capture leads at the booth and read
its report. Buyers pre-register without a login; a buyer with a login who acts for an organisation asks
exhibitors for meetings (the events app's request flow) in the app, any other buyer through their
personal link (the same flow). A badge is opened by its unguessable code, as printed in its QR; the
personal link is shown only to its holder.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.http import Http404

from jingxiang.fairs.models import (
    ApplicationStatus,
    Booth,
    Buyer,
    BuyerLink,
    ExhibitorApplication,
    Fair,
    FairStatus,
    Hall,
    ReportIssue,
)
from jingxiang.organisations.permissions import FIRM_PEOPLE, firm_ids, is_operator, managed_firm_ids

OPEN_APPLICATION = (ApplicationStatus.SUBMITTED, ApplicationStatus.ALLOCATED)


def access_fair(user: Any, pk: int, *, write: bool = False) -> Fair:
    """A fair the user may see (anyone: fairs past preparation); ``write``: operators only."""
    fair: Fair | None = Fair.objects.visible_to(user).select_related("event").filter(pk=pk).first()
    if fair is None or (write and not is_operator(user)):
        raise Http404
    return fair


def access_hall(user: Any, pk: int) -> Hall:
    hall = Hall.objects.select_related("fair").filter(pk=pk).first()
    if hall is None or not Fair.objects.visible_to(user).filter(pk=hall.fair_id).exists():
        raise Http404
    return hall


def access_booth(user: Any, pk: int, *, write: bool = False) -> Booth:
    """A booth of a visible fair; ``write`` (hold, block, allocate): operators only."""
    booth = Booth.objects.select_related("hall", "fair").filter(pk=pk).first()
    if booth is None or not Fair.objects.visible_to(user).filter(pk=booth.fair_id).exists():
        raise Http404
    if write and not is_operator(user):
        raise Http404
    return booth


def applying_firms(user: Any, fair: Fair) -> list[Any]:
    """Firms the user may apply for (org admin / talent officer) that have no open application yet."""
    from jingxiang.organisations.models import Organisation

    if not getattr(user, "is_authenticated", False) or fair.status != FairStatus.OPEN:
        return []
    taken = set(
        ExhibitorApplication.objects.filter(fair=fair, status__in=OPEN_APPLICATION).values_list(
            "organisation_id", flat=True
        )
    )
    return list(Organisation.objects.filter(pk__in=managed_firm_ids(user) - taken).order_by("name"))


def may_apply(user: Any, fair: Fair) -> bool:
    return bool(applying_firms(user, fair))


def my_applications(user: Any, fair: Fair) -> list[ExhibitorApplication]:
    """The open applications of the user's firms at this fair (exhibitor staff: members too)."""
    return list(
        ExhibitorApplication.objects.visible_to(user)
        .filter(fair=fair, status__in=OPEN_APPLICATION)
        .select_related("organisation")
    )


def access_application(user: Any, pk: int, *, write: bool = False) -> ExhibitorApplication:
    """An application: operators and the firm's people; ``write`` (withdraw): operators and the firm's
    managers."""
    application: ExhibitorApplication | None = (
        ExhibitorApplication.objects.visible_to(user)
        .select_related("fair", "organisation", "participant")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    if write and not (is_operator(user) or application.organisation_id in managed_firm_ids(user)):
        raise Http404
    return application


def may_withdraw(user: Any, application: ExhibitorApplication) -> bool:
    return application.status in OPEN_APPLICATION and (
        is_operator(user) or application.organisation_id in managed_firm_ids(user)
    )


def may_capture_leads(user: Any, application: ExhibitorApplication) -> bool:
    """The exhibitor's own people capture leads at its booth, once a booth is allocated; operators
    record leads for it too (outside the fair's dates only they may, with a reason)."""
    return application.status == ApplicationStatus.ALLOCATED and (
        is_operator(user) or application.organisation_id in firm_ids(user, *FIRM_PEOPLE)
    )


def access_lead_desk(user: Any, pk: int) -> ExhibitorApplication:
    application = access_application(user, pk)
    if not may_capture_leads(user, application):
        raise Http404
    return application


def my_buyers(user: Any, fair: Fair) -> list[Buyer]:
    """The user's own buyer registrations at this fair (a buyer with a login)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Buyer.objects.filter(fair=fair, user=user, archived_at__isnull=True).select_related("participant")
    )


def may_request_meetings(buyer: Buyer | None) -> bool:
    return buyer is not None and buyer.participant_id is not None


def books_in_app(buyer: Buyer) -> bool:
    """A buyer registered for an organisation of theirs books in the app (the events' pages show their
    meetings); a guest registration books on the buyer's personal page, by its link."""
    return (
        buyer.participant_id is not None
        and buyer.participant is not None
        and (buyer.participant.organisation_id is not None)
    )


def access_badge(code: str) -> Buyer:
    """A badge by its unguessable code (the link given at registration and printed in its QR)."""
    buyer: Buyer | None = (
        Buyer.objects.select_related("fair").filter(badge_code=code.upper(), archived_at__isnull=True).first()
    )
    if buyer is None:
        raise Http404
    return buyer


def access_buyer_link(token: str) -> BuyerLink:
    """A buyer's personal page by its link, for anyone holding the URL (no login): a revoked or unknown
    link, or a cancelled registration, is a 404."""
    link: BuyerLink | None = (
        BuyerLink.objects.live().select_related("buyer__fair__event").filter(token=token).first()
    )
    if link is None or link.buyer.archived_at is not None:
        raise Http404
    return link


def may_manage_buyer_link(user: Any, buyer: Buyer) -> bool:
    """Operators (at the service desk) and the buyer's own login renew or stop a personal link."""
    return is_operator(user) or (buyer.user_id is not None and buyer.user_id == getattr(user, "pk", None))


def access_link_exhibitor(link: BuyerLink, pk: int) -> ExhibitorApplication:
    """An exhibitor (allocated application) of the link's fair that its buyer may ask for a meeting."""
    buyer = link.buyer
    application: ExhibitorApplication | None = (
        ExhibitorApplication.objects.select_related("organisation")
        .filter(pk=pk, fair_id=buyer.fair_id, status=ApplicationStatus.ALLOCATED)
        .first()
    )
    if application is None or not may_request_meetings(buyer):
        raise Http404
    return application


def access_link_meeting(link: BuyerLink, pk: int) -> Any:
    """A meeting request addressed to the link's buyer (what she may answer on her page)."""
    from jingxiang.events.models import Meeting

    meeting = Meeting.objects.filter(pk=pk, recipient_id=link.buyer.participant_id or 0).first()
    if meeting is None:
        raise Http404
    return meeting


def access_report_application(user: Any, pk: int) -> ExhibitorApplication:
    """An application whose exhibitor report the user may read or issue: allocated (operators: any)."""
    application = access_application(user, pk)
    if application.status != ApplicationStatus.ALLOCATED and not is_operator(user):
        raise Http404
    return application


def access_report_issue(user: Any, pk: int) -> ReportIssue:
    """An issued report, on the same terms as its application's report."""
    issue: ReportIssue | None = ReportIssue.objects.filter(pk=pk).first()
    if issue is None:
        raise Http404
    access_report_application(user, issue.application_id)
    return issue


def access_badge_links(user: Any, code: str) -> Buyer:
    """A badge whose personal link ``user`` may renew or stop (``may_manage_buyer_link``); 404 otherwise."""
    buyer = access_badge(code)
    if not may_manage_buyer_link(user, buyer):
        raise Http404
    return buyer


def personal_link_shown(user: Any, held_tokens: Collection[str], buyer: Buyer) -> BuyerLink | None:
    """The buyer's live personal link, for the badge page: only to the buyer's own login and to the
    browser that registered or opened it (``held_tokens``, from its session), never to whoever opens
    the badge by the code its public QR holds."""
    link: BuyerLink | None = BuyerLink.objects.live().filter(buyer=buyer).first()
    if link is None:
        return None
    own = buyer.user_id is not None and buyer.user_id == getattr(user, "pk", None)
    return link if own or link.token in held_tokens else None


def may_see_buyers(user: Any) -> bool:
    return is_operator(user)


def uses_fairs(user: Any) -> bool:
    """The nav item: operators, and anyone signed in (fairs are public to see, buyers register)."""
    return bool(getattr(user, "is_authenticated", False))
