"""Log in by mobile number or username; repeated failures lock the account (django-axes)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("identifier", ["firm_admin", "150 5761 2345", "+86 150-5761-2345"])
def test_login_with_username_or_mobile(cast, identifier):
    cast.firm_admin.mobile = "15057612345"
    cast.firm_admin.save()
    client = Client()
    response = client.post("/accounts/login/", {"username": identifier, "password": "correct-horse-9"})
    assert response.status_code == 302
    assert client.get("/").context["user"] == cast.firm_admin


def test_repeated_failures_lock_the_login(cast, settings):
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/accounts/login/", {"username": "firm_admin", "password": "wrong"})
        assert response.status_code in (200, 429)
    locked = client.post("/accounts/login/", {"username": "firm_admin", "password": "correct-horse-9"})
    assert locked.status_code == 429
    assert "暂时锁定" in locked.content.decode()


def test_wrong_password_message_is_clear(cast):
    response = Client().post("/accounts/login/", {"username": "firm_admin", "password": "nope"})
    assert "密码不正确" in response.content.decode()
