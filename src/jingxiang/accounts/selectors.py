"""Reads of accounts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from jingxiang.identifiers import IdentifierError, validate_mobile


def user_for_login(identifier: str) -> Any:
    """The account a login identifier names: a mobile number is tried first, so a username cannot shadow
    someone's phone number."""
    user_model = get_user_model()
    try:
        mobile = validate_mobile(identifier)
    except IdentifierError:
        mobile = None
    if mobile:
        user = user_model._default_manager.filter(mobile=mobile).first()
        if user is not None:
            return user
    return user_model._default_manager.filter(username=identifier.strip()).first()
