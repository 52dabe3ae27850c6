"""Who may see and do what in the talent fund; default deny, "not found" and "forbidden" both 404.

Fund managers are the platform operators (the town's talent service centre). An applicant firm's managers
see their own firm's applications and awards, never another firm's; an expert sees only the applications
assigned to them, and only while reviewing them.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from jingxiang.fund.models import (
    Award,
    CallRule,
    DiligenceItem,
    Fund,
    FundApplication,
    FundCall,
    Tranche,
)
from jingxiang.organisations.permissions import is_operator, managed_firm_ids


def is_fund_manager(user: Any) -> bool:
    return is_operator(user)


def is_reviewer(user: Any) -> bool:
    """An expert with an assignment on a fund application (through the review block)."""
    if not getattr(user, "is_authenticated", False):
        return False
    from jingxiang.fund.review import reviewed_application_ids

    return FundApplication.objects.filter(pk__in=reviewed_application_ids(user)).exists()


def may_see_fund(user: Any) -> bool:
    """The fund menu: operators, firm managers (to apply) and experts with assignments."""
    return is_operator(user) or bool(managed_firm_ids(user)) or is_reviewer(user)


def may_apply(user: Any) -> bool:
    return bool(managed_firm_ids(user))


def access_fund(user: Any, pk: int) -> Fund:
    if not is_fund_manager(user):
        raise Http404
    fund: Fund | None = Fund.objects.filter(pk=pk).first()
    if fund is None:
        raise Http404
    return fund


def access_call(user: Any, pk: int, *, write: bool = False) -> FundCall:
    if write and not is_fund_manager(user):
        raise Http404
    call: FundCall | None = FundCall.objects.visible_to(user).select_related("fund").filter(pk=pk).first()
    if call is None:
        raise Http404
    return call


def access_rule(user: Any, pk: int) -> CallRule:
    if not is_fund_manager(user):
        raise Http404
    rule: CallRule | None = CallRule.objects.select_related("call").filter(pk=pk).first()
    if rule is None:
        raise Http404
    return rule


def access_application(user: Any, pk: int) -> FundApplication:
    application: FundApplication | None = (
        FundApplication.objects.visible_to(user)
        .select_related("call__fund", "organisation", "talent_tier", "elite_grade")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


def is_applicant(user: Any, application: FundApplication) -> bool:
    return application.organisation_id in managed_firm_ids(user)


def may_see_private(user: Any, application: FundApplication) -> bool:
    """Financials, team shares, attachments and the decision's internals: the fund and the firm itself.
    An expert sees the project, team and files they review, not other experts' scores."""
    return is_operator(user) or is_applicant(user, application)


def own_assignments(user: Any, application: FundApplication) -> list[Any]:
    """The user's own score sheets on the application (links to the review block's sheet)."""
    from django.contrib.contenttypes.models import ContentType

    from jingxiang.reviewing.models import Assignment

    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Assignment.objects.visible_to(user)
        .filter(
            submission__content_type=ContentType.objects.get_for_model(FundApplication),
            submission__object_id=application.pk,
            withdrawn=False,
        )
        .select_related("round")
    )


def access_diligence(user: Any, pk: int) -> DiligenceItem:
    if not is_fund_manager(user):
        raise Http404
    item: DiligenceItem | None = DiligenceItem.objects.select_related("application").filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def access_award(user: Any, pk: int) -> Award:
    award: Award | None = (
        Award.objects.visible_to(user)
        .select_related("application__call", "application__organisation", "fund")
        .filter(pk=pk)
        .first()
    )
    if award is None:
        raise Http404
    return award


def access_tranche(user: Any, pk: int) -> Tranche:
    tranche: Tranche | None = Tranche.objects.select_related("award").filter(pk=pk).first()
    if tranche is None:
        raise Http404
    access_award(user, tranche.award_id)
    return tranche
