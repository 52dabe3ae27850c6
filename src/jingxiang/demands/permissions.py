"""Who may see and act on demands, proposals and challenges. Default deny; 404 for both "not found"
and "forbidden"."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from jingxiang.demands.models import (
    Challenge,
    ChallengeReviewer,
    Demand,
    DemandStatus,
    Invitation,
    InvitationStatus,
    Proposal,
    ProposalStatus,
)
from jingxiang.matchindex.suppliers import SUPPLIER_ORG_KINDS, TALENT_KINDS
from jingxiang.organisations.models import Organisation, Role
from jingxiang.organisations.permissions import (
    FIRM_MANAGERS,
    approved_organisation_ids,
    firm_ids,
    is_operator,
)

__all__ = ["is_operator"]

SUPPLIER_ORG_ROLES = (Role.ORG_ADMIN, Role.LAB_STAFF, Role.MEMBER)


def poster_firm_ids(user: Any) -> set[int]:
    """Approved firms for which the user may post and manage demands (admins and 共享人才官)."""
    return firm_ids(user, *FIRM_MANAGERS)


def may_post(user: Any) -> bool:
    return bool(poster_firm_ids(user))


def supplier_identities(user: Any) -> dict[str, Any]:
    """The talent profile and the approved non-firm organisations the user may answer for.

    ``{"talent": Talent | None, "organisations": [Organisation]}``, cached on the user for the request.
    """
    cached = getattr(user, "_jingxiang_supplier", None)
    if cached is not None:
        return cached
    from jingxiang.talents.models import Talent

    cached = {"talent": None, "organisations": []}
    if getattr(user, "is_authenticated", False):
        cached["talent"] = (
            Talent.objects.filter(user=user, archived_at__isnull=True, kind__in=list(TALENT_KINDS))
            .select_related("home_organisation")
            .first()
        )
        org_ids = approved_organisation_ids(user, *SUPPLIER_ORG_ROLES)
        cached["organisations"] = (
            list(Organisation.objects.approved().filter(pk__in=org_ids, kind__in=list(SUPPLIER_ORG_KINDS)))
            if org_ids
            else []
        )
    user._jingxiang_supplier = cached
    return cached


def is_supplier(user: Any) -> bool:
    identities = supplier_identities(user)
    return identities["talent"] is not None or bool(identities["organisations"])


def supplier_choices(user: Any) -> list[tuple[str, str]]:
    """("T-3", "周敏华(个人)") … for forms where the user picks in whose name they answer."""
    identities = supplier_identities(user)
    choices = []
    if identities["talent"] is not None:
        choices.append(
            (f"T-{identities['talent'].pk}", _("%(name)s(个人)") % {"name": identities["talent"].name})
        )
    choices.extend((f"O-{org.pk}", org.name) for org in identities["organisations"])
    return choices


def acts_for_supplier(user: Any, *, talent_id: int | None, organisation_id: int | None) -> bool:
    identities = supplier_identities(user)
    if talent_id is not None:
        return identities["talent"] is not None and identities["talent"].pk == talent_id
    return any(org.pk == organisation_id for org in identities["organisations"])


def access_demand(user: Any, pk: int, *, write: bool = False) -> Demand:
    """The demand if the user may see it; with ``write``, only the posting firm's admins/共享人才官."""
    demand = (
        Demand.objects.visible_to(user).select_related("organisation", "created_by").filter(pk=pk).first()
    )
    if demand is None:
        raise Http404
    if write and demand.organisation_id not in poster_firm_ids(user):
        raise Http404
    return demand


def may_manage_demand(user: Any, demand: Demand) -> bool:
    return demand.organisation_id in poster_firm_ids(user)


def access_invitation(user: Any, pk: int) -> Invitation:
    """An invitation, for the supplier it is addressed to (to answer it)."""
    invitation = (
        Invitation.objects.select_related("demand__organisation", "talent", "organisation")
        .filter(pk=pk)
        .first()
    )
    if invitation is None or not acts_for_supplier(
        user, talent_id=invitation.talent_id, organisation_id=invitation.organisation_id
    ):
        raise Http404
    return invitation


def access_proposal(user: Any, pk: int) -> Proposal:
    """A proposal, for the demanding firm's managers (to decide on it)."""
    proposal = (
        Proposal.objects.select_related("demand__organisation", "talent", "organisation")
        .filter(pk=pk)
        .first()
    )
    if proposal is None or not may_manage_demand(user, proposal.demand):
        raise Http404
    return proposal


def access_challenge(user: Any, pk: int, *, write: bool = False) -> Challenge:
    """Published challenges of public demands are for everyone signed in; ``write`` is for operators."""
    challenge = (
        Challenge.objects.visible_to(user).select_related("demand__organisation").filter(pk=pk).first()
    )
    if challenge is None or (write and not is_operator(user)):
        raise Http404
    return challenge


def reviewer_for(user: Any, challenge: Challenge) -> ChallengeReviewer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return ChallengeReviewer.objects.filter(challenge=challenge, user=user).first()


def attention_cards(user: Any) -> list[dict[str, Any]]:
    """Home-page cards: a fixed number of queries whatever the data."""
    cards: list[dict[str, Any]] = []
    if not getattr(user, "is_authenticated", False):
        return cards
    if is_operator(user):
        waiting = Demand.objects.filter(status=DemandStatus.SCREENING, archived_at__isnull=True).count()
        cards.append(
            {
                "title": _("待审核的需求"),
                "count": waiting,
                "url": reverse("demands:board") + "?status=screening",
                "tone": "waiting" if waiting else "ok",
            }
        )
    firms = poster_firm_ids(user)
    if firms:
        proposals = Proposal.objects.filter(
            demand__organisation_id__in=firms, status=ProposalStatus.SUBMITTED
        ).count()
        if proposals:
            cards.append(
                {
                    "title": _("等待您决定的对接方案"),
                    "count": proposals,
                    "url": reverse("demands:list") + "?mine=1",
                    "tone": "waiting",
                }
            )
    identities = supplier_identities(user)
    if identities["talent"] is not None or identities["organisations"]:
        condition = Q(organisation_id__in=[org.pk for org in identities["organisations"]])
        if identities["talent"] is not None:
            condition |= Q(talent_id=identities["talent"].pk)
        pending = Invitation.objects.filter(condition, status=InvitationStatus.PENDING).count()
        if pending:
            cards.append(
                {
                    "title": _("邀请您对接的需求"),
                    "count": pending,
                    "url": reverse("demands:for_me"),
                    "tone": "waiting",
                }
            )
    return cards
