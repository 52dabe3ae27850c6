"""Every list page and API list operation, every filter parameter, junk values: never a 500.

The routes come from the URL resolver and the operations from the OpenAPI schema, so a new list is swept
without being named here. A page's parameters are the fields of the filter forms it renders plus the
names its view (and the helpers it calls) read from ``request.GET``.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any

import django_filters
import pytest
from django import forms
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

JUNK = ["0", "-1", "10000", "99999999999999999999", "abc", "2026-13-45", ""]
SKIPPED_PREFIXES = ("admin/", "api/", "i18n/", "jsi18n/", "accounts/logout/")
GET_NAME = re.compile(r"request\.GET(?:\.get\(|\[)\s*[\"'](\w+)")
CALLED = re.compile(r"\b([A-Za-z_]\w*)\(")


def patterns() -> Iterator[tuple[str, URLPattern]]:
    def walk(resolver: URLResolver, prefix: str) -> Iterator[tuple[str, URLPattern]]:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, prefix + str(entry.pattern))
            else:
                yield prefix + str(entry.pattern), entry

    yield from walk(get_resolver(), "")


def _source(function: Any) -> str:
    try:
        return inspect.getsource(inspect.unwrap(function))
    except (OSError, TypeError):
        return ""


def view_reads(callback: Callable[..., Any]) -> set[str]:
    """GET names read by the view and by the project functions it calls (``list_page``, ``paginate``…)."""
    names: set[str] = set()
    seen: set[Any] = set()

    def scan(function: Any, depth: int) -> None:
        if function in seen or depth > 3:
            return
        seen.add(function)
        source = _source(function)
        names.update(GET_NAME.findall(source))
        namespace = getattr(inspect.unwrap(function), "__globals__", {})
        for called in set(CALLED.findall(source)):
            helper = namespace.get(called)
            if inspect.isfunction(helper) and getattr(helper, "__module__", "").startswith("jingxiang."):
                scan(helper, depth + 1)

    scan(getattr(callback, "view_class", None) or callback, 0)
    return names


def form_parameters(response: Any) -> set[str]:
    """Field names (with range suffixes) of the filter sets and GET forms the page rendered."""
    names: set[str] = set()
    for context in response.context or []:
        for layer in context.dicts:
            for value in layer.values() if isinstance(layer, dict) else []:
                form = value.form if isinstance(value, django_filters.FilterSet) else value
                if isinstance(form, forms.BaseForm) and (
                    isinstance(value, django_filters.FilterSet) or getattr(form, "data", None) is not None
                ):
                    for name, field in form.fields.items():
                        suffixes = getattr(field.widget, "suffixes", None)
                        names |= {f"{name}_{s}" if s else name for s in suffixes} if suffixes else {name}
    return names


def _sweep_fund_and_competition(cast: Any) -> dict[str, dict[str, Any]]:
    """A fund's ledger page and an edition's management list (both filter)."""
    from decimal import Decimal

    from jingxiang.competition.demo import make_edition
    from jingxiang.fund import services as fund_services

    fund = fund_services.fund_create(
        actor=cast.operator,
        data={"name": "临海市人才科创基金", "manager": cast.town, "capital": Decimal("1000000")},
    )
    edition = make_edition(cast.operator, slug="sweep")
    return {"fund:fund": {"pk": fund.pk}, "competition:manage": {"slug": edition.slug}}


@pytest.fixture
def world(cast: Any) -> dict[str, Any]:
    """Objects for the list pages that sit under another object."""
    from jingxiang.academy.tests.conftest import sweep_learning
    from jingxiang.alliance.tests.conftest import sweep_alliance
    from jingxiang.events.tests.conftest import make_event
    from jingxiang.fairs.tests.conftest import sweep_fairs
    from jingxiang.services.tests.builders import programme
    from jingxiang.wagenorms.models import WageReport

    report = WageReport.objects.create(firm=cast.firm, created_by=cast.firm_admin)
    alliance = {"pk": sweep_alliance().pk}
    lists = ("members", "tasks", "outputs", "meetings", "agreements", "obligations")
    return {
        "events:participants": {"pk": make_event(cast.operator).pk},
        "services:programme_statement": {"pk": programme().pk},
        "wagenorms:report": {"pk": report.pk},
        "insights:records": {"code": "demands_posted"},
        "insights:indicator": {"code": "demands_posted"},
        **{f"alliance:{n}": alliance for n in lists},
        **sweep_fairs(cast),
        **_sweep_fund_and_competition(cast),
        **sweep_learning(cast.operator),
    }


#: One sweep per app, so the two test workers share the work (one sweep of every page was a third of
#: the whole suite's time, on one worker). Read from the settings: no URL import at collection.
SWEPT_APPS = sorted(
    {app.split(".")[1] for app in settings.INSTALLED_APPS if app.startswith("jingxiang.")} - {"config"}
    | {"contrib"}  # django.contrib's own pages (the admin is skipped by prefix)
)


def _app_of(pattern: URLPattern) -> str:
    return str(pattern.callback.__module__.split(".")[1])


@pytest.mark.parametrize("app", SWEPT_APPS)
def test_no_filter_value_anywhere_gives_a_500(cast: Any, world: dict[str, Any], app: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(cast.operator)
    failures = []
    for path, pattern in patterns():
        if _app_of(pattern) != app:
            continue
        name = f"{app}:{pattern.name}"
        if path.startswith(SKIPPED_PREFIXES) or "^" in path or "(?P" in path:
            continue
        arguments = re.findall(r"<(?:\w+:)?(\w+)>", path)
        if arguments and name not in world:
            continue
        values = world.get(name, {})
        url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m, values=values: str(values[m.group(1)]), path)
        first = client.get(url)
        if first.status_code != 200 or not first.get("Content-Type", "").startswith("text/html"):
            continue
        parameters = form_parameters(first) | view_reads(pattern.callback)
        parameters.discard("export")
        for parameter in sorted(parameters):
            for junk in JUNK:
                for export in ({}, {"export": "xlsx"}):
                    response = client.get(url, {parameter: junk, **export})
                    if response.status_code >= 500:
                        failures.append(f"{url}?{parameter}={junk}{'&export=xlsx' if export else ''}")
    assert not failures, "\n".join(failures)


def test_every_route_belongs_to_a_swept_app_and_enough_pages_have_filters() -> None:
    """The per-app sweeps together cover every route; at least 25 list pages filter or read GET."""
    apps = {_app_of(pattern) for path, pattern in patterns() if not path.startswith(SKIPPED_PREFIXES)}
    assert apps <= set(SWEPT_APPS), apps - set(SWEPT_APPS)
    with_filters = [
        path
        for path, pattern in patterns()
        if not path.startswith(SKIPPED_PREFIXES)
        and (
            view_reads(pattern.callback)
            or re.search(r"\blist_page\(|\w+Filter(?:Set)?\(", _source(pattern.callback))
        )
    ]
    assert len(with_filters) >= 25, with_filters


def test_filter_pages_under_an_object_are_all_swept(world: dict[str, Any]) -> None:
    """A list page with a path argument is only swept when ``world`` has an object for it."""
    missing = []
    for path, pattern in patterns():
        if path.startswith(SKIPPED_PREFIXES) or "(?P" in path or not re.search(r"<(?:\w+:)?\w+>", path):
            continue
        name = f"{pattern.callback.__module__.split('.')[1]}:{pattern.name}"
        source = _source(getattr(pattern.callback, "view_class", pattern.callback))
        if re.search(r"\blist_page\(|\w+Filter(?:Set)?\(", source) and name not in world:
            missing.append(name)
    assert not missing


def api_list_operations() -> list[tuple[str, list[str]]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, methods in schema["paths"].items():
        get = methods.get("get")
        if get is None or "{" in path:
            continue
        operations.append((path, [p["name"] for p in get.get("parameters", []) if p["in"] == "query"]))
    return operations


def test_no_api_filter_value_gives_a_500(cast: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(cast.operator)
    failures = []
    operations = api_list_operations()
    assert len(operations) >= 6 and all(parameters for _path, parameters in operations)
    for path, parameters in operations:
        for parameter in parameters:
            for junk in JUNK:
                response = client.get(path, {parameter: junk})
                if response.status_code >= 500:
                    failures.append(f"{path}?{parameter}={junk}")
                elif response.status_code == 400:
                    assert response.json(), (path, parameter, junk)
    assert not failures, "\n".join(failures)
