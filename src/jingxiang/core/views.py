from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.html import escape
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from jingxiang.core import navigation
from jingxiang.core.listing import paginate
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
    """Search organisations and talents at once, by name, pinyin or initials."""
    from jingxiang.organisations.models import Organisation
    from jingxiang.talents.models import Talent

    query = request.GET.get("q", "").strip()[:100]
    organisations = Organisation.objects.visible_to(request.user).search(query)[:10] if query else []
    talents = Talent.objects.visible_to(request.user).search(query)[:10] if query else []
    return render_page(
        request, "core/search.html", {"q": query, "organisations": organisations, "talents": talents}
    )


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
