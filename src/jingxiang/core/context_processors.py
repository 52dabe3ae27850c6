"""Template context every page needs: site name, navigation and the unread-notification count."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from jingxiang.core import navigation


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    context: dict[str, Any] = {"site_name": settings.SITE_NAME}
    if user is not None and user.is_authenticated:
        context["nav_sections"] = navigation.items_for(user, request.path)
        context["unread_notifications"] = user.notifications.unread().count()
    return context
