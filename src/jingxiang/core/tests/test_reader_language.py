"""What was written while the writer used Chinese reads in English for an English reader: notifications
(page and e-mail) and job titles, progress, outcomes and row errors."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import Workbook

from jingxiang.jobs.models import Job, JobStatus
from jingxiang.organisations.models import OrganisationStatus, Role
from jingxiang.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@pytest.fixture(autouse=True)
def _chinese_again_afterwards():  # type: ignore[no-untyped-def]
    # The test client leaves the last request's language active in this thread; later tests expect
    # the default.
    yield
    translation.deactivate()


def part(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found, f"{pattern} not on the page"
    return found.group(0)


def in_english(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_language_switch_is_remembered_on_the_account(cast, client):
    client.force_login(cast.member)
    assert cast.member.language == "zh-hans"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    cast.member.refresh_from_db()
    assert cast.member.language == "en"
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    cast.member.refresh_from_db()
    assert cast.member.language == "en", "an unknown language changes nothing"
    Client().post("/i18n/setlang/", {"language": "en", "next": "/"})  # anonymous: only the cookie


def test_an_english_reader_sees_no_chinese_in_a_notification_sent_from_a_chinese_request(
    cast, client, django_capture_on_commit_callbacks
):
    applicant = OrganisationFactory(name="Duqiao Sunglass Works", status=OrganisationStatus.PENDING)
    admin = UserFactory(username="applicant", email="admin@sunglass.example", language="en")
    MembershipFactory(user=admin, organisation=applicant, role=Role.ORG_ADMIN)
    client.force_login(cast.operator)  # the operator works in Chinese
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/organisations/{applicant.pk}/review/",
            {"decision": "reject", "note": "Business licence scan is missing"},
        )
    assert response.status_code == 302
    page = in_english(admin).get("/notifications/").content.decode()
    table = part(page, r'<table class="list">.*?</table>')
    assert "Duqiao Sunglass Works" in table and "Business licence scan is missing" in table
    assert not CJK.search(table), table
    assert len(mail.outbox) == 1 and not CJK.search(mail.outbox[0].subject + mail.outbox[0].body)
    chinese = Client()
    chinese.force_login(admin)
    assert CJK.search(
        part(chinese.get("/notifications/").content.decode(), r'<table class="list">.*?</table>')
    )


def workbook(rows: list[list[str]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["机构名称", "机构类型"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("firms.xlsx", buffer.getvalue())


def test_an_english_reader_sees_no_chinese_in_jobs_started_in_chinese(
    cast, client, django_capture_on_commit_callbacks
):
    client.force_login(cast.operator)  # starts both imports in Chinese
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/jobs/import/organisations/", {"file": workbook([["Bad Kind Optical", "Spaceship"]])})
        client.post(
            "/jobs/import/organisations/", {"file": workbook([["Good Lens Institute", "university"]])}
        )
    refused, imported = Job.objects.order_by("pk")
    assert refused.status == JobStatus.FAILED and imported.status == JobStatus.SUCCEEDED
    assert CJK.search(refused.result["errors"][0]["message"]), "row reasons were checked in Chinese"

    english = in_english(cast.operator)
    english.post("/i18n/setlang/", {"language": "en", "next": "/jobs/"})
    for job in (refused, imported):
        page = english.get(f"/jobs/{job.pk}/").content.decode()
        for piece in (part(page, r"<h1>.*?</h1>"), part(page, r'<section id="job-progress".*?</section>')):
            assert not CJK.search(piece), piece
    refused_page = english.get(f"/jobs/{refused.pk}/").content.decode()
    assert "Spaceship" in refused_page and "Import Organisation: firms.xlsx" in refused_page
    assert not CJK.search(part(english.get("/jobs/").content.decode(), r'<table class="list">.*?</table>'))
    notices = part(english.get("/notifications/").content.decode(), r'<table class="list">.*?</table>')
    assert "Job failed" in notices and "Job finished" in notices
    assert not CJK.search(notices), notices
