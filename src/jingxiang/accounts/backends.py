"""Authentication by username or mainland mobile number."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from jingxiang.identifiers import IdentifierError, validate_mobile


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
        user_model = get_user_model()
        user = user_model._default_manager.filter(username=username.strip()).first()
        if user is None:
            try:
                mobile = validate_mobile(username)
            except IdentifierError:
                mobile = None
            if mobile:
                user = user_model._default_manager.filter(mobile=mobile).first()
        if user is None:
            # Run the hasher anyway so timing does not reveal whether the account exists.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
