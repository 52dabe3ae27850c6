"""The subjects of the existing apps: who the parties are, the title and the page of each.

A firm acts through its managers (admin, 共享人才官), a supplier organisation through the roles that
answer demands for it, a talent in person; at matchmaking events a registration acts as the events app
says (``Participant.objects.acting_for``). The sharing station (operators) is a party of a sharing
request, which a firm files with the station.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingxiang.conversations.registry import STATION, Host, Side, SubjectKind, register, register_host


def _firm(organisation: Any) -> Side:
    from jingxiang.organisations.permissions import FIRM_MANAGERS

    return Side(organisation.name, organisation_id=organisation.pk, roles=tuple(FIRM_MANAGERS))


def _supplier(row: Any) -> Side:
    """The talent (in person) or the supplier organisation of a demands invitation/proposal/application."""
    from jingxiang.demands.permissions import SUPPLIER_ORG_ROLES

    if row.talent_id:
        return Side(row.talent.name, user_id=row.talent.user_id)
    return Side(row.organisation.name, organisation_id=row.organisation_id, roles=tuple(SUPPLIER_ORG_ROLES))


def _participant(participant: Any) -> Side:
    from jingxiang.events.models import ParticipantKind
    from jingxiang.organisations.models import Role
    from jingxiang.organisations.permissions import FIRM_MANAGERS

    if participant.kind == ParticipantKind.EXPERT:
        return Side(participant.name, user_id=participant.talent.user_id if participant.talent_id else None)
    roles = tuple(FIRM_MANAGERS) if participant.kind == ParticipantKind.FIRM else (Role.ORG_ADMIN,)
    return Side(participant.name, organisation_id=participant.organisation_id, roles=tuple(map(str, roles)))


def _station() -> Side:
    return Side(STATION, operators=True)


def register_existing_apps() -> None:
    from jingxiang.demands.models import Challenge, ChallengeApplication, Demand, Proposal
    from jingxiang.demands.models import Invitation as DemandInvitation
    from jingxiang.events.models import Meeting
    from jingxiang.sharing.models import Invitation as SharingInvitation
    from jingxiang.sharing.models import SharingRequest

    register(
        SubjectKind(
            key="sharing-request",
            label=_("共享需求"),
            model=SharingRequest,
            load=lambda pk: SharingRequest.objects.select_related("firm").filter(pk=pk).first(),
            parties=lambda r: [_firm(r.firm), _station()],
            title=lambda r: r.title,
            url=lambda r: reverse("sharing:request_detail", args=[r.pk]),
        )
    )
    register(
        SubjectKind(
            key="sharing-invitation",
            label=_("共享邀请"),
            model=SharingInvitation,
            load=lambda pk: (
                SharingInvitation.objects.select_related("request__firm", "talent").filter(pk=pk).first()
            ),
            parties=lambda i: [_firm(i.request.firm), Side(i.talent.name, user_id=i.talent.user_id)],
            title=lambda i: f"{i.request.title} · {i.talent.name}",
            url=lambda i: reverse("sharing:request_detail", args=[i.request_id]),
        )
    )
    register(
        SubjectKind(
            key="demands-invitation",
            label=_("对接邀请"),
            model=DemandInvitation,
            load=lambda pk: (
                DemandInvitation.objects.select_related("demand__organisation", "talent", "organisation")
                .filter(pk=pk)
                .first()
            ),
            parties=lambda i: [_firm(i.demand.organisation), _supplier(i)],
            title=lambda i: f"{i.demand.title} · {i.supplier_name}",
            url=lambda i: reverse("demands:detail", args=[i.demand_id]),
        )
    )
    register(
        SubjectKind(
            key="demands-proposal",
            label=_("对接方案"),
            model=Proposal,
            load=lambda pk: (
                Proposal.objects.select_related("demand__organisation", "talent", "organisation")
                .filter(pk=pk)
                .first()
            ),
            parties=lambda p: [_firm(p.demand.organisation), _supplier(p)],
            title=lambda p: f"{p.demand.title} · {p.supplier_name}",
            url=lambda p: reverse("demands:detail", args=[p.demand_id]),
        )
    )
    register(
        SubjectKind(
            key="demands-application",
            label=_("揭榜申请"),
            model=ChallengeApplication,
            load=lambda pk: (
                ChallengeApplication.objects.select_related(
                    "challenge__demand__organisation", "talent", "organisation"
                )
                .filter(pk=pk)
                .first()
            ),
            parties=lambda a: [_firm(a.challenge.demand.organisation), _supplier(a)],
            title=lambda a: f"{a.challenge.title} · {a.supplier_name}",
            url=lambda a: reverse("demands:challenge_detail", args=[a.challenge_id]),
        )
    )
    register(
        SubjectKind(
            key="events-meeting",
            label=_("洽谈预约"),
            model=Meeting,
            load=lambda pk: (
                Meeting.objects.select_related("requester__talent", "recipient__talent").filter(pk=pk).first()
            ),
            parties=lambda m: [_participant(m.requester), _participant(m.recipient)],
            title=lambda m: f"{m.requester.name} ↔ {m.recipient.name}",
            url=lambda m: reverse("events:meeting", args=[m.pk]),
        )
    )

    def request_related(r: Any) -> Iterable[tuple[str, Any]]:
        yield "sharing-request", r
        for invitation in r.invitations.select_related("talent"):
            invitation.request = r
            yield "sharing-invitation", invitation

    def demand_related(d: Any) -> Iterable[tuple[str, Any]]:
        for invitation in d.invitations.select_related("talent", "organisation"):
            invitation.demand = d
            yield "demands-invitation", invitation
        for proposal in d.proposals.select_related("talent", "organisation"):
            proposal.demand = d
            yield "demands-proposal", proposal

    def challenge_related(c: Any) -> Iterable[tuple[str, Any]]:
        for application in c.applications.select_related("talent", "organisation"):
            application.challenge = c
            yield "demands-application", application

    register_host(Host(SharingRequest, request_related))
    register_host(Host(Demand, demand_related))
    register_host(Host(Challenge, challenge_related))
