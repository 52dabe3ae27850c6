"""Innovation vouchers: eligibility, approval, spending at acceptance, claims and payouts, statement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jingxiang.services import selectors, services
from jingxiang.services.models import (
    ClaimStatus,
    Order,
    OrderStatus,
    VoucherClaim,
    VoucherProgramme,
    VoucherStatus,
)
from jingxiang.services.tests.builders import agency, approved_voucher, delivered_order, programme, service

pytestmark = pytest.mark.django_db


def test_apply_checks_size_region_validity_and_once_a_year(cast):
    prog = programme(eligible_regions=["杜桥镇"])
    cast.firm.size = "large"
    cast.firm.save()
    with pytest.raises(ValidationError, match="只面向") as error:
        services.voucher_apply(actor=cast.firm_admin, programme=prog, firm=cast.firm, purpose="x")
    assert error.value.code == "size_not_eligible"
    cast.firm.size, cast.firm.region = "small", "东塍镇"
    cast.firm.save()
    with pytest.raises(ValidationError) as error:
        services.voucher_apply(actor=cast.firm_admin, programme=prog, firm=cast.firm, purpose="x")
    assert error.value.code == "region_not_eligible"
    cast.firm.region = "杜桥镇"
    cast.firm.save()
    voucher = services.voucher_apply(actor=cast.firm_admin, programme=prog, firm=cast.firm, purpose="x")
    assert voucher.status == VoucherStatus.APPLIED and voucher.number.startswith("CXQ")
    with pytest.raises(ValidationError, match="已申请"):
        services.voucher_apply(actor=cast.talent_officer, programme=prog, firm=cast.firm, purpose="y")
    closed = programme(name="往年创新券", valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2020, 12, 31))
    with pytest.raises(ValidationError, match="申请期"):
        services.voucher_apply(actor=cast.firm_admin, programme=closed, firm=cast.firm, purpose="x")
    with pytest.raises(PermissionDenied):
        services.voucher_apply(actor=cast.member, programme=prog, firm=cast.firm, purpose="x")


def test_only_operators_decide_and_a_refusal_needs_a_reason(cast):
    prog = programme()
    cast.firm.size = "small"
    cast.firm.save()
    voucher = services.voucher_apply(actor=cast.firm_admin, programme=prog, firm=cast.firm, purpose="x")
    with pytest.raises(PermissionDenied):
        services.voucher_decide(actor=cast.firm_admin, voucher=voucher, approve=True)
    with pytest.raises(ValidationError):
        services.voucher_decide(actor=cast.operator, voucher=voucher, approve=False, note="")
    services.voucher_decide(actor=cast.operator, voucher=voucher, approve=True)
    with pytest.raises(ValidationError, match="已审批"):
        services.voucher_decide(actor=cast.operator, voucher=voucher, approve=True)


def test_voucher_is_spent_at_acceptance_claimed_and_paid(cast):
    org, staff = agency()
    prog = programme()
    voucher = approved_voucher(cast, prog)
    order = delivered_order(cast, service(org), staff, voucher=voucher)
    prog.refresh_from_db()
    assert prog.committed == 0  # nothing is spent before acceptance
    order = services.order_accept(actor=cast.firm_admin, order=order)
    assert order.voucher_amount == Decimal("3000.00") and order.firm_pays == Decimal("3000.00")
    prog.refresh_from_db()
    assert prog.committed == Decimal("3000.00") and prog.remaining == Decimal("97000.00")
    with pytest.raises(PermissionDenied):
        services.claim_file(actor=cast.firm_admin, order=order)
    claim = services.claim_file(actor=staff, order=order)
    with pytest.raises(ValidationError, match="重复"):
        services.claim_file(actor=staff, order=order)
    with pytest.raises(PermissionDenied):
        services.claim_pay(actor=staff, claim=claim)
    claim = services.claim_pay(actor=cast.operator, claim=claim)
    assert claim.status == ClaimStatus.PAID
    with pytest.raises(ValidationError, match="已支付"):
        services.claim_pay(actor=cast.operator, claim=claim)
    prog.refresh_from_db()
    figures = selectors.programme_statement(prog)
    assert figures["spent"] == figures["paid"] == Decimal("3000.00") == prog.paid
    assert figures["remaining"] == Decimal("97000.00") and figures["consistent"]
    assert list(selectors.statement_lines(prog)) == [order]
    # The cluster's figures count the same records (insights): one order accepted, 3,000 元 paid.
    from django.utils import timezone

    from jingxiang.insights.selectors import Period, Scope, figures, month_start

    month = month_start(timezone.localdate())
    orders, paid = figures(["service_orders", "vouchers_paid"], Period(month, month), Scope())
    assert orders.value == 1 and paid.value == Decimal("3000.00")
    mine = Scope(organisation_ids=frozenset({cast.other_firm.pk}))
    assert figures(["vouchers_paid"], Period(month, month), mine)[0].value == 0


def test_claim_above_the_firms_yearly_cap_is_refused_and_nothing_changes(cast):
    org, staff = agency()
    prog = programme(cap_per_firm_year=Decimal("5000"))
    voucher = approved_voucher(cast, prog)
    first = delivered_order(cast, service(org, price=Decimal("8000")), staff, voucher=voucher)
    services.order_accept(actor=cast.firm_admin, order=first)  # 4000 of 5000
    second = delivered_order(
        cast, service(org, title="商标注册", price=Decimal("4000")), staff, voucher=voucher
    )
    with pytest.raises(ValidationError, match="上限") as error:
        services.order_accept(actor=cast.firm_admin, order=second)
    assert error.value.code == "over_cap"
    second.refresh_from_db()
    prog.refresh_from_db()
    assert second.status == OrderStatus.DELIVERED and second.voucher_amount == 0
    assert prog.committed == Decimal("4000.00")


def test_claim_above_the_remaining_budget_is_refused(cast):
    org, staff = agency()
    prog = programme(budget=Decimal("2000"))
    voucher = approved_voucher(cast, prog)
    order = delivered_order(cast, service(org), staff, voucher=voucher)  # 3000 needed
    with pytest.raises(ValidationError, match=r"剩余预算 2000\.00 元") as error:
        services.order_accept(actor=cast.firm_admin, order=order)
    assert error.value.code == "over_budget"
    prog.refresh_from_db()
    assert prog.committed == 0
    assert not VoucherClaim.objects.exists()


def test_voucher_must_fit_the_service_and_the_firm(cast):
    org, _staff = agency()
    prog = programme(categories=["testing"])
    voucher = approved_voucher(cast, prog)
    order = services.order_request(actor=cast.firm_admin, service=service(org), firm=cast.firm, brief="x")
    with pytest.raises(ValidationError, match="不支持"):
        services.order_place(actor=cast.firm_admin, order=order, voucher=voucher)
    cast.other_firm.size = "small"
    cast.other_firm.save()
    other = services.order_request(
        actor=cast.other_firm_admin,
        service=service(org, category="testing", title="检测"),
        firm=cast.other_firm,
        brief="x",
    )
    with pytest.raises(ValidationError, match="本企业"):
        services.order_place(actor=cast.other_firm_admin, order=other, voucher=voucher)
    assert Order.objects.filter(voucher__isnull=False).count() == 0


def test_programme_budget_cannot_drop_below_what_is_spent(cast):
    org, staff = agency()
    prog = programme()
    voucher = approved_voucher(cast, prog)
    services.order_accept(
        actor=cast.firm_admin, order=delivered_order(cast, service(org), staff, voucher=voucher)
    )
    data = {
        name: getattr(prog, name)
        for name in (
            "name",
            "eligible_sizes",
            "eligible_regions",
            "categories",
            "share",
            "cap_per_firm_year",
            "valid_from",
            "valid_to",
        )
    }
    with pytest.raises(ValidationError, match="不能低于"):
        services.programme_save(actor=cast.operator, data={**data, "budget": Decimal("1000")}, programme=prog)
    with pytest.raises(PermissionDenied):
        services.programme_save(actor=cast.firm_admin, data={**data, "budget": Decimal("1000")})
    bad = {**data, "budget": Decimal("1000"), "valid_to": data["valid_from"] - dt.timedelta(days=1)}
    with pytest.raises(ValidationError):
        services.programme_save(actor=cast.operator, data=bad)
    assert VoucherProgramme.objects.count() == 1
    saved = services.programme_save(
        actor=cast.operator, data={**data, "budget": Decimal("50000")}, programme=prog
    )
    assert saved.budget == Decimal("50000") and saved.committed == Decimal("3000.00")


def test_claims_visible_to_the_provider_and_operators_only(cast):
    org, staff = agency()
    prog = programme()
    voucher = approved_voucher(cast, prog)
    order = services.order_accept(
        actor=cast.firm_admin, order=delivered_order(cast, service(org), staff, voucher=voucher)
    )
    claim = services.claim_file(actor=staff, order=order)
    assert VoucherClaim.objects.visible_to(staff).get() == claim
    assert VoucherClaim.objects.visible_to(cast.operator).get() == claim
    for user in (cast.firm_admin, cast.lab_staff, cast.outsider):
        assert not VoucherClaim.objects.visible_to(user).exists()
    assert timezone.localdate().year == voucher.year
