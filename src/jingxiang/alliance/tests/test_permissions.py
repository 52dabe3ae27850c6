"""Every route of the alliance app, visited as every persona (with the secretariat) and anonymously."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver
from django.utils import timezone

from jingxiang.alliance import documents, services
from jingxiang.testing.matrix import ANONYMOUS, RouteCase, check_matrix

pytestmark = pytest.mark.django_db

SECRETARIAT = frozenset({"secretariat"})
FIRM = frozenset({"firm_admin", "talent_officer", "member"})
#: Who sees the alliance's workspace: its secretariat, the town's operators, the member units' people.
WORKSPACE = SECRETARIAT | FIRM | {"operator", "lab_staff"}
#: Who works on the 技术研发 task owned by 康波: the secretariat, 康波 (lead and owner unit).
TASK_WORKERS = SECRETARIAT | FIRM
EVERYONE = frozenset({*WORKSPACE, "other_firm_admin", "union_staff", "expert", "outsider", ANONYMOUS})


@pytest.fixture
def full(world, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    output = services.output_declare(
        actor=world.firm_admin,
        task=world.task,
        declared_kind="standard",
        title="团体标准草案",
        attachment=SimpleUploadedFile("draft.pdf", b"%PDF-1.4"),
    )
    meeting = services.meeting_create(
        actor=world.secretariat,
        alliance=world.alliance,
        data={
            "title": "2026 年第一次理事会",
            "starts_at": timezone.now() - dt.timedelta(hours=2),
            "agenda": "审议年度工作计划",
            "domain": None,
        },
    )
    services.meeting_record(
        actor=world.secretariat, meeting=meeting, minutes="通过年度计划。", attendees=[world.firm_member]
    )
    agreement = services.agreement_create(
        actor=world.secretariat,
        alliance=world.alliance,
        data={
            "title": "联合检测协议",
            "scope": "联合检测",
            "signed_on": today,
            "term_start": today,
            "term_end": today + dt.timedelta(days=365),
        },
        organisations=[world.cast.firm, world.cast.lab],
        text_file=SimpleUploadedFile("agreement.pdf", b"%PDF-1.4"),
    )
    obligation = services.obligation_add(
        actor=world.secretariat,
        agreement=agreement,
        data={
            "party": agreement.parties.get(organisation=world.cast.firm),
            "description": "送样",
            "due_on": today,
        },
    )
    obligation.evidence.save("e.pdf", SimpleUploadedFile("e.pdf", b"%PDF"), save=True)
    report = documents.annual_report_issue(actor=world.secretariat, alliance=world.alliance, year=today.year)
    world.output, world.meeting, world.agreement, world.obligation, world.report = (
        output,
        meeting,
        agreement,
        obligation,
        report,
    )
    return world


def cases() -> list[RouteCase]:
    a = lambda path: lambda w: f"/alliance/{w.alliance.pk}/{path}"  # noqa: E731
    post = {"method": "post", "ok_status": (302,)}
    return [
        RouteCase("alliance:home", "/alliance/", EVERYONE - {ANONYMOUS}),
        RouteCase("alliance:create", "/alliance/new/", SECRETARIAT | {"operator"}),
        RouteCase("alliance:public_list", "/alliance/public/", EVERYONE),
        RouteCase("alliance:public", lambda w: f"/alliance/public/{w.alliance.pk}/", EVERYONE),
        RouteCase("alliance:detail", a(""), WORKSPACE),
        RouteCase("alliance:edit", a("edit/"), SECRETARIAT),
        RouteCase("alliance:members", a("members/"), WORKSPACE),
        RouteCase("alliance:member_add", a("members/add/"), SECRETARIAT),
        RouteCase("alliance:apply", a("apply/"), frozenset({"other_firm_admin"})),
        RouteCase("alliance:domain_create", a("domains/new/"), SECRETARIAT),
        RouteCase("alliance:tasks", a("tasks/"), WORKSPACE),
        RouteCase("alliance:outputs", a("outputs/"), WORKSPACE),
        RouteCase("alliance:dashboard", a("dashboard/"), WORKSPACE),
        RouteCase("alliance:report_issue", a("report/"), SECRETARIAT, **post),
        RouteCase("alliance:meetings", a("meetings/"), WORKSPACE),
        RouteCase("alliance:meeting_create", a("meetings/new/"), SECRETARIAT | {"firm_admin"}),
        RouteCase("alliance:agreements", a("agreements/"), WORKSPACE),
        RouteCase("alliance:agreement_create", a("agreements/new/"), SECRETARIAT),
        RouteCase("alliance:obligations", a("obligations/"), WORKSPACE),
        RouteCase("alliance:reminders", a("reminders/"), SECRETARIAT, **post),
        RouteCase("alliance:member", lambda w: f"/alliance/members/{w.firm_member.pk}/", WORKSPACE),
        RouteCase(
            "alliance:member_edit", lambda w: f"/alliance/members/{w.firm_member.pk}/edit/", SECRETARIAT
        ),
        RouteCase(
            "alliance:member_review",
            lambda w: f"/alliance/members/{w.firm_member.pk}/review/",
            SECRETARIAT,
            data={"decision": "approve"},
            **post,
        ),
        RouteCase(
            "alliance:member_leave_request",
            lambda w: f"/alliance/members/{w.firm_member.pk}/leave-request/",
            frozenset({"firm_admin"}),
        ),
        RouteCase(
            "alliance:member_leave", lambda w: f"/alliance/members/{w.firm_member.pk}/leave/", SECRETARIAT
        ),
        RouteCase("alliance:domain", lambda w: f"/alliance/domains/{w.rd.pk}/", WORKSPACE),
        RouteCase("alliance:domain_edit", lambda w: f"/alliance/domains/{w.rd.pk}/edit/", SECRETARIAT),
        RouteCase(
            "alliance:task_create",
            lambda w: f"/alliance/domains/{w.rd.pk}/tasks/new/",
            SECRETARIAT | {"firm_admin"},
        ),
        RouteCase("alliance:task", lambda w: f"/alliance/tasks/{w.task.pk}/", WORKSPACE),
        RouteCase(
            "alliance:task_edit", lambda w: f"/alliance/tasks/{w.task.pk}/edit/", SECRETARIAT | {"firm_admin"}
        ),
        RouteCase("alliance:task_reassign", lambda w: f"/alliance/tasks/{w.task.pk}/reassign/", SECRETARIAT),
        RouteCase(
            "alliance:task_progress",
            lambda w: f"/alliance/tasks/{w.task.pk}/progress/",
            TASK_WORKERS,
            data={"status": "in_progress", "note": "进展"},
            **post,
        ),
        RouteCase(
            "alliance:output_link", lambda w: f"/alliance/tasks/{w.task.pk}/link/lab_report/", TASK_WORKERS
        ),
        RouteCase("alliance:output_declare", lambda w: f"/alliance/tasks/{w.task.pk}/declare/", TASK_WORKERS),
        RouteCase(
            "alliance:output_withdraw",
            lambda w: f"/alliance/outputs/{w.output.pk}/withdraw/",
            TASK_WORKERS,
            **post,
        ),
        RouteCase(
            "alliance:output_attachment",
            lambda w: f"/alliance/outputs/{w.output.pk}/attachment/",
            WORKSPACE,
        ),
        RouteCase("alliance:report_pdf", lambda w: f"/alliance/reports/{w.report.pk}/pdf/", WORKSPACE),
        RouteCase("alliance:meeting", lambda w: f"/alliance/meetings/{w.meeting.pk}/", WORKSPACE),
        RouteCase(
            "alliance:meeting_minutes", lambda w: f"/alliance/meetings/{w.meeting.pk}/minutes/", SECRETARIAT
        ),
        RouteCase(
            "alliance:decision_add",
            lambda w: f"/alliance/meetings/{w.meeting.pk}/decisions/",
            SECRETARIAT,
            data={"text": "开展联合检测"},
            **post,
        ),
        RouteCase("alliance:meeting_pdf", lambda w: f"/alliance/meetings/{w.meeting.pk}/pdf/", WORKSPACE),
        RouteCase("alliance:agreement", lambda w: f"/alliance/agreements/{w.agreement.pk}/", WORKSPACE),
        RouteCase(
            "alliance:agreement_status",
            lambda w: f"/alliance/agreements/{w.agreement.pk}/status/",
            SECRETARIAT,
            data={"status": "active"},
            **post,
        ),
        RouteCase(
            "alliance:agreement_text", lambda w: f"/alliance/agreements/{w.agreement.pk}/text/", WORKSPACE
        ),
        RouteCase(
            "alliance:obligation_add",
            lambda w: f"/alliance/agreements/{w.agreement.pk}/obligations/new/",
            SECRETARIAT,
        ),
        RouteCase(
            "alliance:agreement_edit", lambda w: f"/alliance/agreements/{w.agreement.pk}/edit/", SECRETARIAT
        ),
        RouteCase(
            "alliance:obligation_edit",
            lambda w: f"/alliance/obligations/{w.obligation.pk}/edit/",
            SECRETARIAT,
        ),
        RouteCase(
            "alliance:obligation_report",
            lambda w: f"/alliance/obligations/{w.obligation.pk}/report/",
            SECRETARIAT | {"firm_admin"},
        ),
        RouteCase(
            "alliance:obligation_evidence",
            lambda w: f"/alliance/obligations/{w.obligation.pk}/evidence/",
            WORKSPACE,
        ),
    ]


def test_alliance_role_matrix(full):
    problems = check_matrix(full, cases())
    assert not problems, "\n".join(problems)


def test_every_alliance_route_is_in_the_matrix():
    covered = {case.name for case in cases()}
    _prefix, sub = get_resolver().namespace_dict["alliance"]
    names = {f"alliance:{name}" for name in sub.reverse_dict if isinstance(name, str)}
    assert names - covered == set()


def test_other_firms_and_anonymous_see_only_the_public_page(full, client):
    client.force_login(full.other_firm_admin)
    assert client.get(f"/alliance/{full.alliance.pk}/dashboard/").status_code == 404
    page = client.get(f"/alliance/public/{full.alliance.pk}/").content.decode()
    assert full.alliance.name in page and "13805761234" not in page
    client.logout()
    page = client.get(f"/alliance/public/{full.alliance.pk}/").content.decode()
    assert "团体标准草案" in page  # a declared, non-confidential result
    assert "138" not in page


def test_confidential_agreements_stay_with_their_parties(full, client):
    today = timezone.localdate()
    secret = services.agreement_create(
        actor=full.secretariat,
        alliance=full.alliance,
        data={
            "title": "保密合作协议",
            "scope": "x",
            "signed_on": today,
            "term_start": today,
            "term_end": today + dt.timedelta(days=30),
            "confidential": True,
        },
        organisations=[full.cast.lab, full.secretariat_org],
    )
    client.force_login(full.firm_admin)
    assert client.get(f"/alliance/agreements/{secret.pk}/").status_code == 404
    assert "保密合作协议" not in client.get(f"/alliance/{full.alliance.pk}/agreements/").content.decode()
    client.force_login(full.lab_staff)
    assert client.get(f"/alliance/agreements/{secret.pk}/").status_code == 200
    client.logout()
    assert "保密合作协议" not in client.get(f"/alliance/public/{full.alliance.pk}/").content.decode()


def test_exports_of_every_table(full, client):
    client.force_login(full.secretariat)
    for path in ("", "members/", "tasks/", "outputs/", "meetings/", "agreements/", "obligations/"):
        response = client.get(
            f"/alliance/{full.alliance.pk}/{path}?export=xlsx" if path else "/alliance/?export=xlsx"
        )
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    for key in ("domains", "kinds", "members", "agreements"):
        response = client.get(f"/alliance/{full.alliance.pk}/dashboard/?export={key}")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), key


def test_mobile_is_masked_and_revealed_only_to_the_secretariat(full, client):
    client.force_login(full.firm_admin)
    page = client.get(f"/alliance/members/{full.firm_member.pk}/").content.decode()
    assert "13805761234" not in page and "138****1234" in page
    reveal = {"model": "alliance.member", "pk": full.firm_member.pk, "field": "contact_mobile"}
    assert "13805761234" not in client.post("/reveal/", reveal).content.decode()
    client.force_login(full.secretariat)
    assert "13805761234" in client.post("/reveal/", reveal).content.decode()


def test_api_lists_only_what_the_caller_may_see(full, client):
    client.force_login(full.firm_admin)
    tasks = client.get("/api/v1/alliance/tasks/").json()
    assert [t["title"] for t in tasks.get("results", tasks)] == [full.task.title]
    assert client.get("/api/v1/alliance/obligations/?status=junk").status_code == 400
    client.force_login(full.other_firm_admin)
    tasks = client.get("/api/v1/alliance/tasks/").json()
    assert tasks.get("results", tasks) == []
    assert client.get("/api/v1/alliance/alliances/").json().get("results", []) == []
