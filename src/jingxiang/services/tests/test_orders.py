"""The marketplace's service rules: quote → order → milestones → delivery → accept/dispute → rating."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jingxiang.services import selectors, services
from jingxiang.services.models import Order, OrderStatus, ServiceStatus
from jingxiang.services.tests.builders import agency, delivered_order, service

pytestmark = pytest.mark.django_db


def test_quote_only_service_waits_for_the_providers_price(cast):
    org, staff = agency()
    svc = service(org, price=None)
    order = services.order_request(
        actor=cast.firm_admin, service=svc, firm=cast.firm, brief="镜片膜层检测方案"
    )
    assert order.status == OrderStatus.QUOTE_REQUESTED and order.number.startswith("FW")
    with pytest.raises(ValidationError, match="报价"):
        services.order_place(actor=cast.firm_admin, order=order)
    with pytest.raises(PermissionDenied):
        services.order_quote(actor=cast.firm_admin, order=order, price=Decimal("800"))
    order = services.order_quote(actor=staff, order=order, price=Decimal("800"), note="含两次复测")
    assert order.status == OrderStatus.QUOTED and order.price == Decimal("800.00")
    order = services.order_place(actor=cast.firm_admin, order=order)
    assert order.status == OrderStatus.ORDERED


def test_priced_service_stands_quoted_at_list_price(cast):
    org, _staff = agency()
    order = services.order_request(actor=cast.talent_officer, service=service(org), firm=cast.firm, brief="x")
    assert order.status == OrderStatus.QUOTED and order.price == Decimal("6000.00")


def test_order_on_a_withdrawn_service_is_refused_and_nothing_saved(cast):
    org, staff = agency()
    svc = service(org)
    quoted = services.order_request(actor=cast.firm_admin, service=svc, firm=cast.firm, brief="x")
    services.service_withdraw(actor=staff, service=svc)
    with pytest.raises(ValidationError, match="已下架") as error:
        services.order_request(actor=cast.firm_admin, service=svc, firm=cast.firm, brief="y")
    assert error.value.code == "service_withdrawn"
    with pytest.raises(ValidationError, match="已下架"):
        services.order_place(actor=cast.firm_admin, order=quoted)
    assert Order.objects.count() == 1
    assert Order.objects.get().status == OrderStatus.QUOTED


def test_only_firm_managers_order_and_only_for_their_firm(cast):
    org, _staff = agency()
    svc = service(org)
    for actor in (cast.member, cast.lab_staff, cast.outsider, cast.expert_user):
        with pytest.raises(PermissionDenied):
            services.order_request(actor=actor, service=svc, firm=cast.firm, brief="x")
    with pytest.raises(PermissionDenied):
        services.order_request(actor=cast.other_firm_admin, service=svc, firm=cast.firm, brief="x")


def test_delivery_needs_every_milestone_done(cast):
    org, staff = agency()
    order = services.order_request(actor=cast.firm_admin, service=service(org), firm=cast.firm, brief="x")
    order = services.order_place(actor=cast.firm_admin, order=order)
    milestone = services.milestone_add(
        actor=staff, order=order, title="检索报告", due_date=timezone.localdate()
    )
    with pytest.raises(ValidationError, match="检索报告"):
        services.order_deliver(actor=staff, order=order)
    services.milestone_done(actor=staff, milestone=milestone)
    with pytest.raises(ValidationError, match="已完成"):
        services.milestone_done(actor=staff, milestone=milestone)
    assert services.order_deliver(actor=staff, order=order).status == OrderStatus.DELIVERED
    with pytest.raises(PermissionDenied):
        services.order_accept(actor=staff, order=order)


def test_dispute_then_redelivery_then_acceptance_and_one_rating(cast):
    org, staff = agency()
    order = delivered_order(cast, service(org), staff)
    with pytest.raises(ValidationError):
        services.order_dispute(actor=cast.firm_admin, order=order, reason="  ")
    order = services.order_dispute(actor=cast.firm_admin, order=order, reason="附图不清晰")
    assert order.status == OrderStatus.DISPUTED
    with pytest.raises(ValidationError, match="尚未交付"):
        services.order_accept(actor=cast.firm_admin, order=order)
    services.order_deliver(actor=staff, order=order)
    order = services.order_accept(actor=cast.firm_admin, order=order)
    assert order.status == OrderStatus.ACCEPTED and order.voucher_amount == 0
    with pytest.raises(ValidationError):
        services.order_rate(actor=cast.firm_admin, order=order, rating=6)
    services.order_rate(actor=cast.firm_admin, order=order, rating=5, note="专业")
    with pytest.raises(ValidationError, match="已评价"):
        services.order_rate(actor=cast.firm_admin, order=order, rating=4)


def test_search_finds_services_by_chinese_and_pinyin(cast):
    org, _staff = agency()
    svc = service(org)
    service(org, title="眼镜设计打样", category="design")
    from jingxiang.services.models import Service

    assert list(Service.objects.search("专利")) == [svc]
    assert list(Service.objects.search("zhuanli")) == [svc]
    assert list(Service.objects.search("zl")) == [svc]
    assert Service.objects.search("changjiang").count() == 2  # the provider's name in pinyin


def test_withdrawn_services_leave_the_market_but_not_their_providers_list(cast):
    org, staff = agency()
    svc = service(org, status=ServiceStatus.WITHDRAWN)
    from jingxiang.services.models import Service

    assert not Service.objects.on_market_for(cast.firm_admin).filter(pk=svc.pk).exists()
    assert Service.objects.on_market_for(staff).filter(pk=svc.pk).exists()
    assert Service.objects.on_market_for(cast.operator).filter(pk=svc.pk).exists()
    # Still readable by its link, so a firm that had it open learns it was withdrawn.
    assert Service.objects.visible_to(cast.firm_admin).filter(pk=svc.pk).exists()


def test_orders_visible_to_firm_provider_and_operator_only(cast):
    org, staff = agency()
    order = services.order_request(actor=cast.firm_admin, service=service(org), firm=cast.firm, brief="x")
    for user in (cast.firm_admin, cast.talent_officer, staff, cast.operator):
        assert Order.objects.visible_to(user).filter(pk=order.pk).exists()
    for user in (cast.member, cast.other_firm_admin, cast.lab_staff, cast.outsider, cast.expert_user):
        assert not Order.objects.visible_to(user).filter(pk=order.pk).exists()


def test_order_book_lists_lab_requests_and_sharing_agreements_without_copies(cast):
    """A lab's order book reads its test requests from the lab app, a firm lending a talent sees the
    sharing agreement: both through the read-only adapter, no marketplace row is created for them."""
    from jingxiang.lab import services as lab_services
    from jingxiang.lab.models import LabProfile
    from jingxiang.services.models import Service
    from jingxiang.sharing.tests.builders import make_agreement

    LabProfile.objects.create(lab=cast.lab, code_prefix="DH")
    svc = service(cast.lab, title="镜片透光率检测", category="testing")
    services.order_request(actor=cast.firm_admin, service=svc, firm=cast.firm, brief="x")
    lab_request = lab_services.request_submit(
        actor=cast.firm_admin,
        firm=cast.firm,
        lab=cast.lab,
        product_type="high_altitude_goggles",
        product_line_name="雪域 GX 高原护目镜",
        product_name="GX-7",
        standard="JX-HA-2026",
        items=[],
        quantity=1,
    )
    book = selectors.order_book(cast.lab)
    assert sorted(row.source for row in book) == ["lab", "service"]
    assert lab_request.number in [row.number for row in book]
    assert {e.source for e in selectors.provider_catalogue(cast.lab)} == {"service", "lab"}
    assert Service.objects.count() == 1 and Order.objects.count() == 1

    agreement = make_agreement(cast).agreement  # 林工, lent by 远方光学 (other_firm) to 康波
    lender_book = selectors.order_book(cast.other_firm)
    assert [(row.source, row.number) for row in lender_book] == [("sharing", agreement.number)]
    assert [e.source for e in selectors.provider_catalogue(cast.other_firm)] == ["sharing"]
