"""Public registration: by phone without a login, file checks, duplicates refused, nothing half-saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jingxiang.competition import demo, services
from jingxiang.competition.models import Attachment, Edition, Entry

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20


def _register_page(client, edition, **extra):
    data = {
        "step": "register",
        "track": edition.tracks.first().pk,
        "title": "偏光太阳镜片",
        "summary": "一种新的偏光镜片工艺,良率更高。",
        "team_name": "偏光小队",
        "leader_name": "张三",
        "members": "张三, 负责人, 70%\n李四, 技术, 30%",
        "tags": "镜片, 偏光",
        "plan": SimpleUploadedFile("plan.pdf", demo.PDF, content_type="application/pdf"),
    }
    data.update(extra)
    return client.post(f"/competition/e/{edition.slug}/register/", data)


def test_anonymous_registers_by_phone_and_is_signed_in(cast, client, otp_outbox):
    edition = demo.make_edition(cast.operator)
    response = client.post(
        f"/competition/e/{edition.slug}/register/", {"step": "code", "mobile": "13911112222"}
    )
    assert response.status_code == 302
    code = otp_outbox[-1].code
    response = _register_page(client, edition, mobile="13911112222", code=code)
    assert response.status_code == 302, response.content.decode()
    entry = Entry.objects.get()
    assert entry.leader.mobile == "13911112222"
    assert entry.members[0] == {"name": "张三", "role": "负责人", "share": 70.0}
    assert client.get(f"/competition/entries/{entry.pk}/").status_code == 200
    # The same team again, from another phone, spelt with a space and full-width letters: refused clearly.
    other = client.__class__()
    other.post(f"/competition/e/{edition.slug}/register/", {"step": "code", "mobile": "13933334444"})
    response = _register_page(
        other, edition, mobile="13933334444", code=otp_outbox[-1].code, team_name="偏光 小队"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "已报名本届大赛" in page and entry.number in page
    assert Entry.objects.count() == 1
    assert not get_user_model().objects.filter(mobile="13933334444").exists()


def test_bad_files_members_and_code_all_reported_nothing_saved(cast, client, otp_outbox):
    edition = demo.make_edition(cast.operator)
    client.post(f"/competition/e/{edition.slug}/register/", {"step": "code", "mobile": "13955556666"})
    fake_pdf = SimpleUploadedFile("plan.pdf", PNG, content_type="application/pdf")
    huge = SimpleUploadedFile(
        "deck.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024 + 1), content_type="application/pdf"
    )
    response = _register_page(
        client,
        edition,
        mobile="13955556666",
        code="000000",
        plan=fake_pdf,
        other=huge,
        members="张三, 负责人, 80%\n李四, 技术, 40%",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "内容与扩展名不符" in page
    assert "超过 10 MB" in page
    assert "超过 100%" in page
    assert Entry.objects.count() == 0 and Attachment.objects.count() == 0
    assert not get_user_model().objects.filter(mobile="13955556666").exists()


def test_same_leader_twice_and_closed_registration_refused(cast, contest):
    leader = contest.teams[0]
    with pytest.raises(ValidationError, match="每位负责人只能报名一个项目"):
        services.entry_register(
            actor=leader,
            edition=contest.edition,
            track=contest.edition.tracks.first(),
            title="另一个项目",
            summary="另一个项目的简介",
            team_name="全新团队",
            leader_name="队长0",
            members="队长0, 负责人",
            plan=demo.pdf_upload(),
        )
    Edition.objects.filter(pk=contest.edition.pk).update(
        registration_closes=timezone.now() - dt.timedelta(minutes=1)
    )
    contest.edition.refresh_from_db()
    with pytest.raises(ValidationError, match="不在报名时间内"):
        demo.register_team(contest.edition, demo.user("late", "迟到者"), 7)


def test_registered_user_with_that_mobile_must_sign_in(cast, client):
    edition = demo.make_edition(cast.operator)
    demo.user("existing", "老用户", "13977778888")
    response = client.post(
        f"/competition/e/{edition.slug}/register/", {"step": "code", "mobile": "13977778888"}
    )
    assert "请先登录再报名" in response.content.decode()


def test_members_parser_names_each_bad_line():
    from jingxiang.competition.services import parse_members

    with pytest.raises(ValidationError) as caught:
        parse_members("张三, 负责人, 150%\n, , ")
    messages = caught.value.message_dict["members"]
    assert any("第 1 行" in m for m in messages) and any("第 2 行" in m for m in messages)
