"""Authentication by username or mainland mobile number."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from jingxiang.accounts.selectors import user_for_login


def lockout_key(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """One lockout counter per account, however its mobile number or username is spelled (django-axes)."""
    identifier = str((credentials or {}).get("username") or "").strip()
    if not identifier:
        return None
    user = user_for_login(identifier)
    return user.username if user is not None else identifier.lower()


class MobileOrUsernameBackend(ModelBackend):
    """Accept either identifier in the one login field, as people here expect to type their phone number."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not username or password is None:
            return None
        user = user_for_login(username)
        if user is None:
            # Run the hasher anyway so timing does not reveal whether the account exists.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
