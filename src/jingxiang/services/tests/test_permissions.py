"""Who may open which marketplace page: one persona per role (provider = the lab's staff, firm
managers, operator, members, other firms, the expert, outsiders and anonymous visitors)."""

from __future__ import annotations

import pytest

from jingxiang.testing.matrix import RouteCase, check_matrix

pytestmark = pytest.mark.django_db

EVERYONE = frozenset(
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
)
FIRM_MANAGERS = frozenset({"firm_admin", "talent_officer", "other_firm_admin"})
OWN_FIRM = frozenset({"firm_admin", "talent_officer"})


def test_route_matrix(cast, market):
    cases = [
        RouteCase("market", "/services/", EVERYONE),
        RouteCase("service", lambda c: f"/services/{market.service.pk}/", EVERYONE),
        RouteCase("provider", lambda c: f"/services/providers/{c.lab.pk}/", EVERYONE),
        RouteCase("publish", "/services/new/", frozenset({"lab_staff"})),
        RouteCase("edit", lambda c: f"/services/{market.service.pk}/edit/", frozenset({"lab_staff"})),
        RouteCase("request", lambda c: f"/services/{market.service.pk}/request/", FIRM_MANAGERS),
        RouteCase("orders", "/services/orders/", EVERYONE),
        RouteCase(
            "order", lambda c: f"/services/orders/{market.order.pk}/", OWN_FIRM | {"lab_staff", "operator"}
        ),
        RouteCase("order book", "/services/orders/book/", frozenset({"lab_staff"})),
        RouteCase("programmes", "/services/vouchers/programmes/", FIRM_MANAGERS | {"operator"}),
        RouteCase("new programme", "/services/vouchers/programmes/new/", frozenset({"operator"})),
        RouteCase(
            "statement",
            lambda c: f"/services/vouchers/programmes/{market.programme.pk}/statement/",
            frozenset({"operator"}),
        ),
        RouteCase(
            "apply", lambda c: f"/services/vouchers/programmes/{market.programme.pk}/apply/", FIRM_MANAGERS
        ),
        RouteCase("vouchers", "/services/vouchers/", FIRM_MANAGERS | {"operator"}),
        RouteCase("claims", "/services/vouchers/claims/", frozenset({"lab_staff", "operator"})),
        RouteCase("think tank", "/services/think-tank/", EVERYONE),
        RouteCase("book", lambda c: f"/services/think-tank/{c.expert.pk}/book/", FIRM_MANAGERS),
        RouteCase(
            "consultation",
            lambda c: f"/services/consultations/{market.consultation.pk}/",
            OWN_FIRM | {"expert", "operator"},
        ),
        RouteCase(
            "pay claim",
            lambda c: f"/services/vouchers/claims/{market.claim.pk}/pay/",
            frozenset({"operator"}),
            method="post",
            ok_status=(302,),
        ),
        RouteCase(
            "decide voucher",
            lambda c: f"/services/vouchers/{market.voucher.pk}/decide/",
            frozenset({"operator"}),
            method="post",
            data={"decision": "approve"},
            ok_status=(302,),
        ),
    ]
    assert check_matrix(cast, cases) == []
