"""Bad input through the pages: a clear message in the user's language, nothing half-saved, no 500."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from jingxiang.services import services
from jingxiang.services.models import Order, OrderStatus, VoucherProgramme
from jingxiang.services.tests.builders import agency, approved_voucher, delivered_order, programme, service

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_ordering_a_withdrawn_service_shows_the_reason(cast):
    org, staff = agency()
    svc = service(org)
    services.service_withdraw(actor=staff, service=svc)
    response = client_for(cast.firm_admin).post(
        f"/services/{svc.pk}/request/", {"firm": cast.firm.pk, "brief": "外观专利"}, follow=True
    )
    assert response.status_code == 200
    assert "已下架" in response.content.decode()
    assert not Order.objects.exists()


def test_accepting_above_the_budget_is_refused_on_the_order_page(cast):
    org, staff = agency()
    prog = programme(budget=Decimal("1000"))
    order = delivered_order(cast, service(org), staff, voucher=approved_voucher(cast, prog))
    response = client_for(cast.firm_admin).post(f"/services/orders/{order.pk}/accept/", follow=True)
    assert "剩余预算" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert VoucherProgramme.objects.get().committed == 0


def test_programme_form_reports_every_bad_field(cast):
    response = client_for(cast.operator).post(
        "/services/vouchers/programmes/new/",
        {
            "name": "",
            "share": "150",
            "cap_per_firm_year": "-1",
            "budget": "abc",
            "valid_from": "2026-12-31",
            "valid_to": "2026-01-01",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"name", "share", "cap_per_firm_year", "budget", "eligible_sizes", "categories"} <= set(
        form.errors
    )
    assert not VoucherProgramme.objects.exists()


def test_statement_exports_to_excel_and_adds_up(cast):
    org, staff = agency()
    prog = programme()
    voucher = approved_voucher(cast, prog)
    services.order_accept(
        actor=cast.firm_admin, order=delivered_order(cast, service(org), staff, voucher=voucher)
    )
    client = client_for(cast.operator)
    page = client.get(f"/services/vouchers/programmes/{prog.pk}/statement/")
    assert "¥97,000.00" in page.content.decode()
    export = client.get(f"/services/vouchers/programmes/{prog.pk}/statement/?export=xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and Decimal(str(rows[1][6])) == Decimal("3000")


def test_service_search_page_finds_by_pinyin(cast):
    org, _staff = agency()
    service(org)
    service(org, title="镜架设计打样", category="design")
    page = client_for(cast.member).get("/services/?q=zhuanli").content.decode()
    assert "镜架外观专利申请代理" in page and "镜架设计打样" not in page
