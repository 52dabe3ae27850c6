"""Who may see and change what in the foundation: every route, every persona, and anonymous visitors."""

from __future__ import annotations

import pytest
from django.urls import get_resolver

from jingxiang.testing.matrix import ALL_LOGGED_IN, ANONYMOUS, APPROVED, RouteCase, check_matrix

pytestmark = pytest.mark.django_db

EVERYONE = ALL_LOGGED_IN | {ANONYMOUS}


def reveal_data(cast):  # type: ignore[no-untyped-def]
    return {"model": "talents.talent", "pk": cast.expert.pk, "field": "mobile"}


def talent_without_login(cast):  # type: ignore[no-untyped-def]
    """A talent of the firm (康波) on the platform who has no login yet."""
    from jingxiang.testing.factories import TalentFactory

    return TalentFactory(home_organisation=cast.firm, user=None)


def claim_url(cast):  # type: ignore[no-untyped-def]
    import datetime as dt

    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from jingxiang.accounts.models import LoginInvitation

    invitation = LoginInvitation.objects.create(
        talent=talent_without_login(cast),
        invited_by=cast.firm_admin,
        channel="sms",
        destination_masked="137****0000",
        nonce=get_random_string(32),
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    return f"/accounts/claim/{invitation.token}/"


CASES = [
    RouteCase("core:home", "/", EVERYONE),
    RouteCase("core:health", "/health/", EVERYONE),
    RouteCase("core:search", "/search/?q=kb", ALL_LOGGED_IN),
    RouteCase("core:notifications", "/notifications/", ALL_LOGGED_IN),
    # Pickers: each source decides who may pick from it; an unknown source is a 404 for everyone.
    RouteCase("core:picker skills", "/pick/talents.skills/?q=jm", ALL_LOGGED_IN),
    RouteCase("core:picker firms", "/pick/organisations.firms/?q=kb", APPROVED),
    RouteCase(
        "core:picker home organisations",
        "/pick/talents.home_organisations/",
        frozenset({"operator", "firm_admin", "talent_officer", "other_firm_admin"}),
    ),
    RouteCase(
        "core:picker firm workers",
        "/pick/academy.firm_workers/?q=l",
        frozenset({"firm_admin", "talent_officer", "other_firm_admin"}),
    ),
    RouteCase("core:picker trainers", "/pick/academy.trainers/", frozenset({"operator"})),
    RouteCase("core:picker talent pool", "/pick/academy.talent_pool/", frozenset({"operator"})),
    RouteCase("core:picker courses", "/pick/academy.courses/", frozenset({"operator"})),
    RouteCase("core:picker unknown", "/pick/talents.Talent/", frozenset()),
    RouteCase(
        "core:notifications_read", "/notifications/read/", ALL_LOGGED_IN, method="post", ok_status=(302,)
    ),
    RouteCase(
        "core:reveal",
        "/reveal/",
        frozenset({"operator", "other_firm_admin", "expert"}),
        method="post",
        data=reveal_data,
    ),
    RouteCase("accounts:login", "/accounts/login/", EVERYONE, ok_status=(200, 302)),
    RouteCase("accounts:password_change", "/accounts/password/", ALL_LOGGED_IN),
    RouteCase("accounts:password_reset", "/accounts/password/reset/", EVERYONE),
    RouteCase("accounts:password_reset_confirm", "/accounts/password/reset/confirm/", EVERYONE),
    RouteCase("accounts:contact", "/accounts/contact/", ALL_LOGGED_IN),
    RouteCase("accounts:privacy", "/accounts/privacy/", EVERYONE),
    RouteCase("accounts:privacy_version", "/accounts/privacy/2026.1/", EVERYONE),
    RouteCase("accounts:privacy_consent", "/accounts/privacy/consent/", ALL_LOGGED_IN),
    RouteCase(
        "accounts:invite",
        lambda c: f"/accounts/invite/talent/{talent_without_login(c).pk}/",
        frozenset({"operator", "firm_admin", "talent_officer"}),
    ),
    RouteCase("accounts:claim", claim_url, EVERYONE),
    RouteCase(
        "accounts:claim_resend",
        lambda c: claim_url(c) + "resend/",
        EVERYONE,
        method="post",
        ok_status=(302,),
    ),
    RouteCase("organisations:list", "/organisations/", ALL_LOGGED_IN),
    RouteCase("organisations:register", "/organisations/register/", EVERYONE),
    RouteCase("organisations:mine", "/organisations/mine/", ALL_LOGGED_IN, ok_status=(302,)),
    RouteCase("organisations:review_queue", "/organisations/review/", frozenset({"operator"})),
    RouteCase("organisations:detail", lambda c: f"/organisations/{c.firm.pk}/", APPROVED),
    RouteCase(
        "organisations:edit",
        lambda c: f"/organisations/{c.firm.pk}/edit/",
        frozenset({"operator", "firm_admin"}),
    ),
    RouteCase(
        "organisations:review",
        lambda c: f"/organisations/{c.firm.pk}/review/",
        frozenset({"operator"}),
        method="post",
        data={"decision": "approve"},
        ok_status=(302,),
    ),
    RouteCase(
        "organisations:member_add",
        lambda c: f"/organisations/{c.firm.pk}/members/add/",
        frozenset({"operator", "firm_admin"}),
    ),
    RouteCase("talents:list", "/talents/", ALL_LOGGED_IN),
    RouteCase(
        "talents:create",
        "/talents/new/",
        frozenset({"operator", "firm_admin", "talent_officer", "other_firm_admin"}),
    ),
    RouteCase("talents:me", "/talents/me/", frozenset({"expert"}), ok_status=(302,)),
    RouteCase("talents:skills", "/talents/skills/", ALL_LOGGED_IN),
    RouteCase("talents:detail", lambda c: f"/talents/{c.expert.pk}/", APPROVED),
    RouteCase(
        "talents:edit",
        lambda c: f"/talents/{c.expert.pk}/edit/",
        frozenset({"operator", "other_firm_admin", "expert"}),
    ),
    RouteCase("jobs:list", "/jobs/", ALL_LOGGED_IN),
    RouteCase("jobs:import organisations", "/jobs/import/organisations/", frozenset({"operator"})),
    RouteCase(
        "jobs:import talents",
        "/jobs/import/talents/",
        frozenset({"operator", "firm_admin", "talent_officer", "other_firm_admin"}),
    ),
    RouteCase(
        "jobs:import_template",
        "/jobs/import/talents/template/",
        frozenset({"operator", "firm_admin", "talent_officer", "other_firm_admin"}),
    ),
    RouteCase("api organisations", "/api/v1/organisations/", ALL_LOGGED_IN, anonymous_status=(401, 403)),
    RouteCase("api talents", "/api/v1/talents/", ALL_LOGGED_IN, anonymous_status=(401, 403)),
    RouteCase("api skills", "/api/v1/skills/", ALL_LOGGED_IN, anonymous_status=(401, 403)),
    RouteCase("api schema", "/api/schema/", ALL_LOGGED_IN, anonymous_status=(401, 403)),
]

# Routes whose access is covered elsewhere (archiving and state changes have their own tests).
COVERED_ELSEWHERE = {
    "organisations:archive",
    "organisations:member_end",
    "talents:archive",
    "jobs:detail",
    "jobs:output",
    "jobs:import",
    "core:verify",  # public by design; covered in test_documents
}


def test_foundation_role_matrix(cast):
    problems = check_matrix(cast, CASES)
    assert not problems, "\n".join(problems)


def test_every_foundation_route_is_in_the_matrix():
    covered = {case.name.split(" ")[0] for case in CASES} | COVERED_ELSEWHERE
    resolver = get_resolver()
    missing = []
    for namespace in ("core", "accounts", "organisations", "talents", "jobs"):
        _prefix, sub = resolver.namespace_dict[namespace]
        for name in sub.reverse_dict:
            if isinstance(name, str) and f"{namespace}:{name}" not in covered and name != "logout":
                missing.append(f"{namespace}:{name}")
    assert not missing, f"routes without a role-matrix entry: {missing}"


def test_other_firm_cannot_see_private_rows_of_a_pending_firm(cast, client):
    from jingxiang.organisations.models import Organisation

    pending = Organisation.objects.create(name="审核中企业", kind="university", status="pending")
    client.force_login(cast.other_firm_admin)
    assert client.get(f"/organisations/{pending.pk}/").status_code == 404
    client.force_login(cast.operator)
    assert client.get(f"/organisations/{pending.pk}/").status_code == 200
