"""The Content-Security-Policy is sent everywhere and every page works under it.

The role-matrix tests of every app run ``csp_problems`` on each route they visit; these tests cover the
header itself, the checker, the templates the matrix may not render (conditional blocks), the Django
admin, the browsable API and the error pages.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from jingxiang.core import navigation
from jingxiang.testing.csp import csp_problems, directives, html_problems
from jingxiang.testing.factories import OrganisationFactory, UserFactory

SOURCE = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(p for p in SOURCE.rglob("templates/**/*.html"))


def test_the_checker_finds_what_the_policy_refuses():
    found = html_problems(
        '<p onclick="x()">a</p><script>alert(1)</script><a href="javascript:void(0)">b</a>'
        '<div style="color:red"></div><style>p{}</style>'
    )
    assert len(found) == 5, found
    assert not html_problems(
        '<script src="/static/app.js" defer></script><script type="application/json" id="d">{}</script>'
        "<p>onclick=ok style=ok</p><button data-print>打印</button>"
    )
    assert html_problems('<div style="x"></div>', inline_styles_allowed=True) == []


@pytest.mark.django_db
def test_every_page_gets_the_strict_policy(client):
    response = client.get("/accounts/login/")
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == policy["script-src"] == policy["style-src"] == ["'self'"]
    assert policy["object-src"] == policy["frame-ancestors"] == ["'none'"]
    assert csp_problems(response) == []
    # A missing page (the custom 404, DEBUG is off in tests) is protected too.
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and csp_problems(missing) == []


def test_templates_have_no_inline_script_handler_style_or_symbol_glyph():
    """Catches what the matrix cannot reach: blocks shown only for some data."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
    patterns = {
        "inline <script>": inline_script,
        "on*= handler": re.compile(r"\son[a-z]+\s*=", re.I),
        "style= attribute": re.compile(r"\sstyle\s*=", re.I),
        "<style> element": re.compile(r"<style\b", re.I),
        "javascript: URL": re.compile(r"javascript:", re.I),
    }
    assert len(TEMPLATES) > 100
    problems = []
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for label, pattern in patterns.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(SOURCE)}:{line}: {label}")
        # Icons are SVG: a pictograph or dingbat (Unicode "other symbol") in a template is a glyph that
        # a browser without the right font draws as a box.
        for number, line_text in enumerate(text.splitlines(), 1):
            glyphs = [ch for ch in line_text if unicodedata.category(ch) == "So"]
            if glyphs:
                problems.append(f"{path.relative_to(SOURCE)}:{number}: symbol glyphs {glyphs}")
    assert not problems, "\n".join(problems)


def test_every_icon_in_use_is_in_the_sprite():
    sprite = Path(finders.find("jingxiang/icons.svg")).read_text(encoding="utf-8")
    available = set(re.findall(r'<symbol id="([a-z0-9-]+)"', sprite))
    used = {item.icon for item in navigation._items}
    for path in TEMPLATES:
        used |= set(re.findall(r'{%\s*icon\s+"([a-z0-9-]+)"', path.read_text(encoding="utf-8")))
    used |= {"chevron-up", "chevron-down"}  # sort_link's arrows
    assert apps.ready and len(used) > 30
    assert used <= available, f"icons missing from icons.svg: {sorted(used - available)}"


@pytest.mark.django_db
def test_the_admin_works_under_the_same_policy(client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    firm = OrganisationFactory(name="临海市康波眼镜有限公司")
    client.force_login(admin)
    pages = [
        "/admin/",
        "/admin/organisations/organisation/",
        "/admin/organisations/organisation/add/",
        f"/admin/organisations/organisation/{firm.pk}/change/",
        f"/admin/accounts/user/{admin.pk}/change/",
        "/admin/auditlog/logentry/",
        "/admin/password_change/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert csp_problems(response) == [], url


@pytest.mark.django_db
def test_only_the_browsable_api_may_use_inline_styles(cast, client):
    client.force_login(cast.operator)
    browsable = client.get("/api/v1/organisations/", HTTP_ACCEPT="text/html")
    assert browsable["Content-Type"].startswith("text/html")
    policy = directives(browsable["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"] and "'unsafe-inline'" in policy["style-src"]
    assert csp_problems(browsable) == []
    data = client.get("/api/v1/organisations/")
    assert directives(data["Content-Security-Policy"])["style-src"] == ["'self'"]


def test_the_server_error_page_needs_nothing_inline():
    assert html_problems(render_to_string("errors/500.html")) == []
