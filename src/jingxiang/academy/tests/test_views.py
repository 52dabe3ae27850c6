"""Every academy route, as every persona (plus the academy's own staff), and the pages' behaviour."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.urls import get_resolver
from django.utils import timezone

from jingxiang.academy import services
from jingxiang.academy.models import Attendance, Cohort, Course, Education, Enrolment, EnrolmentStatus
from jingxiang.academy.tests.conftest import make_sessions
from jingxiang.talents.models import Skill, TalentKind
from jingxiang.testing.factories import TalentFactory
from jingxiang.testing.matrix import ALL_LOGGED_IN, ANONYMOUS, RouteCase, check_matrix

pytestmark = pytest.mark.django_db

ACADEMY = frozenset({"operator", "school_staff"})
FIRMS = frozenset({"firm_admin", "talent_officer", "other_firm_admin"})
OWN_FIRM = frozenset({"firm_admin", "talent_officer"})
BROWSE = (ALL_LOGGED_IN - {"outsider"}) | {"school_staff"}
EVERYONE = ALL_LOGGED_IN | {"school_staff", ANONYMOUS}


@dataclass
class World:
    cast: Any
    academy: Any
    enrolment: Any
    certificate: Any
    order: Any
    order_enrolment: Any
    archive_course: Any

    def by_role(self) -> dict[str, Any]:
        return {**self.cast.by_role(), "school_staff": self.academy.school_staff}


@pytest.fixture
def world(cast, academy, workers):  # type: ignore[no-untyped-def]
    academy.course.trainers.add(cast.expert)
    enrolment = services.enrolment_create(
        actor=cast.firm_admin,
        cohort=academy.cohort,
        talents=[workers[0]],
        sponsor=cast.firm,
        years_experience=Decimal("2"),
    )[0]
    for session in academy.sessions:
        Attendance.objects.create(
            session=session, enrolment=enrolment, method="qr", marked_by=academy.school_staff
        )
    services.assessment_record(
        actor=academy.school_staff,
        enrolment=enrolment,
        theory_score=Decimal("80"),
        practical_score=Decimal("80"),
    )
    certificate = services.certificate_issue(actor=academy.school_staff, enrolment=enrolment)
    order = services.order_place(
        actor=cast.firm_admin,
        firm=cast.firm,
        data={
            "title": "订单班",
            "headcount": 3,
            "skills": [Skill.objects.get(code="edging_fitting")],
            "due_on": timezone.localdate() + dt.timedelta(days=90),
            "hires_committed": 2,
        },
    )
    services.order_accept(actor=academy.school_staff, order=order, school=academy.school)
    order.refresh_from_db()
    order_cohort = services.cohort_create(
        actor=academy.school_staff,
        course=academy.course,
        order=order,
        name="订单班 1 期",
        venue="实训楼",
        capacity=5,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )
    student = TalentFactory(name="赵同学", kind=TalentKind.STUDENT, home_organisation=None)
    order_enrolment = services.enrolment_create(
        actor=academy.school_staff, cohort=order_cohort, talents=[student], education=Education.MASTER
    )[0]
    archive_course = Course.objects.create(
        code="ARC-1", title="待归档课程", provider=academy.school, skill=academy.course.skill, theory_hours=4
    )
    return World(cast, academy, enrolment, certificate, order, order_enrolment, archive_course)


def cases(w: World) -> list[RouteCase]:
    a = w.academy
    course, cohort, session = a.course.pk, a.cohort.pk, a.sessions[0].pk
    e, c, o, oe = w.enrolment.pk, w.certificate.pk, w.order.pk, w.order_enrolment.pk
    post302 = {"method": "post", "ok_status": (302,)}
    return [
        RouteCase("academy:home", "/academy/", ALL_LOGGED_IN | {"school_staff"}, ok_status=(302,)),
        RouteCase("academy:course_list", "/academy/courses/", BROWSE),
        RouteCase("academy:course_create", "/academy/courses/new/", ACADEMY),
        RouteCase("academy:course_detail", f"/academy/courses/{course}/", BROWSE),
        RouteCase("academy:course_edit", f"/academy/courses/{course}/edit/", ACADEMY),
        RouteCase(
            "academy:course_archive", f"/academy/courses/{w.archive_course.pk}/archive/", ACADEMY, **post302
        ),
        RouteCase("academy:cohort_create", f"/academy/courses/{course}/cohorts/new/", ACADEMY),
        RouteCase("academy:cohort_list", "/academy/cohorts/", BROWSE),
        RouteCase("academy:cohort_detail", f"/academy/cohorts/{cohort}/", BROWSE),
        RouteCase("academy:cohort_edit", f"/academy/cohorts/{cohort}/edit/", ACADEMY),
        RouteCase(
            "academy:cohort_status",
            f"/academy/cohorts/{cohort}/status/",
            ACADEMY,
            data={"status": "x"},
            **post302,
        ),
        RouteCase("academy:cohort_certify", f"/academy/cohorts/{cohort}/certify/", ACADEMY, **post302),
        RouteCase("academy:session_add", f"/academy/cohorts/{cohort}/sessions/new/", ACADEMY),
        RouteCase("academy:cohort_enrol", f"/academy/cohorts/{cohort}/enrol/", ACADEMY | FIRMS | {"expert"}),
        RouteCase("academy:cohort_feedback", f"/academy/cohorts/{cohort}/feedback/", frozenset({"expert"})),
        RouteCase("academy:session_detail", f"/academy/sessions/{session}/", ACADEMY | {"expert"}),
        RouteCase(
            "academy:session_attendance",
            f"/academy/sessions/{a.sessions[4].pk}/attendance/",
            ACADEMY,
            data={"present": [str(e)]},
            **post302,
        ),
        RouteCase(
            "academy:checkin",
            f"/academy/checkin/{a.sessions[0].checkin_code}/",
            ALL_LOGGED_IN | {"school_staff"},
        ),
        RouteCase("academy:enrolment_list", "/academy/enrolments/", ACADEMY | FIRMS | {"expert"}),
        RouteCase("academy:enrolment_detail", f"/academy/enrolments/{e}/", ACADEMY | OWN_FIRM),
        RouteCase("academy:enrolment_decide", f"/academy/enrolments/{e}/decide/", ACADEMY, **post302),
        RouteCase(
            "academy:enrolment_withdraw", f"/academy/enrolments/{e}/withdraw/", ACADEMY | OWN_FIRM, **post302
        ),
        RouteCase("academy:enrolment_assess", f"/academy/enrolments/{e}/assess/", ACADEMY, **post302),
        RouteCase("academy:enrolment_certify", f"/academy/enrolments/{e}/certify/", ACADEMY, **post302),
        RouteCase("academy:enrolment_graduate", f"/academy/enrolments/{e}/graduate/", ACADEMY, **post302),
        RouteCase(
            "academy:enrolment_offer", f"/academy/enrolments/{oe}/offer/", ACADEMY | OWN_FIRM, **post302
        ),
        RouteCase("academy:enrolment_hire", f"/academy/enrolments/{oe}/hire/", ACADEMY | OWN_FIRM, **post302),
        RouteCase(
            "academy:enrolment_retention",
            f"/academy/enrolments/{oe}/retention/",
            ACADEMY | OWN_FIRM,
            **post302,
        ),
        RouteCase("academy:certificate_list", "/academy/certificates/", ACADEMY | FIRMS | {"expert"}),
        RouteCase("academy:certificate_detail", f"/academy/certificates/{c}/", ACADEMY | OWN_FIRM),
        RouteCase("academy:certificate_pdf", f"/academy/certificates/{c}/pdf/", ACADEMY | OWN_FIRM),
        RouteCase("academy:certificate_revoke", f"/academy/certificates/{c}/revoke/", ACADEMY, **post302),
        RouteCase("academy:certificate_check", "/academy/verify/?number=JX-GJ-2026-000001&name=x", EVERYONE),
        RouteCase("academy:order_list", "/academy/orders/", ACADEMY | FIRMS),
        RouteCase("academy:order_create", "/academy/orders/new/", FIRMS),
        RouteCase("academy:order_detail", f"/academy/orders/{o}/", ACADEMY | OWN_FIRM),
        RouteCase("academy:order_join", f"/academy/orders/{o}/join/", OWN_FIRM, **post302),
        RouteCase("academy:order_accept", f"/academy/orders/{o}/accept/", ACADEMY, **post302),
        RouteCase("academy:trainer_record", f"/academy/trainers/{w.cast.expert.pk}/", BROWSE),
        RouteCase("academy:rules", "/academy/rules/", BROWSE),
        RouteCase("academy:level_edit", f"/academy/rules/levels/{a.level5.pk}/", frozenset({"operator"})),
        RouteCase("academy:reports", "/academy/reports/", ACADEMY | FIRMS | {"union_staff"}),
        RouteCase(
            "academy:report_people",
            "/academy/reports/people/?measure=trained",
            ACADEMY | FIRMS | {"union_staff"},
        ),
        RouteCase("academy:order_close", f"/academy/orders/{o}/close/", ACADEMY, **post302),
    ]


def test_academy_role_matrix(world):
    problems = check_matrix(world, cases(world))
    assert not problems, "\n".join(problems)


def test_every_academy_route_is_in_the_matrix(world):
    from jingxiang.academy.tests.test_learning import LEARNING_ROUTES

    covered = {case.name for case in cases(world)} | LEARNING_ROUTES
    _prefix, sub = get_resolver().namespace_dict["academy"]
    names = {f"academy:{name}" for name in sub.reverse_dict if isinstance(name, str)}
    assert names - covered == set()


def test_public_verification_page_masks_the_name_and_confirms_with_it(client, world):
    response = client.get(f"/verify/certificate/{world.certificate.verify_code}/")
    body = response.content.decode()
    assert response.status_code == 200 and "陈**" in body and "陈立新" not in body
    response = client.get("/academy/verify/", {"number": world.certificate.number, "name": "陈立新"})
    assert "证书有效" in response.content.decode() or "有效" in response.content.decode()
    response = client.get("/academy/verify/", {"number": world.certificate.number, "name": "陈立"})
    assert "未找到" in response.content.decode()
    response = client.get("/academy/verify/", {"number": "bogus", "name": "陈立新"})
    assert "JX-GJ-2026-000123" in response.content.decode()  # the format hint, keeping what was typed
    assert 'value="bogus"' in response.content.decode()


def test_certificate_pdf_is_a_pdf(client, world):
    client.force_login(world.cast.firm_admin)
    response = client.get(f"/academy/certificates/{world.certificate.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_course_form_keeps_input_on_error(client, world):
    client.force_login(world.academy.school_staff)
    response = client.post(
        "/academy/courses/new/",
        {
            "code": "DP-5",
            "title": "重复编号的课程",
            "provider": world.academy.school.pk,
            "theory_hours": 0,
            "practice_hours": 0,
            "fee": "100",
            "min_attendance": "80",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "课程编号已被使用" in body and "课程总学时必须大于 0" in body and "重复编号的课程" in body


def test_firm_enrolment_picks_only_own_workers(client, world, workers):
    stranger = TalentFactory(name="外厂师傅", home_organisation=world.cast.other_firm)
    client.force_login(world.cast.talent_officer)
    body = client.get(f"/academy/cohorts/{world.academy.cohort.pk}/enrol/").content.decode()
    # The page carries a type-ahead picker, not a checkbox per worker of the firm.
    assert "data-picker" in body and "/pick/academy.firm_workers/" in body
    assert "王美玲" not in body and stranger.name not in body
    options = client.get("/pick/academy.firm_workers/", {"q": ""}).content.decode()
    assert "王美玲" in options and stranger.name not in options
    assert stranger.name not in client.get("/pick/academy.firm_workers/", {"q": "wcss"}).content.decode()
    response = client.post(
        f"/academy/cohorts/{world.academy.cohort.pk}/enrol/",
        {
            "mode": "firm",
            "pick-firm": world.cast.firm.pk,
            "pick-talents": [stranger.pk],
            "pick-years_experience": "1",
        },
    )
    assert response.status_code == 200 and Enrolment.objects.filter(talent=stranger).count() == 0


def test_enrolment_over_capacity_via_http_goes_to_waitlist(client, world, workers):
    client.force_login(world.cast.firm_admin)
    response = client.post(
        f"/academy/cohorts/{world.academy.cohort.pk}/enrol/",
        {
            "mode": "firm",
            "pick-firm": world.cast.firm.pk,
            "pick-talents": [workers[1].pk, workers[2].pk],
            "pick-years_experience": "1",
        },
        follow=True,
    )
    assert "候补名单" in response.content.decode()
    statuses = sorted(Enrolment.objects.filter(talent__in=workers[1:]).values_list("status", flat=True))
    assert statuses == [EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED]


def test_exports_are_excel_of_what_is_filtered(client, world):
    client.force_login(world.cast.operator)
    for url in (
        "/academy/courses/?export=xlsx",
        "/academy/cohorts/?export=xlsx",
        "/academy/enrolments/?status=graduated&export=xlsx",
        "/academy/certificates/?export=xlsx",
        "/academy/orders/?export=xlsx",
        "/academy/reports/people/?measure=certificates&export=xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), url
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(
        BytesIO(client.get("/academy/enrolments/?status=graduated&export=xlsx").content)
    ).active
    assert sheet.max_row == 2 and sheet.cell(2, 1).value == "陈立新"


def test_union_sees_figures_but_masked_names(client, world):
    client.force_login(world.cast.union_staff)
    body = client.get("/academy/reports/people/?measure=trained").content.decode()
    assert "陈**" in body and "陈立新" not in body


def grow(world: World, n: int) -> None:
    """More cohorts, people, attendance and certificates: the list pages must not grow their queries."""
    a = world.academy
    for i in range(n):
        cohort = Cohort.objects.create(
            course=a.course,
            name=f"扩展班 {i}",
            venue="驿站",
            capacity=3,
            starts_on=a.cohort.starts_on,
            ends_on=a.cohort.ends_on,
        )
        sessions = make_sessions(cohort, 2)
        talent = TalentFactory(name=f"工人{i}", kind=TalentKind.CRAFTSMAN, home_organisation=world.cast.firm)
        enrolment = services.enrolment_create(
            actor=world.cast.firm_admin,
            cohort=cohort,
            talents=[talent],
            sponsor=world.cast.firm,
            years_experience=Decimal("3"),
        )[0]
        for session in sessions:
            Attendance.objects.create(
                session=session, enrolment=enrolment, method="qr", marked_by=a.school_staff
            )
        services.assessment_record(
            actor=a.school_staff,
            enrolment=enrolment,
            theory_score=Decimal("70"),
            practical_score=Decimal("70"),
        )
        services.certificate_issue(actor=a.school_staff, enrolment=enrolment)


@pytest.mark.parametrize(
    "url",
    [
        "/academy/courses/",
        "/academy/cohorts/",
        "/academy/enrolments/",
        "/academy/certificates/",
        "/academy/orders/",
        "/academy/reports/",
        "/academy/reports/people/?measure=trained",
        "cohort",
        "/",
    ],
)
def test_query_counts_do_not_grow_with_data(client, world, django_assert_max_num_queries, url):
    client.force_login(world.cast.operator)
    target = f"/academy/cohorts/{world.academy.cohort.pk}/" if url == "cohort" else url
    grow(world, 2)
    with django_assert_max_num_queries(60) as small:
        assert client.get(target).status_code == 200
    baseline = len(small.captured_queries)
    grow(world, 8)
    with django_assert_max_num_queries(baseline) as _large:
        assert client.get(target).status_code == 200
