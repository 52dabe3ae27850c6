"""The "login" card on a talent's page: whether the person can log in, and the invitation to do so.

A tag rather than a context variable of the talent page, so the talents app's views need not know
about invitations.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from jingxiang.accounts.permissions import may_invite_login
from jingxiang.accounts.selectors import pending_login_invitation

register = template.Library()


@register.inclusion_tag("accounts/_talent_login.html", takes_context=True)
def talent_login_card(context: template.Context, talent: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not may_invite_login(user, talent):
        return {"show": False}
    pending = None
    if talent.user_id is None:
        pending = pending_login_invitation(talent)
    return {
        "show": True,
        "talent": talent,
        "pending": pending,
        "claim_link": request.build_absolute_uri(reverse("accounts:claim", args=[pending.token]))
        if pending and request is not None
        else "",
    }
