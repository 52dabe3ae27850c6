"""Personas: one logged-in user per role, as the house style asks (owner, member, outsider …)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# CI and our machines are 2 shared cores: a property test must not fail because generating its inputs
# was slow while another process ran (the properties are what is tested, not the speed of generating).
hypothesis_settings.register_profile(
    "shared-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("shared-machine")


# Test databases -----------------------------------------------------------------------------------
# Migrated once and copied to every process that needs one (jingxiang.testing.dbtemplate); the same
# migrations, data migrations included, build what every test sees.
@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_use_migrations: bool,
    django_db_keepdb: bool,
    django_db_createdb: bool,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """pytest-django's own set-up (same options), each database made from the run's template."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    from jingxiang.testing.dbtemplate import ENV_DIR, release_templates, setup_databases_from_template

    keepdb = django_db_keepdb and not django_db_createdb
    if not django_db_use_migrations:
        _disable_migrations()
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    workerinput = getattr(request.config, "workerinput", None)
    run_id = workerinput["testrunuid"] if workerinput else ""
    directory: Path | None = None
    if django_db_use_migrations and not keepdb:
        if os.environ.get(ENV_DIR):
            directory = Path(os.environ[ENV_DIR]).resolve()
        elif workerinput:
            directory = tmp_path_factory.getbasetemp().parent / "db-templates"

    def setup() -> Any:
        return setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            keepdb=keepdb,
        )

    with django_db_blocker.unblock():
        db_cfg = setup_databases_from_template(directory, run_id, setup, aliases)

    yield

    if not django_db_keepdb:
        with django_db_blocker.unblock():
            try:
                teardown_databases(db_cfg, verbosity=request.config.option.verbose)
            except Exception as exc:
                request.node.warn(
                    pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}")
                )
    with django_db_blocker.unblock():
        release_templates(directory, run_id, aliases)


@dataclass
class Cast:
    firm: Any
    other_firm: Any
    lab: Any
    town: Any
    union: Any
    firm_admin: Any
    talent_officer: Any
    member: Any
    other_firm_admin: Any
    lab_staff: Any
    operator: Any
    union_staff: Any
    expert: Any
    expert_user: Any
    outsider: Any

    def by_role(self) -> dict[str, Any]:
        return {
            "firm_admin": self.firm_admin,
            "talent_officer": self.talent_officer,
            "member": self.member,
            "other_firm_admin": self.other_firm_admin,
            "lab_staff": self.lab_staff,
            "operator": self.operator,
            "union_staff": self.union_staff,
            "expert": self.expert_user,
            "outsider": self.outsider,
        }


@pytest.fixture
def cast(db: Any) -> Cast:
    # Imported here so the pure engines' tests run without Django (`pytest -p no:django`).
    from jingxiang.organisations.models import OrganisationKind, Role
    from jingxiang.testing.factories import MembershipFactory, OrganisationFactory, TalentFactory, UserFactory

    firm = OrganisationFactory(name="临海市康波眼镜有限公司")
    other_firm = OrganisationFactory(name="临海市远方光学有限公司")
    lab = OrganisationFactory(name="东华大学检测实验室", kind=OrganisationKind.TESTING_LAB, uscc=None)
    town = OrganisationFactory(name="杜桥镇人才服务中心", kind=OrganisationKind.GOVERNMENT, uscc=None)
    union = OrganisationFactory(name="临海市眼镜行业工会", kind=OrganisationKind.UNION, uscc=None)

    def member_of(username: str, organisation: Any, role: str) -> Any:
        user = UserFactory(username=username)
        MembershipFactory(user=user, organisation=organisation, role=role)
        return user

    expert_user = UserFactory(username="expert")
    expert = TalentFactory(name="林工", user=expert_user, home_organisation=other_firm)
    return Cast(
        firm=firm,
        other_firm=other_firm,
        lab=lab,
        town=town,
        union=union,
        firm_admin=member_of("firm_admin", firm, Role.ORG_ADMIN),
        talent_officer=member_of("talent_officer", firm, Role.TALENT_OFFICER),
        member=member_of("member", firm, Role.MEMBER),
        other_firm_admin=member_of("other_admin", other_firm, Role.ORG_ADMIN),
        lab_staff=member_of("lab_staff", lab, Role.LAB_STAFF),
        operator=member_of("operator", town, Role.OPERATOR),
        union_staff=member_of("union_staff", union, Role.UNION_STAFF),
        expert=expert,
        expert_user=expert_user,
        outsider=UserFactory(username="outsider"),
    )


@pytest.fixture
def otp_outbox() -> Any:
    """One-time codes sent during the test (the test settings use the outbox sender), like mail.outbox."""
    from jingxiang.accounts import senders

    senders.outbox.clear()
    yield senders.outbox
    senders.outbox.clear()


# Browser tests ------------------------------------------------------------------------------------
# Playwright drives Debian's Chromium (/usr/bin/chromium); `make test-browser` makes sure it exists.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Any:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _new_page(browser: Any, *, phone: bool) -> Any:
    viewport = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 900}
    context = browser.new_context(
        viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    # Chromium reports every refusal of the Content-Security-Policy on the console; a journey that
    # meets one has something that silently does not work for real users.
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            page.csp_violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return page


def _close(page: Any) -> None:
    violations = page.csp_violations
    page.context.close()
    assert not violations, "Content-Security-Policy refusals:\n" + "\n".join(violations)


@pytest.fixture
def page(browser: Any) -> Any:
    """A desktop-sized page (1366×900); fails the test if the page meets a CSP refusal."""
    page = _new_page(browser, phone=False)
    yield page
    _close(page)


@pytest.fixture
def phone_page(browser: Any) -> Any:
    """A phone-sized page (390×844) for the mobile journeys; fails on a CSP refusal too."""
    page = _new_page(browser, phone=True)
    yield page
    _close(page)
