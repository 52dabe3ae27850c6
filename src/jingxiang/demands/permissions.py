"""Who may see and act on demands, proposals and challenges. Default deny; 404 for both "not found"
and "forbidden"."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from jingxiang.demands.models import (
    OPEN_STATUSES,
    Challenge,
    ChallengeApplication,
    ChallengeMilestone,
    ChallengeReviewer,
    ChallengeStatus,
    Demand,
    DemandAttachment,
    DemandStatus,
    Invitation,
    InvitationStatus,
    Proposal,
    ProposalStatus,
)
from jingxiang.matchindex.suppliers import SUPPLIER_ORG_KINDS, TALENT_KINDS
from jingxiang.organisations.models import Organisation, Role
from jingxiang.organisations.permissions import (
    approved_organisation_ids,
    forget_roles,
    is_operator,
    managed_firm_ids,
    organisation_ids,
)

__all__ = ["is_operator"]

SUPPLIER_ORG_ROLES = (Role.ORG_ADMIN, Role.LAB_STAFF, Role.MEMBER)


def may_post(user: Any) -> bool:
    return bool(managed_firm_ids(user))


def supplier_identities(user: Any) -> dict[str, Any]:
    """The talent profile and the approved non-firm organisations the user may answer for.

    ``{"talent": Talent | None, "organisations": [Organisation]}``, cached on the user for the request.
    """
    cached = getattr(user, "_jingxiang_supplier", None)
    if cached is not None:
        return cached
    from jingxiang.organisations.models import own_talent_profile

    cached = {"talent": None, "organisations": []}
    if getattr(user, "is_authenticated", False):
        talent = own_talent_profile(user)  # shared with the other apps' menus: no query of its own
        cached["talent"] = talent if talent is not None and talent.kind in TALENT_KINDS else None
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


def addressed_to(user: Any) -> Q | None:
    """Invitations (or proposals) of the suppliers the user answers for; None when they answer for none."""
    identities = supplier_identities(user)
    if identities["talent"] is None and not identities["organisations"]:
        return None
    condition = Q(organisation_id__in=[org.pk for org in identities["organisations"]])
    if identities["talent"] is not None:
        condition |= Q(talent_id=identities["talent"].pk)
    return condition


def answering_as(user: Any) -> list[tuple[str, str]]:
    """``supplier_choices`` for pages that only suppliers use (proposals, applications, "for me"); 404 for
    anyone who answers for nobody."""
    choices = supplier_choices(user)
    if not choices:
        raise Http404
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
    if write and demand.organisation_id not in managed_firm_ids(user):
        raise Http404
    return demand


def may_manage_demand(user: Any, demand: Demand) -> bool:
    return demand.organisation_id in managed_firm_ids(user)


def access_attachment(user: Any, pk: int, attachment_pk: int) -> DemandAttachment:
    """An attachment of a demand the user may see."""
    attachment = access_demand(user, pk).attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return attachment


def posting_firm(user: Any) -> Organisation:
    """The firm in whose name the user posts a demand (the first they manage); 404 for anyone else."""
    firms = managed_firm_ids(user)
    organisation = Organisation.objects.approved().filter(pk__in=firms).order_by("pk").first()
    if organisation is None:
        raise Http404
    return organisation


def may_follow_demand(user: Any, demand: Demand) -> bool:
    """The posting firm's managers and operators follow the whole story: every proposal and the timeline."""
    return may_manage_demand(user, demand) or is_operator(user)


def may_propose(user: Any, demand: Demand) -> bool:
    """A supplier (an expert with a login, a university, lab or agency) answers another firm's open demand."""
    return (
        bool(supplier_choices(user))
        and demand.is_open
        and demand.organisation_id not in organisation_ids(user)
    )


def may_close_demand(user: Any, demand: Demand, challenge: Challenge | None) -> bool:
    """The firm closes its own demand (withdrawn, or matched with an outcome) unless a 揭榜挂帅 challenge
    runs on it: that challenge records the outcome when it closes."""
    return (
        may_manage_demand(user, demand)
        and challenge is None
        and demand.status in {DemandStatus.DRAFT, *OPEN_STATUSES, DemandStatus.MATCHED}
    )


def may_promote(user: Any, demand: Demand, challenge: Challenge | None) -> bool:
    """Operators turn an open demand into a 揭榜挂帅 challenge (once)."""
    return is_operator(user) and demand.is_open and challenge is None


def may_screen(user: Any, demand: Demand) -> bool:
    """Operators publish, return or merge a demand waiting for screening."""
    return is_operator(user) and demand.status == DemandStatus.SCREENING


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
    """Published challenges of public demands are for everyone, signed in or not (``visible_to``);
    ``write`` is for operators."""
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


def access_review(user: Any, pk: int, application_pk: int) -> tuple[ChallengeReviewer, ChallengeApplication]:
    """An application of the challenge, for one of the challenge's reviewers to score."""
    challenge = access_challenge(user, pk)
    reviewer = reviewer_for(user, challenge)
    application = (
        challenge.applications.select_related("talent", "organisation").filter(pk=application_pk).first()
        if reviewer is not None
        else None
    )
    if reviewer is None or application is None:
        raise Http404
    application.challenge = challenge
    return reviewer, application


def may_see_applications(user: Any, challenge: Challenge, reviewer: ChallengeReviewer | None) -> bool:
    """Operators, the challenge's reviewers and the posting firm see every application and the ranking;
    an applicant sees only their own."""
    return is_operator(user) or reviewer is not None or may_manage_demand(user, challenge.demand)


def may_apply(user: Any, challenge: Challenge, applications: list[ChallengeApplication]) -> bool:
    """A supplier takes up an open challenge once (in any of the names they answer for)."""
    mine = {key for key, _label in supplier_choices(user)}
    return (
        bool(mine)
        and challenge.status == ChallengeStatus.OPEN
        and not any(application.supplier_key in mine for application in applications)
    )


def may_accept_milestones(user: Any, challenge: Challenge) -> bool:
    """The posting firm (or an operator) accepts the winner's deliveries."""
    return is_operator(user) or may_manage_demand(user, challenge.demand)


def may_see_notice(user: Any, challenge: Challenge) -> bool:
    """The award notice (PDF) is for signed-in users once a winner is chosen; its public facts are on the
    verification page."""
    return getattr(user, "is_authenticated", False) and challenge.winner_id is not None


def access_milestone(user: Any, pk: int) -> ChallengeMilestone:
    """A milestone of a challenge the user may see."""
    milestone = (
        ChallengeMilestone.objects.filter(pk=pk, challenge__in=Challenge.objects.visible_to(user))
        .select_related("challenge__demand__organisation")
        .first()
    )
    if milestone is None:
        raise Http404
    return milestone


def _reviewer_ties(user: Any) -> tuple[set[int], Any]:
    """The organisations ``user`` belongs to (roles read afresh) and their own talent profile."""
    forget_roles(user)
    return organisation_ids(user), supplier_identities(user)["talent"]


def _firm_conflict(user: Any, challenge: Challenge, own: set[int]) -> list[str]:
    if challenge.demand.organisation_id not in own:
        return []
    return [
        _("%(user)s 属于发榜企业 %(org)s,需回避。")
        % {"user": user, "org": challenge.demand.organisation.name}
    ]


def _applicant_conflict(
    user: Any, application: ChallengeApplication, own: set[int], talent: Any
) -> list[str]:
    if not (
        application.conflict_organisation_ids() & own
        or (talent is not None and application.talent_id == talent.pk)
    ):
        return []
    return [
        _("%(user)s 与揭榜方 %(applicant)s 同属一个单位(或为其本人),需回避。")
        % {"user": user, "applicant": application.supplier_name}
    ]


def reviewer_conflicts(
    user: Any, challenge: Challenge, application: ChallengeApplication | None = None
) -> list[str]:
    """Why ``user`` may not review (the whole challenge, or one application): they belong to the posting
    firm, or to an applicant's organisation, or are the applicant. Empty when there is no conflict."""
    own, talent = _reviewer_ties(user)
    applications = (
        [application]
        if application is not None
        else challenge.applications.select_related("talent", "organisation", "talent__home_organisation")
    )
    problems = _firm_conflict(user, challenge, own)
    for item in applications:
        problems.extend(_applicant_conflict(user, item, own, talent))
    return problems


def review_conflicts(
    user: Any, challenge: Challenge, applications: list[ChallengeApplication]
) -> dict[int, list[str]]:
    """``reviewer_conflicts`` for each of ``applications`` (only those with a conflict), with the user's
    ties read once: a challenge page with many applications costs the same few queries."""
    own, talent = _reviewer_ties(user)
    firm = _firm_conflict(user, challenge, own)
    found = {}
    for application in applications:
        problems = firm + _applicant_conflict(user, application, own, talent)
        if problems:
            found[application.pk] = problems
    return found


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
    firms = managed_firm_ids(user)
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
    condition = addressed_to(user)
    if condition is not None:
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
