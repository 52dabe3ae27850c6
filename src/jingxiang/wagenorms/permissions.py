"""Who sees what in 权益链. Default deny; "not found" and "forbidden" both raise Http404.

Wage lines are personal data: a firm's managers see their own firm's lines (figures masked), the firm's
admin and union staff may reveal a figure (logged), a worker sees their own months.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from jingxiang.organisations.models import Role
from jingxiang.organisations.permissions import firm_ids, is_union_staff, managed_firm_ids


def association_ids(user: Any) -> set[int]:
    """Approved industry associations the person acts for (any role): the employer side of an agreement."""
    from jingxiang.organisations.models import OrganisationKind
    from jingxiang.organisations.permissions import approved_ids_of_kind

    return approved_ids_of_kind(user, OrganisationKind.ASSOCIATION)


def represents_employers(user: Any, agreement: Any) -> bool:
    """Staff of the association named as the agreement's employer side."""
    return bool(agreement.employer_association_id) and agreement.employer_association_id in association_ids(
        user
    )


def is_industry_association(user: Any) -> bool:
    """Acts for an association that is the employer side of at least one agreement (one query, and
    none at all for people in no association)."""
    from jingxiang.wagenorms.models import WageAgreement

    ids = association_ids(user)
    return bool(ids) and WageAgreement.objects.filter(employer_association_id__in=ids).exists()


def sees_aggregates(user: Any) -> bool:
    """Compliance and statistics pages: the union, and the associations for their own agreements."""
    return is_union_staff(user) or is_industry_association(user)


def aggregate_lines(user: Any) -> Any:
    """The lines behind a person's compliance and statistics figures. The association's figures cover
    every firm under its agreements, but it sees only the totals: the lines themselves (personal wages)
    stay with the firms and the union (``line_filter``)."""
    from jingxiang.wagenorms.models import WageLine

    if is_union_staff(user) or not association_ids(user):
        return WageLine.objects.visible_to(user)
    return WageLine.objects.filter(
        Q(agreement__employer_association_id__in=association_ids(user)) | line_filter(user)
    )


def may_manage_agreements(user: Any) -> bool:
    return is_union_staff(user)


def reports_wages(user: Any) -> bool:
    return bool(managed_firm_ids(user))


def sees_wage_pages(user: Any) -> bool:
    return is_union_staff(user) or reports_wages(user)


def is_worker(user: Any) -> bool:
    """A talent with a login (the menu asks on every page: the profile cached on the user, no query)."""
    from jingxiang.organisations.models import own_talent_profile

    return own_talent_profile(user) is not None


def line_filter(user: Any) -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if is_union_staff(user):
        return Q()
    query = Q(firm_id__in=managed_firm_ids(user)) | Q(talent__user=user)
    return query


def may_reveal_wage(user: Any, line: Any) -> bool:
    """Full wage figures: union staff, or the admin of the firm the line belongs to."""
    return is_union_staff(user) or line.firm_id in firm_ids(user, Role.ORG_ADMIN)


def access_agreement(user: Any, pk: int, *, write: bool = False) -> Any:
    from jingxiang.wagenorms.models import AgreementStatus, WageAgreement

    agreement = WageAgreement.objects.filter(pk=pk).first()
    if agreement is None:
        raise Http404
    if is_union_staff(user):
        return agreement
    if not write and represents_employers(user, agreement):
        return agreement
    if (
        not write
        and agreement.status == AgreementStatus.EFFECTIVE
        and getattr(user, "is_authenticated", False)
    ):
        return agreement
    raise Http404


def agreements_visible_to(user: Any) -> Any:
    from jingxiang.wagenorms.models import AgreementStatus, WageAgreement

    if is_union_staff(user):
        return WageAgreement.objects.all()
    ids = association_ids(user)
    if ids:
        return WageAgreement.objects.filter(
            Q(status=AgreementStatus.EFFECTIVE) | Q(employer_association_id__in=ids)
        )
    return WageAgreement.objects.filter(status=AgreementStatus.EFFECTIVE)


def access_report(user: Any, pk: int) -> Any:
    from jingxiang.wagenorms.models import WageReport

    report = WageReport.objects.select_related("firm").filter(pk=pk).first()
    if report is None or not (is_union_staff(user) or report.firm_id in managed_firm_ids(user)):
        raise Http404
    return report


def access_line(user: Any, pk: int, *, write: bool = False) -> Any:
    from jingxiang.wagenorms.models import WageLine

    line = WageLine.objects.visible_to(user).filter(pk=pk).first()
    if line is None or (write and line.firm_id not in managed_firm_ids(user)):
        raise Http404
    return line
