"""The academy's demo content loads through the real services, fast, and its figures are computed."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_demo_loads_quickly_and_tells_a_consistent_story(monkeypatch):
    from jingxiang.academy import reports
    from jingxiang.academy.demo import load
    from jingxiang.academy.models import Certificate, Enrolment, EnrolmentStatus, TrainingOrder
    from jingxiang.core import demo

    # The foundation only: other apps' demo content is theirs to test.
    monkeypatch.setattr(demo.apps, "get_app_configs", lambda: [])
    context = demo.load_demo()
    # Resolving URLs the first time builds every app's URL patterns; in `load_demo` the apps loaded
    # before this one have paid for that already.
    reverse("academy:home")
    started = time.monotonic()
    load(context)
    # A guard against a runaway demo load, not a speed figure (those live in bench/): the machine is shared.
    assert time.monotonic() - started < 60

    operator = context.users["operator"]
    headline = reports.headline(operator)
    assert (
        headline.trained
        == Enrolment.objects.filter(status=EnrolmentStatus.GRADUATED).values("talent").distinct().count()
    )
    assert headline.certificates == Certificate.objects.filter(status="valid").count() > 8
    assert headline.masters_hires == 2
    assert Enrolment.objects.filter(status=EnrolmentStatus.WAITLISTED).count() == 1
    assert Enrolment.objects.filter(status=EnrolmentStatus.PENDING).count() == 2
    order = TrainingOrder.objects.get()
    assert order.cohorts.get().enrolments.filter(hired_by__isnull=False).count() == 3
    # 康波's admin sees only 康波's people in the figures.
    own = reports.headline(context.users["firm_admin"])
    assert 0 < own.trained < headline.trained
