"""Who may open which fair page: operator, exhibitor (康波's admin, talent officer, member), buyer (远方's
admin, registered as a buyer for 远方), other personas and anonymous visitors."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from jingxiang.fairs import services
from jingxiang.fairs.tests.conftest import fair_is_on, make_fair, register_buyer
from jingxiang.testing.matrix import ALL_LOGGED_IN, ANONYMOUS, RouteCase, check_matrix

pytestmark = pytest.mark.django_db

EVERYONE = ALL_LOGGED_IN | {ANONYMOUS}
OPERATOR = frozenset({"operator"})
EXHIBITOR = frozenset({"firm_admin", "talent_officer", "member"})
EXHIBITOR_MANAGERS = frozenset({"firm_admin", "talent_officer"})
BUYER = frozenset({"other_firm_admin"})


def test_route_matrix(cast):
    fair, hall, booths = make_fair(cast.operator)
    application = services.application_submit(
        actor=cast.firm_admin,
        fair=fair,
        organisation=cast.firm,
        booth_ids=[booths["1A01"].pk],
        products="镜架",
        contact_name="王经理",
    )
    services.booth_allocate(actor=cast.operator, application=application, booth=booths["1A01"])
    buyer = register_buyer(
        fair, cast.other_firm_admin, cast.other_firm, name="赵", country="CN", mobile="13600000000"
    )
    fair_is_on(fair)
    services.lead_capture(actor=cast.member, application=application, code=buyer.badge_number)
    issue = services.report_issue(actor=cast.member, application=application)
    walk_in = services.buyer_register(
        actor=AnonymousUser(),
        fair=fair,
        name="Li",
        company="散客",
        country="CN",
        kind="other",
        mobile="13700000003",
    )
    token = walk_in.links.get(revoked_at__isnull=True).token
    # A second walk-in whose link the operator's row stops (the first one's link serves the other rows).
    leaving = services.buyer_register(
        actor=AnonymousUser(),
        fair=fair,
        name="Wu",
        company="散客二",
        country="CN",
        kind="other",
        mobile="13700000004",
    )
    services.meeting_request(
        actor=cast.other_firm_admin, buyer=buyer, application=application, priority="nice"
    )
    a, b, f = application.pk, booths["1A02"].pk, fair.pk
    cases = [
        RouteCase("list", "/fairs/", EVERYONE),
        RouteCase("create", "/fairs/new/", OPERATOR),
        RouteCase("detail", f"/fairs/{f}/", EVERYONE),
        RouteCase("hall add", f"/fairs/{f}/halls/new/", OPERATOR),
        RouteCase("booth import", f"/fairs/{f}/booths/import/", OPERATOR),
        RouteCase("booth template", f"/fairs/{f}/booths/template/", OPERATOR),
        # 康波 has applied already; 远方's admin may still apply (for 远方).
        RouteCase("apply", f"/fairs/{f}/apply/", BUYER),
        RouteCase("applications", f"/fairs/{f}/applications/", OPERATOR | EXHIBITOR),
        RouteCase("allocate", f"/fairs/{f}/allocate/", OPERATOR, method="post", ok_status=(302,)),
        RouteCase("register", f"/fairs/{f}/register/", EVERYONE),
        RouteCase("buyers", f"/fairs/{f}/buyers/", OPERATOR),
        RouteCase("exhibitors", f"/fairs/{f}/exhibitors/", EVERYONE),
        # Meetings are the events app's: those acting for a registration (firm managers) and operators.
        RouteCase("meetings", f"/fairs/{f}/meetings/", OPERATOR | EXHIBITOR_MANAGERS | BUYER),
        RouteCase("hall", f"/fairs/halls/{hall.pk}/", EVERYONE),
        RouteCase("booth add", f"/fairs/halls/{hall.pk}/booths/new/", OPERATOR),
        RouteCase("booth", f"/fairs/booths/{b}/", EVERYONE),
        RouteCase(
            "booth state",
            f"/fairs/booths/{b}/state/",
            OPERATOR,
            method="post",
            data={"state": "held", "note": "赞助商"},
            ok_status=(302,),
        ),
        RouteCase("application", f"/fairs/applications/{a}/", OPERATOR | EXHIBITOR),
        RouteCase(
            "allocate by hand",
            f"/fairs/applications/{a}/allocate/",
            OPERATOR,
            method="post",
            data={"booth": b},
            ok_status=(302,),
        ),
        RouteCase("meet", f"/fairs/applications/{a}/meet/", BUYER),
        RouteCase("leads", f"/fairs/applications/{a}/leads/", OPERATOR | EXHIBITOR),
        RouteCase("report", f"/fairs/applications/{a}/report/", OPERATOR | EXHIBITOR),
        RouteCase("report xlsx", f"/fairs/applications/{a}/report.xlsx", OPERATOR | EXHIBITOR),
        RouteCase(
            "report issue",
            f"/fairs/applications/{a}/report/issue/",
            OPERATOR | EXHIBITOR,
            method="post",
            ok_status=(302,),
        ),
        RouteCase("report pdf", f"/fairs/reports/{issue.pk}.pdf", OPERATOR | EXHIBITOR),
        RouteCase("verify report", f"/verify/fair-report/{issue.verify_code}/", EVERYONE),
        # The personal link is the key: anyone holding it, with or without a login.
        RouteCase("buyer page", f"/fairs/my/{token}/", EVERYONE),
        RouteCase("buyer page meet", f"/fairs/my/{token}/exhibitors/{a}/meet/", EVERYONE),
        RouteCase("buyer page badge", f"/fairs/my/{token}/badge.pdf", EVERYONE),
        RouteCase("unknown link", "/fairs/my/not-a-token/", frozenset(), anonymous_status=(404,)),
        RouteCase(
            "renew link at the desk",
            f"/fairs/badges/{walk_in.badge_code}/link/renew/",
            OPERATOR,
            method="post",
            ok_status=(302,),
        ),
        RouteCase(
            "stop link at the desk",
            f"/fairs/badges/{leaving.badge_code}/link/revoke/",
            OPERATOR,
            method="post",
            ok_status=(302,),
        ),
        RouteCase("badge", f"/fairs/badges/{buyer.badge_code}/", EVERYONE),
        RouteCase("badge pdf", f"/fairs/badges/{buyer.badge_code}/badge.pdf", EVERYONE),
        RouteCase("verify badge", f"/verify/fair-badge/{buyer.badge_code}/", EVERYONE),
        RouteCase("unknown badge", "/fairs/badges/NOSUCHBADGE/", frozenset(), anonymous_status=(404,)),
        RouteCase(
            "withdraw",
            f"/fairs/applications/{a}/withdraw/",
            OPERATOR | EXHIBITOR_MANAGERS,
            method="post",
            ok_status=(302,),
        ),
    ]
    assert check_matrix(cast, cases) == []
