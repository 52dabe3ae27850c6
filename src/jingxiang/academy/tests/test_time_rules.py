"""The academy's time rules (academy/rules.py): each refused where it is entered and in the service, and
the operators' audited back-dating."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jingxiang.academy import services
from jingxiang.academy.forms import CohortForm, SessionForm
from jingxiang.academy.models import Attendance, Certificate, Cohort, Session
from jingxiang.academy.tests.conftest import cohort_values, make_sessions
from jingxiang.academy.tests.test_services import passed_enrolment
from jingxiang.core.models import TimeRuleOverride
from jingxiang.core.timerules import REASON_FIELD
from jingxiang.talents.models import Skill

pytestmark = pytest.mark.django_db


def cohort_data(**extra):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return {"name": "补录班", "venue": "驿站", "capacity": 5, "starts_on": today, "ends_on": today, **extra}


def session_data(start, **extra):  # type: ignore[no-untyped-def]
    return {
        "topic": "实操",
        "kind": "practice",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=2),
        **extra,
    }


def enrolled(cast, academy, workers):  # type: ignore[no-untyped-def]
    return services.enrolment_create(
        actor=cast.firm_admin,
        cohort=academy.cohort,
        talents=[workers[0]],
        sponsor=cast.firm,
        years_experience=Decimal("2"),
    )[0]


# Cohorts ----------------------------------------------------------------------------------------


def test_a_new_cohort_does_not_start_in_the_past(academy):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.cohort_create(
            actor=academy.school_staff, course=academy.course, **cohort_data(starts_on=yesterday)
        )
    assert error.value.message_dict["starts_on"] == ["开班日期不能早于现在。"]
    assert not Cohort.objects.filter(name="补录班").exists()


def test_a_cohort_ends_on_or_after_its_start_even_when_edited(academy):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.cohort_create(
            actor=academy.school_staff,
            course=academy.course,
            **cohort_data(starts_on=today + dt.timedelta(days=2), ends_on=today + dt.timedelta(days=1)),
        )
    assert error.value.message_dict["ends_on"] == ["结业日期不能早于开班日期。"]
    # A cohort that started in the past may still be edited, but its dates stay in order.
    services.cohort_update(
        actor=academy.school_staff, cohort=academy.cohort, **cohort_values(academy.cohort, venue="新教室")
    )
    academy.cohort.refresh_from_db()
    assert academy.cohort.venue == "新教室"
    with pytest.raises(ValidationError) as error:
        services.cohort_update(
            actor=academy.school_staff,
            cohort=academy.cohort,
            **cohort_values(academy.cohort, ends_on=academy.cohort.starts_on - dt.timedelta(days=1)),
        )
    assert "ends_on" in error.value.message_dict


def test_the_cohort_form_shows_the_date_errors_with_the_other_errors(academy):
    past = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    earlier = (timezone.localdate() - dt.timedelta(days=4)).isoformat()
    form = CohortForm(
        {"name": "", "venue": "驿站", "capacity": "5", "starts_on": past, "ends_on": earlier},
        course=academy.course,
        actor=academy.school_staff,
    )
    assert not form.is_valid()
    assert set(form.errors) == {"name", "starts_on", "ends_on"}
    assert REASON_FIELD not in form.fields  # only operators may back-date


def test_an_operator_back_dates_a_cohort_with_a_reason_and_it_is_audited(cast, academy):
    start = timezone.localdate() - dt.timedelta(days=30)
    data = cohort_data(name="纸质记录补录班", starts_on=start, ends_on=start + dt.timedelta(days=3))
    with pytest.raises(ValidationError) as error:
        services.cohort_create(actor=cast.operator, course=academy.course, **data)
    assert "补录原因" in error.value.message_dict["starts_on"][0]
    with pytest.raises(ValidationError):  # a reason does not help anyone else
        services.cohort_create(
            actor=academy.school_staff,
            course=academy.course,
            **data,
            backdate_reason="补录",
        )
    cohort = services.cohort_create(
        actor=cast.operator,
        course=academy.course,
        **data,
        backdate_reason="平台上线前已结业的班级,按纸质签到表补录",
    )
    override = TimeRuleOverride.objects.get()
    assert override.actor == cast.operator
    assert override.subject == cohort
    assert override.field_name == "starts_on" and override.value == start.isoformat()
    assert override.reason == "平台上线前已结业的班级,按纸质签到表补录"


def test_the_operator_back_dates_through_the_page(cast, academy, client):
    start = timezone.localdate() - dt.timedelta(days=20)
    client.force_login(cast.operator)
    url = f"/academy/courses/{academy.course.pk}/cohorts/new/"
    fields = {"name": "补录班", "venue": "驿站", "capacity": "5", "starts_on": start, "ends_on": start}
    page = client.get(url).content.decode()
    assert f'name="{REASON_FIELD}"' in page
    refused = client.post(url, fields)
    assert refused.status_code == 200 and "如确需补录,请填写补录原因" in refused.content.decode()
    response = client.post(url, {**fields, REASON_FIELD: "按纸质记录补录"})
    assert response.status_code == 302
    assert TimeRuleOverride.objects.get().subject == Cohort.objects.get(name="补录班")


# Sessions ---------------------------------------------------------------------------------------


def test_a_session_does_not_start_in_the_past_and_ends_after_it_starts(academy):
    cohort = services.cohort_create(
        actor=academy.school_staff,
        course=academy.course,
        **cohort_data(ends_on=timezone.localdate() + dt.timedelta(days=5)),
    )
    with pytest.raises(ValidationError) as error:
        services.session_add(
            actor=academy.school_staff,
            cohort=cohort,
            **session_data(timezone.now() - dt.timedelta(hours=1)),
        )
    assert error.value.message_dict["starts_at"] == ["开始时间不能早于现在。"]
    start = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.session_add(actor=academy.school_staff, cohort=cohort, **session_data(start, ends_at=start))
    assert error.value.message_dict["ends_at"] == ["结束时间必须晚于开始时间。"]
    assert services.session_add(actor=academy.school_staff, cohort=cohort, **session_data(start))
    form = SessionForm(
        {"topic": "t", "kind": "theory", "starts_at": "2020-01-01T09:00", "ends_at": "2020-01-01T08:00"},
        actor=academy.school_staff,
    )
    assert not form.is_valid() and set(form.errors) == {"starts_at", "ends_at"}


def test_an_operator_enters_a_past_session_with_a_reason(cast, academy):
    start = timezone.make_aware(dt.datetime.combine(academy.cohort.starts_on, dt.time(14)))
    with pytest.raises(ValidationError):
        services.session_add(actor=cast.operator, cohort=academy.cohort, **session_data(start))
    session = services.session_add(
        actor=cast.operator, cohort=academy.cohort, **session_data(start, backdate_reason="补录课表")
    )
    assert TimeRuleOverride.objects.get().subject == session


# Attendance -------------------------------------------------------------------------------------


def test_no_check_in_before_the_session_starts(cast, academy, workers):
    enrolled(cast, academy, workers)
    session = academy.sessions[0]
    with pytest.raises(ValidationError) as error:
        services.attendance_checkin(
            user=workers[0].user, code=session.checkin_code, now=session.starts_at - dt.timedelta(minutes=10)
        )
    assert error.value.message_dict["checked_at"] == ["签到不能早于上课时间。"]
    assert not Attendance.objects.exists()
    assert services.attendance_checkin(user=workers[0].user, code=session.checkin_code, now=session.starts_at)


def test_no_attendance_marked_before_the_session_starts_not_even_by_operators(cast, academy, workers):
    enrolment = enrolled(cast, academy, workers)
    later = timezone.localdate() + dt.timedelta(days=1)
    Cohort.objects.filter(pk=academy.cohort.pk).update(ends_on=later)
    future = make_sessions(
        academy.cohort, 1, start=timezone.make_aware(dt.datetime.combine(later, dt.time(9)))
    )[0]
    for actor in (academy.school_staff, cast.operator):
        with pytest.raises(ValidationError) as error:
            services.attendance_mark(actor=actor, session=future, present=[enrolment], absent=[])
        assert error.value.message_dict["marked_at"] == ["登记出勤不能早于上课时间。"]
    assert not Attendance.objects.exists()


def test_the_register_page_refuses_early_marking_with_a_message(cast, academy, workers, client):
    enrolment = enrolled(cast, academy, workers)
    start = timezone.now() + dt.timedelta(hours=2)
    future = Session.objects.create(
        cohort=academy.cohort, topic="晚课", starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    client.force_login(academy.school_staff)
    response = client.post(
        f"/academy/sessions/{future.pk}/attendance/", {"present": [str(enrolment.pk)]}, follow=True
    )
    assert "登记出勤不能早于上课时间。" in response.content.decode()
    assert not Attendance.objects.exists()


# Certificates -----------------------------------------------------------------------------------


def test_no_certificate_before_the_cohort_ends(cast, academy, workers):
    enrolment = passed_enrolment(cast, academy, workers)
    Cohort.objects.filter(pk=academy.cohort.pk).update(ends_on=timezone.localdate() + dt.timedelta(days=1))
    academy.cohort.refresh_from_db()
    for actor in (academy.school_staff, cast.operator):  # not waivable
        with pytest.raises(ValidationError) as error:
            services.certificate_issue(actor=actor, enrolment=enrolment)
        assert error.value.message_dict["issued_on"] == ["发证日期不能早于结业日期。"]
    with pytest.raises(ValidationError):
        services.cohort_certify_start(actor=academy.school_staff, cohort=academy.cohort)
    assert not Certificate.objects.exists()
    page = client_for(academy.school_staff).get(f"/academy/enrolments/{enrolment.pk}/").content.decode()
    assert f"/academy/enrolments/{enrolment.pk}/certify/" not in page  # no button that would be refused
    assert "结业后由" in page  # the next step says when the certificate can come
    Cohort.objects.filter(pk=academy.cohort.pk).update(ends_on=timezone.localdate())
    assert services.certificate_issue(actor=academy.school_staff, enrolment=enrolment)


def client_for(user):  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


# 订单培养 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, -1])
def test_an_order_is_due_after_the_day_it_is_placed(cast, academy, days):
    data = {
        "title": "订单",
        "headcount": 2,
        "skills": [Skill.objects.get(code="edging_fitting")],
        "due_on": timezone.localdate() + dt.timedelta(days=days),
        "hires_committed": 1,
    }
    with pytest.raises(ValidationError) as error:
        services.order_place(actor=cast.firm_admin, firm=cast.firm, data=data)
    assert error.value.message_dict["due_on"] == ["期望完成日期必须晚于今天。"]


def test_the_order_form_shows_the_due_date_error_with_the_others(cast, academy, client):
    client.force_login(cast.firm_admin)
    response = client.post(
        "/academy/orders/new/",
        {
            "firm": cast.firm.pk,
            "title": "订单",
            "headcount": "2",
            "due_on": timezone.localdate().isoformat(),
            "hires_committed": "3",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "期望完成日期必须晚于今天。" in body and "承诺录用人数不能超过培养人数。" in body
    assert "有 3 处需要修改" in body  # skills missing too: all at once
