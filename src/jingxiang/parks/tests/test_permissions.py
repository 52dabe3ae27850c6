"""Who may open which park page: park manager, operator, tenant people, others, anonymous."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jingxiang.parks import services
from jingxiang.testing.matrix import RouteCase, check_matrix

pytestmark = pytest.mark.django_db


def test_route_matrix(cast, park):
    # The park manager is not one of the cast's personas: make the lab's staff member the manager.
    from jingxiang.parks.models import ParkManager

    ParkManager.objects.create(site=park.site, user=cast.lab_staff)
    today = timezone.localdate()
    services.lease_sign(
        actor=park.manager,
        unit=park.a101,
        tenant=cast.firm,
        starts_on=today,
        ends_on=today + dt.timedelta(days=90),
    )
    req = services.request_file(
        actor=cast.member, site=park.site, tenant=cast.firm, kind="repair", description="门锁损坏"
    )
    managers = frozenset({"lab_staff", "operator"})
    tenant_people = frozenset({"firm_admin", "talent_officer", "member"})
    cases = [
        RouteCase("sites", "/parks/", managers),
        RouteCase("site", f"/parks/sites/{park.site.pk}/", managers),
        RouteCase("unit", f"/parks/sites/{park.site.pk}/units/new/", managers),
        RouteCase("review", f"/parks/sites/{park.site.pk}/review/", managers),
        RouteCase("lease", f"/parks/units/{park.a102.pk}/lease/", managers),
        RouteCase(
            "leases",
            "/parks/leases/",
            frozenset(
                {
                    "firm_admin",
                    "talent_officer",
                    "member",
                    "other_firm_admin",
                    "lab_staff",
                    "operator",
                    "union_staff",
                    "expert",
                    "outsider",
                }
            ),
        ),
        RouteCase("requests", "/parks/requests/", managers | tenant_people | {"other_firm_admin"}),
        RouteCase("new request", "/parks/requests/new/", tenant_people | {"other_firm_admin"}),
        RouteCase(
            "resolve",
            f"/parks/requests/{req.pk}/resolve/",
            managers,
            method="post",
            data={"resolution": "已修好"},
            ok_status=(302,),
        ),
    ]
    assert check_matrix(cast, cases) == []
