"""Who may see and do what in an alliance.

The secretariat (operators of the alliance's secretariat organisation, and superusers) runs the alliance:
members, domains, plans, meetings, the agreements registry. A domain's lead unit (its admins) plans the
domain's tasks; the people of a task's owner unit report progress and link outputs. Member units and the
town's operators see the alliance's workspace; everyone else sees the public page only. "Not found" and
"forbidden" both raise Http404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from jingxiang.alliance.models import (
    Agreement,
    Alliance,
    Domain,
    Meeting,
    Member,
    MemberStatus,
    Obligation,
    ObligationStatus,
    Task,
)
from jingxiang.organisations.models import OrganisationKind, Role
from jingxiang.organisations.permissions import (
    _roles,
    approved_organisation_ids,
    is_org_admin,
)

_SECRETARIAT_KINDS = {OrganisationKind.ASSOCIATION, OrganisationKind.UNION, OrganisationKind.GOVERNMENT}


def secretariat_org_ids(user: Any) -> set[int]:
    """Approved associations, unions and government bodies where the user is an operator: the
    organisations whose alliances the user may run."""
    return {
        org
        for org, role, kind, status in _roles(user)
        if role == Role.OPERATOR and kind in _SECRETARIAT_KINDS and status == "approved"
    }


def _superuser(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) and getattr(user, "is_active", False))


def may_create_alliance(user: Any) -> bool:
    return _superuser(user) or bool(secretariat_org_ids(user))


def is_secretariat(user: Any, alliance: Alliance) -> bool:
    """The alliance's secretariat: operators of its secretariat organisation (and superusers)."""
    return _superuser(user) or alliance.secretariat_id in secretariat_org_ids(user)


def member_org_ids(user: Any, alliance: Alliance) -> set[int]:
    """The user's approved organisations that are current members of ``alliance``."""
    orgs = approved_organisation_ids(user)
    if not orgs:
        return set()
    return set(
        Member.objects.current()
        .filter(alliance=alliance, organisation_id__in=orgs)
        .values_list("organisation_id", flat=True)
    )


def access_alliance(user: Any, pk: int, *, write: bool = False) -> Alliance:
    """The alliance's workspace (members, town, secretariat); ``write``: the secretariat only."""
    alliance: Alliance | None = (
        Alliance.objects.visible_to(user).filter(pk=pk).select_related("secretariat").first()
    )
    if alliance is None or (write and not is_secretariat(user, alliance)):
        raise Http404
    return alliance


def access_public_alliance(pk: int) -> Alliance:
    alliance: Alliance | None = Alliance.objects.public().filter(pk=pk).first()
    if alliance is None:
        raise Http404
    return alliance


def access_member(user: Any, pk: int, *, write: bool = False) -> Member:
    """A membership: seen by those who see the alliance; ``write`` (review, reassign) by the secretariat."""
    member: Member | None = Member.objects.select_related("alliance", "organisation").filter(pk=pk).first()
    if member is None or not Alliance.objects.visible_to(user).filter(pk=member.alliance_id).exists():
        raise Http404
    if write and not is_secretariat(user, member.alliance):
        raise Http404
    return member


def applicable_organisations(user: Any, alliance: Alliance) -> list[Any]:
    """Organisations the user administers that could apply to join (not holding a membership now)."""
    from jingxiang.organisations.models import Organisation

    admin_of = approved_organisation_ids(user, Role.ORG_ADMIN)
    if not admin_of:
        return []
    holding = Member.objects.filter(
        alliance=alliance, status__in=[MemberStatus.PENDING, MemberStatus.ACTIVE, MemberStatus.LEAVING]
    ).values("organisation_id")
    return list(
        Organisation.objects.filter(pk__in=admin_of)
        .exclude(pk__in=holding)
        .exclude(pk=alliance.secretariat_id)
    )


def may_request_leave(user: Any, member: Member) -> bool:
    return member.status == MemberStatus.ACTIVE and is_org_admin(user, member.organisation_id)


def access_domain(user: Any, pk: int, *, write: bool = False) -> Domain:
    """A domain work group; ``write`` (its data, lead and members): the secretariat."""
    domain: Domain | None = (
        Domain.objects.select_related("alliance", "lead__organisation").filter(pk=pk).first()
    )
    if domain is None or not Alliance.objects.visible_to(user).filter(pk=domain.alliance_id).exists():
        raise Http404
    if write and not is_secretariat(user, domain.alliance):
        raise Http404
    return domain


def is_domain_lead(user: Any, domain: Domain) -> bool:
    """An admin of the domain's lead unit (while that unit is a current member)."""
    lead = domain.lead
    return lead is not None and lead.is_current and is_org_admin(user, lead.organisation_id)


def may_plan(user: Any, domain: Domain) -> bool:
    """Adding tasks to a domain's plan: the secretariat and the lead unit's admins."""
    return is_secretariat(user, domain.alliance) or is_domain_lead(user, domain)


def access_task(user: Any, pk: int, *, write: bool = False) -> Task:
    """A task: seen by those who see the alliance; ``write`` (progress, outputs) by the secretariat, the
    domain's lead unit and the people of the owner unit."""
    task: Task | None = (
        Task.objects.select_related("domain__alliance", "domain__lead", "owner__organisation")
        .filter(pk=pk)
        .first()
    )
    if task is None or not Alliance.objects.visible_to(user).filter(pk=task.domain.alliance_id).exists():
        raise Http404
    if write and not may_work_on(user, task):
        raise Http404
    return task


def may_work_on(user: Any, task: Task) -> bool:
    return may_plan(user, task.domain) or (
        task.owner.is_current and task.owner.organisation_id in approved_organisation_ids(user)
    )


def access_meeting(user: Any, pk: int, *, write: bool = False) -> Meeting:
    """A meeting: seen by those who see the alliance; ``write`` (minutes, decisions) by the secretariat
    and, for a work group's meeting, the lead unit's admins."""
    meeting: Meeting | None = (
        Meeting.objects.select_related("alliance", "domain__lead", "domain__alliance").filter(pk=pk).first()
    )
    if meeting is None or not Alliance.objects.visible_to(user).filter(pk=meeting.alliance_id).exists():
        raise Http404
    if write and not may_run_meeting(user, meeting.alliance, meeting.domain):
        raise Http404
    return meeting


def may_run_meeting(user: Any, alliance: Alliance, domain: Domain | None) -> bool:
    return is_secretariat(user, alliance) or (domain is not None and is_domain_lead(user, domain))


def access_agreement(user: Any, pk: int, *, write: bool = False) -> Agreement:
    """An agreement of the registry; ``write`` (obligations, status): the alliance's secretariat."""
    agreement: Agreement | None = (
        Agreement.objects.visible_to(user).filter(pk=pk).select_related("alliance").first()
    )
    if agreement is None or (write and not is_secretariat(user, agreement.alliance)):
        raise Http404
    return agreement


def access_obligation(user: Any, pk: int, *, write: bool = False) -> Obligation:
    """An obligation; ``write`` (report progress with evidence): the secretariat and the owing party's
    admins."""
    obligation: Obligation | None = (
        Obligation.objects.select_related("agreement__alliance", "party").filter(pk=pk).first()
    )
    if (
        obligation is None
        or not Agreement.objects.visible_to(user).filter(pk=obligation.agreement_id).exists()
    ):
        raise Http404
    if write and not may_report_obligation(user, obligation):
        raise Http404
    return obligation


def may_report_obligation(user: Any, obligation: Obligation) -> bool:
    party_org = obligation.party.organisation_id
    return is_secretariat(user, obligation.agreement.alliance) or (
        party_org is not None and is_org_admin(user, party_org)
    )


def may_see_workspace(user: Any) -> bool:
    return Alliance.objects.visible_to(user).exists()


def attention_cards(user: Any) -> list[dict[str, Any]]:
    """For a secretariat: membership changes waiting for review and overdue obligations."""
    if not getattr(user, "is_authenticated", False):
        return []
    orgs = secretariat_org_ids(user)
    if not orgs:
        return []
    cards: list[dict[str, Any]] = []
    waiting = Member.objects.filter(
        alliance__secretariat_id__in=orgs, status__in=[MemberStatus.PENDING, MemberStatus.LEAVING]
    ).count()
    if waiting:
        cards.append(
            {
                "title": _("待审核的入盟/退盟申请"),
                "count": waiting,
                "url": reverse("alliance:home"),
                "tone": "waiting",
            }
        )
    overdue = Obligation.objects.filter(
        agreement__alliance__secretariat_id__in=orgs, status=ObligationStatus.OVERDUE
    ).count()
    if overdue:
        cards.append(
            {
                "title": _("逾期未履行的协议义务"),
                "count": overdue,
                "url": reverse("alliance:home"),
                "tone": "bad",
            }
        )
    return cards
