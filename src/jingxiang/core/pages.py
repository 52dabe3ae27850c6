"""The page recipes every app uses: lists, forms, button actions and detail pages.

A view says *what* (the rows it may show, the form, the service to call, where to go next); these
functions do *how*, once: filters kept in the URL, sorting, Excel export, pagination, empty and
filtered-empty states, HTMX partials, service refusals turned into field errors or messages, and
redirects that HTMX follows. Views therefore hold no ``try/except`` for service errors: a refusal is a
``ValidationError`` or ``PermissionDenied`` raised by the service and shown here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme

from jingxiang.core.forms import add_service_error, flash_refusal
from jingxiang.core.listing import ExportColumn, apply_sort, export_queryset, paginate, query_without
from jingxiang.core.rendering import render_page

T = TypeVar("T")

#: What a refusal is. Anything else raised by a service is a bug and must surface as one.
REFUSALS = (ValidationError, PermissionDenied)

#: Query parameters that steer the list itself rather than filter it.
LIST_CONTROLS = ("page", "per_page", "sort", "export")


@dataclass(frozen=True)
class Export:
    """How a list exports to Excel: the file name and its columns."""

    filename: str
    columns: Sequence[ExportColumn]


@dataclass
class ListSpec:
    """Everything a list page needs besides the rows a user may see.

    ``sort`` names the columns a user may sort by (the ``sort`` parameter, optionally with ``-``);
    ``default_sort`` is used when it names none. ``prepare`` runs on the filtered, sorted queryset
    (annotations that only the page needs, not the export).
    """

    template: str
    partial: str | None = None
    filterset: type | None = None
    sort: Sequence[str] = ()
    default_sort: str = "-pk"
    export: Export | None = None
    per_page: int = 25
    prepare: Callable[[QuerySet], QuerySet] | None = None
    filterset_kwargs: Mapping[str, Any] = field(default_factory=dict)


def redirect_to(request: HttpRequest, url: str) -> HttpResponse:
    """Go to ``url``; for an HTMX request that swaps a region, tell HTMX to navigate instead."""
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The ``next`` parameter when it points inside this site, otherwise ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def list_page(
    request: HttpRequest,
    queryset: QuerySet,
    spec: ListSpec,
    context: Mapping[str, Any] | None = None,
    *,
    filter_kwargs: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """Filter → sort → export or paginate → render, the same way on every list.

    An invalid filter (a year of 0, a date that does not exist) shows the filter form's message and an
    empty list; it never reaches the database. ``filter_kwargs`` go to the filterset with the request's
    own choices (the user's events, say). The template gets ``page``, ``filterset``, ``sort``,
    ``query`` (the query string without the page, for pagination links), ``query_nosort`` and
    ``filtered`` (whether any filter is set, so the empty state can say "no match" rather than "none yet").
    """
    filterset = None
    if spec.filterset is not None:
        kwargs = {**spec.filterset_kwargs, **(filter_kwargs or {})}
        filterset = spec.filterset(request.GET, queryset=queryset, **kwargs)
        queryset = filterset.qs if filterset.is_valid() else queryset.none()
    queryset, sort = apply_sort(request, queryset, list(spec.sort), spec.default_sort)
    if spec.export is not None and request.GET.get("export") == "xlsx":
        return export_queryset(spec.export.filename, queryset, spec.export.columns)
    if spec.prepare is not None:
        queryset = spec.prepare(queryset)
    filtered = any(value for key, value in request.GET.items() if key not in LIST_CONTROLS)
    page_context = {
        "filterset": filterset,
        "page": paginate(request, queryset, spec.per_page),
        "sort": sort,
        "query": query_without(request, "page"),
        "query_nosort": query_without(request, "page", "sort"),
        "export_query": query_without(request, "page", "export"),
        "filtered": filtered,
        "can_export": spec.export is not None,
        "results_template": spec.partial,
        **(context or {}),
    }
    return render_page(request, spec.template, page_context, partial=spec.partial)


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[dict[str, Any]], T],
    success_url: str | Callable[[T], str],
    success_message: str | Promise | Callable[[T], str] = "",
    template: str = "includes/form_page.html",
    partial: str | None = None,
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """Show ``form``; on a valid POST call ``save(cleaned_data)`` (a service) and go to ``success_url``.

    A service's refusal lands on the form's fields (or on top when it names none) next to the field
    errors, so the user sees every problem at once; nothing is saved. The generic template needs
    ``title`` and ``back`` in ``context``; ``hidden`` adds hidden inputs.
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except REFUSALS as error:
            add_service_error(form, error)
        else:
            message = success_message(result) if callable(success_message) else success_message
            if message:
                messages.success(request, str(message))
            url = success_url(result) if callable(success_url) else success_url
            return redirect_to(request, url)
    return render_page(request, template, {"form": form, **(context or {})}, partial=partial)


def action(
    request: HttpRequest,
    run: Callable[[], T],
    *,
    success_url: str | Callable[[T], str],
    success_message: str | Promise | Callable[[T], str] = "",
    failure_url: str | None = None,
    form: forms.BaseForm | None = None,
) -> HttpResponse:
    """A button that changes something: POST only; run the service, say what happened, go on.

    With ``form`` (a small form posted with the button: a reason, a status), an invalid form is refused
    with its messages before the service runs. A refusal is shown as a message on the page the user
    came from (``failure_url``, or the success page when the result is needed to build it).
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    fallback = failure_url or (success_url if isinstance(success_url, str) else "/")
    if form is not None and not form.is_valid():
        # Several fields may share one message ("choose a slot and a table"): say it once.
        for message in dict.fromkeys(m for errors in form.errors.values() for m in errors):
            messages.error(request, message)
        return redirect_to(request, safe_next(request, fallback))
    try:
        result = run()
    except REFUSALS as error:
        flash_refusal(request, error)
        return redirect_to(request, safe_next(request, fallback))
    message = success_message(result) if callable(success_message) else success_message
    if message:
        messages.success(request, str(message))
    url = success_url(result) if callable(success_url) else success_url
    return redirect_to(request, safe_next(request, url))


@dataclass(frozen=True)
class NextStep:
    """Who must act next on a workflow object, and what they must do (UI rule: every object says it).

    ``actor`` names the party ("康波眼镜", "检测人员"); ``mine`` is true when the viewer is that party,
    so the page can put the action first.
    """

    text: str | Promise
    actor: str = ""
    mine: bool = False
    url: str = ""
    tone: str = "info"


def first_step(*steps: tuple[bool, NextStep]) -> NextStep | None:
    """The first step whose condition holds: a workflow's "who acts next" written as a table."""
    for condition, step in steps:
        if condition:
            return step
    return None
