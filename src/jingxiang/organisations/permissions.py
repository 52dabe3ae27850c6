"""Who may see and change organisations, and the role predicates every other app builds on.

Roles come from active memberships in approved organisations. They are read once per request and
cached on the user object, so pages that ask many role questions still run a fixed number of queries.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from jingxiang.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Role,
)

_CACHE_ATTR = "_jingxiang_roles"

#: The people who act for a firm in its dealings on the platform: its admins and its 共享人才官.
#: One name for this pair everywhere (posting demands, enrolling staff, booking experts, lab requests).
FIRM_MANAGERS = (Role.ORG_ADMIN, Role.TALENT_OFFICER)
#: Everyone who belongs to a firm.
FIRM_PEOPLE = (Role.ORG_ADMIN, Role.TALENT_OFFICER, Role.MEMBER)


def _roles(user: Any) -> frozenset[tuple[int, str, str, str]]:
    """(organisation id, role, organisation kind, organisation status) for the user's active memberships."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(
            Membership.objects.active()
            .filter(user=user, organisation__archived_at__isnull=True)
            .values_list("organisation_id", "role", "organisation__kind", "organisation__status")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def role_fingerprint(user: Any) -> str:
    """A short digest of the person's active memberships (organisation, role, kind, status): it changes
    whenever one of them does, so caches keyed by it (the side menu) never outlive a change of roles."""
    import hashlib

    text = "|".join(sorted(":".join(str(part) for part in row) for row in _roles(user)))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def forget_roles(user: Any) -> None:
    """Drop the cached roles (after memberships change within the same request)."""
    for attr in (_CACHE_ATTR, "_jingxiang_own_talent", "_jingxiang_supplier", "_jingxiang_event_profiles"):
        if hasattr(user, attr):
            delattr(user, attr)


def _approved(user: Any) -> set[tuple[int, str]]:
    return {(org, role) for org, role, _kind, status in _roles(user) if status == OrganisationStatus.APPROVED}


_OPERATOR_KINDS = {OrganisationKind.GOVERNMENT, OrganisationKind.ASSOCIATION}


def is_operator(user: Any) -> bool:
    """Platform operators (town service centre, alliance secretariat) and superusers.

    The role only counts in an approved government or association organisation, so a role granted
    anywhere else by mistake carries no platform powers.
    """
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(
        role == Role.OPERATOR and kind in _OPERATOR_KINDS and status == OrganisationStatus.APPROVED
        for _org, role, kind, status in _roles(user)
    )


def is_union_staff(user: Any) -> bool:
    """Staff of an approved union organisation (wage norms, workers' interests)."""
    return any(
        role == Role.UNION_STAFF and kind == OrganisationKind.UNION and status == OrganisationStatus.APPROVED
        for _org, role, kind, status in _roles(user)
    )


def has_any_membership(user: Any) -> bool:
    """Whether the user acts for any organisation (approved or not)."""
    return bool(_roles(user))


def organisation_ids(user: Any, *roles: str) -> set[int]:
    """Organisations where the user has one of ``roles`` (any role when none given), approved or not."""
    return {org for org, role, _kind, _status in _roles(user) if not roles or role in roles}


def approved_organisation_ids(user: Any, *roles: str) -> set[int]:
    """Approved organisations where the user has one of ``roles`` (any role when none given)."""
    return {org for org, role in _approved(user) if not roles or role in roles}


def approved_ids_of_kind(user: Any, kind: str) -> set[int]:
    """Approved organisations of one kind (e.g. industry associations) the user acts for, in any role."""
    return {
        org for org, _role, k, status in _roles(user) if k == kind and status == OrganisationStatus.APPROVED
    }


def firm_ids(user: Any, *roles: str) -> set[int]:
    """Approved firms the user acts for."""
    return {
        org
        for org, role, kind, status in _roles(user)
        if kind == OrganisationKind.FIRM
        and status == OrganisationStatus.APPROVED
        and (not roles or role in roles)
    }


def managed_firm_ids(user: Any) -> set[int]:
    """Approved firms the user manages (as admin or 共享人才官)."""
    return firm_ids(user, *FIRM_MANAGERS)


def is_org_admin(user: Any, organisation_id: int) -> bool:
    """Whether the user administers the organisation (approved or still under review)."""
    return (organisation_id, Role.ORG_ADMIN) in {(o, r) for o, r, _k, _s in _roles(user)}


def is_approved_member(user: Any) -> bool:
    """Anyone acting for an approved organisation, or an operator."""
    return is_operator(user) or bool(_approved(user))


def access_organisation(user: Any, pk: int, *, write: bool = False) -> Organisation:
    """Return the organisation if the user may see it (or change it, with ``write``); 404 otherwise.

    Writing is for operators and the organisation's own admins. "Not found" and "forbidden" look the same.
    """
    organisation: Organisation | None = Organisation.objects.visible_to(user).filter(pk=pk).first()
    if organisation is None:
        raise Http404
    if write and not (is_operator(user) or is_org_admin(user, organisation.pk)):
        raise Http404
    return organisation


def may_manage_members(user: Any, organisation: Organisation) -> bool:
    """Operators and the organisation's own admins manage its members and details."""
    return is_operator(user) or is_org_admin(user, organisation.pk)


def grantable_roles(actor: Any, organisation: Organisation) -> list[str]:
    """Roles ``actor`` may give in ``organisation``.

    Platform-wide powers (operator, union staff) are granted by operators only, and only in the kind of
    organisation they belong to; an organisation admin may give the ordinary roles of its own kind.
    """
    if not may_manage_members(actor, organisation):
        return []
    roles = [Role.ORG_ADMIN, Role.MEMBER]
    if organisation.kind == OrganisationKind.FIRM:
        roles.append(Role.TALENT_OFFICER)
    if organisation.kind == OrganisationKind.TESTING_LAB:
        roles.append(Role.LAB_STAFF)
    if is_operator(actor):
        if organisation.kind in {OrganisationKind.GOVERNMENT, OrganisationKind.ASSOCIATION}:
            roles.append(Role.OPERATOR)
        if organisation.kind == OrganisationKind.UNION:
            roles.append(Role.UNION_STAFF)
    return [str(role) for role in roles]


def may_reveal_contact(user: Any, organisation: Organisation) -> bool:
    """Operators and the organisation's own people may reveal its contact mobile."""
    return is_operator(user) or organisation.pk in organisation_ids(user)


def attention_cards(user: Any) -> list[dict[str, Any]]:
    """Home-page cards: applications waiting for operators, and the user's own application status."""
    cards: list[dict[str, Any]] = []
    if is_operator(user):
        pending = Organisation.objects.filter(
            status=OrganisationStatus.PENDING, archived_at__isnull=True
        ).count()
        cards.append(
            {
                "title": _("待审核的入驻申请"),
                "count": pending,
                "url": reverse("organisations:review_queue"),
                "tone": "waiting" if pending else "ok",
            }
        )
    for org_id, _role, _kind, status in _roles(user):
        if status == OrganisationStatus.PENDING:
            cards.append(
                {
                    "title": _("本机构入驻申请审核中"),
                    "count": None,
                    "url": reverse("organisations:detail", args=[org_id]),
                    "tone": "waiting",
                }
            )
        elif status == OrganisationStatus.REJECTED:
            cards.append(
                {
                    "title": _("入驻申请未通过,请查看原因"),
                    "count": None,
                    "url": reverse("organisations:detail", args=[org_id]),
                    "tone": "bad",
                }
            )
    return cards


def overview_figures(user: Any) -> list[dict[str, Any]]:
    """Cluster figures for operators, one aggregate query; own-organisation figures for members."""
    from django.db.models import Count, Q

    if is_operator(user):
        totals = Organisation.objects.filter(archived_at__isnull=True).aggregate(
            firms=Count("pk", filter=Q(kind=OrganisationKind.FIRM, status=OrganisationStatus.APPROVED)),
            institutions=Count(
                "pk", filter=~Q(kind=OrganisationKind.FIRM) & Q(status=OrganisationStatus.APPROVED)
            ),
            alliance=Count("pk", filter=Q(is_alliance_member=True)),
        )
        url = reverse("organisations:list")
        return [
            {"title": _("入驻企业"), "value": totals["firms"], "url": f"{url}?kind=firm&status=approved"},
            {
                "title": _("高校、检测与服务机构"),
                "value": totals["institutions"],
                "url": f"{url}?status=approved",
            },
            {
                "title": _("创新联盟成员"),
                "value": totals["alliance"],
                "url": f"{url}?is_alliance_member=true",
            },
        ]
    ids = approved_organisation_ids(user)
    if not ids:
        return []
    counts = (
        Organisation.objects.filter(pk__in=ids)
        .annotate(people=Count("talents", filter=Q(talents__archived_at__isnull=True), distinct=True))
        .order_by("name")
        .values("pk", "name", "people")
    )
    return [
        {
            "title": _("%(name)s 的人才档案") % {"name": row["name"]},
            "value": row["people"],
            "url": reverse("talents:list") + f"?q=&org={row['pk']}",
        }
        for row in counts
    ]
