"""Thin views: the person's calendar (month / week, an agenda on phones), its .ics and the feed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jingxiang.calendars import selectors, services
from jingxiang.calendars.ics import calendar_ics
from jingxiang.calendars.permissions import access_feed
from jingxiang.calendars.registry import actions_for
from jingxiang.core.links import absolute_url
from jingxiang.core.pages import action
from jingxiang.core.rendering import render_page


def _ics_response(body: bytes, *, filename: str, download: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("view", selectors.MONTH)
    day = selectors.parse_day(request.GET.get("day"))
    page = selectors.calendar_page(request.user, view=view, day=day)
    feed = selectors.live_feed(request.user)
    return render_page(
        request,
        "calendars/calendar.html",
        {
            **page,
            "feed": feed,
            "feed_url": absolute_url(reverse("calendars:feed", args=[feed.token]), request) if feed else "",
            "actions": actions_for(request.user),
        },
        partial="calendars/_calendar.html",
    )


@login_required
def calendar_download(request: HttpRequest) -> HttpResponse:
    body = calendar_ics(selectors.export_entries(request.user), name=_("镜享日历"))
    return _ics_response(body, filename="jingxiang-calendar.ics", download=True)


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed a phone subscribes to: no login, the token is the key (404 once revoked)."""
    subscription = access_feed(token)
    body = calendar_ics(selectors.export_entries(subscription.user), name=_("镜享日历"))
    services.feed_fetched(feed=subscription)
    return _ics_response(body, filename="jingxiang.ics", download=False)


@login_required
@require_POST
def feed_issue(request: HttpRequest) -> HttpResponse:
    had = selectors.live_feed(request.user) is not None
    return action(
        request,
        lambda: services.feed_issue(actor=request.user),
        success_url=reverse("calendars:calendar"),
        success_message=_("已生成新的订阅链接,原链接已失效。") if had else _("订阅链接已生成。"),
    )


@login_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    return action(
        request,
        lambda: services.feed_revoke(actor=request.user),
        success_url=reverse("calendars:calendar"),
        success_message=_("订阅链接已停用,已订阅的日历将不再更新。"),
    )
