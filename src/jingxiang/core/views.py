from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from jingxiang.core import navigation
from jingxiang.core.listing import paginate, query_without
from jingxiang.core.rendering import render_page
from jingxiang.core.services import notifications_mark_read, personal_data_reveal, user_language_set


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address, honouring the trusted proxies configured for django-axes."""
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR")


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render_page(request, "core/landing.html")
    return render_page(
        request,
        "core/home.html",
        {"cards": navigation.attention_for(request.user), "figures": navigation.overview_for(request.user)},
    )


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = request.user.notifications.filter(archived_at__isnull=True)
    return render_page(request, "core/notifications.html", {"page": paginate(request, notifications)})


@login_required
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    ids = [int(value) for value in request.POST.getlist("id") if value.isdigit()]
    notifications_mark_read(user=request.user, notification_ids=ids or None)
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("core:notifications")


@login_required
@require_POST
def reveal(request: HttpRequest) -> HttpResponse:
    """Show one full personal value in place of its masked form; the access is logged."""
    try:
        value = personal_data_reveal(
            user=request.user,
            model_label=request.POST.get("model", ""),
            object_id=request.POST.get("pk", ""),
            field_name=request.POST.get("field", ""),
            ip_address=client_ip_address(request),
            reason=request.POST.get("reason", ""),
        )
    except PermissionDenied:
        return HttpResponse(status=404)
    return HttpResponse(f'<span class="revealed" data-revealed="1">{escape(value)}</span>')


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Search every app's main records at once, by name, number, pinyin or initials (see core.search);
    ``kind`` pages through all the matches of one kind."""
    from jingxiang.core.search import hit, search_all, search_kind, search_one

    query = request.GET.get("q", "").strip()[:100]
    kind = search_kind(request.GET.get("kind", ""))
    context: dict[str, object] = {"q": query, "groups": [], "kind": kind}
    if query and kind is not None:
        page = paginate(request, search_one(kind, request.user, query))
        context.update(page=page, hits=[hit(kind, row) for row in page], query=query_without(request, "page"))
    elif query:
        context["groups"] = search_all(request.user, query)
    return render_page(request, "core/search.html", context)


@login_required
@require_GET
def picker(request: HttpRequest, source: str) -> HttpResponse:
    """Type-ahead options of one picker source (core.pickers): only rows the source lets this user pick;
    an unknown source, or one that refuses the user, is a 404."""
    from jingxiang.core.pickers import options_for

    context = options_for(request.user, source, request.GET.get("q", ""))
    if context is None:
        raise Http404
    return render(request, "core/widgets/picker_options.html", context)


def verify(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    """Public verification page for a printed document (certificate, report, agreement, brand code).

    A tampered or unknown code shows a clear "not found" answer and never reveals what exists.
    """
    from jingxiang.core.documents import verification_kind

    entry = verification_kind(kind)
    normalised = code.strip().upper()[:64]
    context = entry.lookup(normalised) if entry is not None and normalised.isalnum() else None
    if context is None:
        return render_page(
            request,
            "core/verify.html",
            {"found": False, "code": normalised, "kind_title": entry.title if entry else ""},
            status=404,
        )
    context = {"found": True, "code": normalised, "kind_title": entry.title, **context}
    return render_page(request, entry.template, context)


def language_switch(request: HttpRequest) -> HttpResponse:
    """Django's language switch, and for a signed-in person the language is remembered on their account,
    so e-mails and other texts rendered without their request reach them in it."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_language_set(user=request.user, language=language)
    return response
