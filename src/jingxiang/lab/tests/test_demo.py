"""The demo content loads fast, deterministically, and gives every demo login something to see."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from jingxiang.core.demo import DemoContext
from jingxiang.lab import conformance, demo
from jingxiang.lab.models import BrandAuthorisation, FieldTest, Report, TestRequest
from jingxiang.organisations.models import OrganisationKind, Role
from jingxiang.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def demo_context() -> DemoContext:
    """The slice of the demo cluster the lab's loader uses (keys as in jingxiang.demo_data)."""
    context = DemoContext(cluster=None)  # type: ignore[arg-type]
    context.organisations = {
        "donghua_lab": OrganisationFactory(
            name="东华大学检测实验室", kind=OrganisationKind.TESTING_LAB, uscc=None
        ),
        "kangbo": OrganisationFactory(name="临海市康波眼镜有限公司", short_name="康波"),
        "yingchang": OrganisationFactory(name="盈昌集团", short_name="盈昌"),
        "daguangming": OrganisationFactory(name="大光明眼镜", short_name="大光明"),
        "yani": OrganisationFactory(name="亚妮眼镜", short_name="亚妮"),
        "firm-0001": OrganisationFactory(name="台州市海伦光学股份有限公司", short_name="海伦光学"),
        "firm-0003": OrganisationFactory(name="临海市欧峰护目用品有限公司", short_name="欧峰护目"),
        "jingxiang_platform": OrganisationFactory(
            name="镜享平台", kind=OrganisationKind.GOVERNMENT, uscc=None
        ),
    }
    for username, key, role in [
        ("firm_admin", "kangbo", Role.ORG_ADMIN),
        ("talent_officer", "kangbo", Role.TALENT_OFFICER),
        ("lab_staff", "donghua_lab", Role.LAB_STAFF),
        ("operator", "jingxiang_platform", Role.OPERATOR),
    ]:
        user = UserFactory(username=username)
        MembershipFactory(user=user, organisation=context.organisations[key], role=role)
        context.users[username] = user
    return context


def test_demo_loads_quickly_with_a_year_of_reports_and_a_brand():
    context = demo_context()
    # Process-wide one-off costs (URL conf import, parsing the built-in rules files) are not the demo's.
    conformance.registry()
    reverse("lab:request_list")
    started = time.monotonic()
    demo.load(context)
    elapsed = time.monotonic() - started
    print(f"lab demo loaded in {elapsed:.2f} s")
    # A guard against a runaway demo load, not a speed figure (those live in bench/): the machine is shared.
    assert elapsed < 60
    assert Report.objects.count() >= 15
    assert set(Report.objects.values_list("overall", flat=True)) == {"pass", "fail"}
    assert Report.objects.dates("test_date", "month").count() >= 6
    assert BrandAuthorisation.objects.filter(
        status="active", product_line__name="雪域 GX 高原护目镜"
    ).exists()
    assert FieldTest.objects.count() == 2
    assert TestRequest.objects.filter(status="submitted", firm=context.organisations["kangbo"]).exists()
    assert "lab_reviewer" in context.users
    numbers = list(Report.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
