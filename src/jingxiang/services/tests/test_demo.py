"""The marketplace demo loads through the services and leaves a voucher order under way."""

from __future__ import annotations

import time

import pytest

from jingxiang.services.models import Order, OrderStatus, Service, VoucherStatus


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_loads_the_marketplace(monkeypatch):
    from jingxiang.core import demo as core_demo
    from jingxiang.services import demo

    timings = {}
    original = demo.load

    def timed(context):
        started = time.perf_counter()
        original(context)
        timings["services"] = time.perf_counter() - started

    monkeypatch.setattr(demo, "load", timed)

    class OnlyServices:
        @staticmethod
        def get_app_configs():
            from django.apps import apps

            return [config for config in apps.get_app_configs() if config.name == "jingxiang.services"]

    monkeypatch.setattr(core_demo, "apps", OnlyServices)
    context = core_demo.load_demo()
    assert timings["services"] < 60  # a guard against a runaway load, not a speed figure
    assert Service.objects.published().count() == 5
    order = Order.objects.get()
    assert order.status == OrderStatus.ORDERED and order.voucher.status == VoucherStatus.APPROVED
    assert ("provider", "provider_staff", "陈思远 长江创服(服务机构人员)") in context.logins
