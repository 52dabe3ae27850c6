"""Printed and e-mailed links: the configured public address, or in development the request's own."""

from __future__ import annotations

import pytest
from django.core import mail
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from jingxiang.core.documents import verification_url
from jingxiang.core.links import DEVELOPMENT_BASE_URL, CurrentRequestMiddleware, absolute_url

HOSTS = ["testserver", "192.168.1.20"]


@override_settings(PUBLIC_BASE_URL="https://jingxiang.example/", ALLOWED_HOSTS=HOSTS)
def test_configured_public_address_wins_over_the_request():
    request = RequestFactory().get("/", HTTP_HOST="192.168.1.20:8123")
    assert verification_url("report", "ABC", request) == "https://jingxiang.example/verify/report/ABC/"
    assert verification_url("report", "ABC") == "https://jingxiang.example/verify/report/ABC/"


@override_settings(PUBLIC_BASE_URL="", ALLOWED_HOSTS=HOSTS)
def test_without_a_public_address_links_use_the_address_the_request_came_to():
    request = RequestFactory().get("/", HTTP_HOST="192.168.1.20:8123", secure=True)
    assert verification_url("report", "ABC", request) == "https://192.168.1.20:8123/verify/report/ABC/"

    # Code that is not handed the request (services, document builders) sees it through the middleware.
    middleware = CurrentRequestMiddleware(lambda _request: HttpResponse(verification_url("cert", "XYZ")))
    response = middleware(RequestFactory().get("/", HTTP_HOST="192.168.1.20:8123"))
    assert response.content.decode() == "http://192.168.1.20:8123/verify/cert/XYZ/"

    # Outside any request (the task worker) the development server's address is used.
    assert absolute_url("/x/") == f"{DEVELOPMENT_BASE_URL}/x/"
    assert absolute_url("https://elsewhere.example/y") == "https://elsewhere.example/y"


@pytest.mark.django_db
@override_settings(PUBLIC_BASE_URL="", ALLOWED_HOSTS=HOSTS)
def test_notification_mail_sent_during_a_request_links_to_that_host(cast, django_capture_on_commit_callbacks):
    from jingxiang.core.services import notification_send
    from jingxiang.organisations.texts import APPLICATION_RECEIVED

    cast.firm_admin.email = "admin@example.com"
    cast.firm_admin.save()

    def view(_request):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            notification_send(
                recipient=cast.firm_admin, message=APPLICATION_RECEIVED(name="康波"), url="/lab/"
            )
        return HttpResponse("ok")

    CurrentRequestMiddleware(view)(RequestFactory().get("/", HTTP_HOST="192.168.1.20"))
    assert mail.outbox and "http://192.168.1.20/lab/" in mail.outbox[-1].body
