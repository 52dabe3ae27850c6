"""Every conversations route as every persona and anonymously: the parties, a third firm, operators
where the rules let them read and where they do not, colleagues without the acting role."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jingxiang.conversations.tests.conftest import PDF, build_world
from jingxiang.testing.matrix import ALL_LOGGED_IN, RouteCase, check_matrix

pytestmark = pytest.mark.django_db

FIRM = frozenset({"firm_admin", "talent_officer"})
EXPERT = frozenset({"expert"})
LAB = frozenset({"lab_staff"})
OPERATOR = frozenset({"operator"})


@pytest.fixture
def world(cast: Any) -> Any:
    from jingxiang.conversations import services

    world = build_world(cast)
    world.message = services.message_post(
        actor=cast.talent_officer,
        subject=world.invitation,
        body="附件是批次记录",
        files=[SimpleUploadedFile("记录.pdf", PDF)],
    )
    world.attachment = world.message.attachments.get()
    return world


def thread(key: str, attr: str) -> Any:
    return lambda w: f"/conversations/{key}/{getattr(w, attr).pk}/"


def post(key: str, attr: str) -> Any:
    return lambda w: f"/conversations/{key}/{getattr(w, attr).pk}/post/"


SAY = {"body": "您好"}

CASES = [
    RouteCase("conversations:inbox", "/conversations/", ALL_LOGGED_IN),
    RouteCase("conversations:inbox export", "/conversations/?export=xlsx", ALL_LOGGED_IN),
    # Sharing invitation: the firm's managers and the talent; operators read (the station's rule).
    RouteCase(
        "conversations:thread sharing-invitation",
        thread("sharing-invitation", "invitation"),
        FIRM | EXPERT | OPERATOR,
    ),
    RouteCase(
        "conversations:post sharing-invitation",
        post("sharing-invitation", "invitation"),
        FIRM | EXPERT,
        method="post",
        data=SAY,
        ok_status=(302,),
    ),
    # Sharing request: the firm and the station (operators are a party, so they also write).
    RouteCase("conversations:thread sharing-request", thread("sharing-request", "request"), FIRM | OPERATOR),
    RouteCase(
        "conversations:post sharing-request",
        post("sharing-request", "request"),
        FIRM | OPERATOR,
        method="post",
        data=SAY,
        ok_status=(302,),
    ),
    # Demand proposal: the firm and the supplier lab; private (operators may not read).
    RouteCase("conversations:thread demands-proposal", thread("demands-proposal", "proposal"), FIRM | LAB),
    RouteCase(
        "conversations:post demands-proposal",
        post("demands-proposal", "proposal"),
        FIRM | LAB,
        method="post",
        data=SAY,
        ok_status=(302,),
    ),
    # Challenge application: the firm and the applicant; operators read.
    RouteCase(
        "conversations:thread demands-application",
        thread("demands-application", "application"),
        FIRM | EXPERT | OPERATOR,
    ),
    RouteCase(
        "conversations:post demands-application",
        post("demands-application", "application"),
        FIRM | EXPERT,
        method="post",
        data=SAY,
        ok_status=(302,),
    ),
    # Meeting request: the two registrations; private.
    RouteCase("conversations:thread events-meeting", thread("events-meeting", "meeting"), FIRM | EXPERT),
    RouteCase(
        "conversations:post events-meeting",
        post("events-meeting", "meeting"),
        FIRM | EXPERT,
        method="post",
        data=SAY,
        ok_status=(302,),
    ),
    RouteCase("conversations:thread unknown kind", "/conversations/nothing/1/", frozenset()),
    RouteCase(
        "conversations:attachment",
        lambda w: f"/conversations/attachments/{w.attachment.pk}/",
        FIRM | EXPERT | OPERATOR,
    ),
    # Only the author withdraws; the matrix runs the author last so the others meet a live message.
    RouteCase(
        "conversations:withdraw",
        lambda w: f"/conversations/messages/{w.message.pk}/withdraw/",
        frozenset({"talent_officer"}),
        method="post",
        ok_status=(302,),
    ),
]


def test_role_matrix(world: Any) -> None:
    assert check_matrix(world, CASES) == []


def test_matrix_covers_every_route() -> None:
    from jingxiang.conversations.urls import urlpatterns

    covered = {case.name.split(" ")[0] for case in CASES}
    assert {f"conversations:{pattern.name}" for pattern in urlpatterns} <= covered
