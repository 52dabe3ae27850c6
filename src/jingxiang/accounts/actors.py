"""The typed actor: who a service acts for, and the request of a view that requires a login.

Services that write take ``actor: Actor`` — the signed-in person (firm staff, operators and talents
alike; what each may do is decided in ``permissions.py``). A view behind ``login_required`` declares
``request: SignedInRequest`` so its ``request.user`` is that person, not "a user or anonymous".
"""

from __future__ import annotations

from django.http import HttpRequest

from jingxiang.accounts.models import User

Actor = User


class SignedInRequest(HttpRequest):
    """The request a ``login_required`` view receives (a type only: Django builds an ``HttpRequest``)."""

    user: User
