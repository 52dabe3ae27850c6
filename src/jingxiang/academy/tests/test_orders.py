"""订单培养 from placement to hire and retention, and the figures computed from the records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jingxiang.academy import reports, services
from jingxiang.academy.models import Attendance, Course, Education, OrderStatus, TrainingOrder
from jingxiang.academy.selectors import order_fulfilment, school_fulfilment
from jingxiang.academy.tests.conftest import make_sessions
from jingxiang.talents.models import Skill, TalentKind
from jingxiang.testing.factories import TalentFactory

pytestmark = pytest.mark.django_db


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):  # time rules name the field they refuse
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def order_data(**extra):  # type: ignore[no-untyped-def]
    data = {
        "title": "2026 届定配工订单班",
        "headcount": 4,
        "skills": list(Skill.objects.filter(code__in=["edging_fitting", "progressive_fitting"])),
        "due_on": timezone.localdate() + dt.timedelta(days=200),
        "hires_committed": 2,
        "requirements": "掌握全框、半框、无框眼镜装配",
    }
    data.update(extra)
    return data


@pytest.fixture
def order(cast, academy):  # type: ignore[no-untyped-def]
    return services.order_place(actor=cast.talent_officer, firm=cast.firm, data=order_data())


def open_order_cohort(academy, order):  # type: ignore[no-untyped-def]
    services.order_accept(actor=academy.school_staff, order=order, school=academy.school)
    order.refresh_from_db()
    course = Course.objects.create(
        code="ORD-1",
        title="订单班定配实训",
        provider=academy.school,
        skill=Skill.objects.get(code="edging_fitting"),
        skill_level=2,
        practice_hours=40,
    )
    today = timezone.localdate()
    cohort = services.cohort_create(
        actor=academy.school_staff,
        course=course,
        order=order,
        name="订单班 1 期",
        venue="学院实训楼",
        capacity=10,
        starts_on=today,
        ends_on=today,
    )
    make_sessions(cohort, 2)
    return cohort


def graduate(academy, cohort, talents, education=""):  # type: ignore[no-untyped-def]
    enrolments = services.enrolment_create(
        actor=academy.school_staff, cohort=cohort, talents=talents, education=education
    )
    for enrolment in enrolments:
        for session in cohort.sessions.all():
            Attendance.objects.create(
                session=session, enrolment=enrolment, method="qr", marked_by=academy.school_staff
            )
        services.enrolment_graduate(actor=academy.school_staff, enrolment=enrolment)
        enrolment.refresh_from_db()
    return enrolments


def students(n, prefix="学生"):  # type: ignore[no-untyped-def]
    return [
        TalentFactory(name=f"{prefix}{i}", kind=TalentKind.STUDENT, home_organisation=None) for i in range(n)
    ]


def test_placing_an_order_checks_its_inputs(cast, academy):
    with pytest.raises(ValidationError) as error:
        services.order_place(
            actor=cast.firm_admin, firm=cast.firm, data=order_data(due_on=timezone.localdate())
        )
    # The due date is a time rule now (academy/rules.py), with the time rules' code.
    assert "order" in codes(error.value)
    with pytest.raises(ValidationError) as error:
        services.order_place(actor=cast.firm_admin, firm=cast.firm, data=order_data(hires_committed=5))
    assert "commit_over_headcount" in codes(error.value)
    with pytest.raises(ValidationError) as error:
        services.order_place(actor=cast.firm_admin, firm=cast.firm, data=order_data(skills=[]))
    assert "no_skills" in codes(error.value)
    with pytest.raises(PermissionDenied):
        services.order_place(actor=cast.member, firm=cast.firm, data=order_data())
    with pytest.raises(PermissionDenied):
        services.order_place(actor=cast.other_firm_admin, firm=cast.firm, data=order_data())


def test_several_firms_order_together_within_the_headcount(cast, order):
    services.order_join(actor=cast.other_firm_admin, order=order, firm=cast.other_firm, hires_committed=2)
    assert order.hires_committed == 4
    with pytest.raises(ValidationError) as error:
        services.order_join(actor=cast.other_firm_admin, order=order, firm=cast.other_firm, hires_committed=1)
    assert "already_in" in codes(error.value)
    third = cast.lab  # not a firm the actor manages
    with pytest.raises(PermissionDenied):
        services.order_join(actor=cast.other_firm_admin, order=order, firm=third, hires_committed=1)


def test_joining_over_the_headcount_is_refused(cast, order):
    with pytest.raises(ValidationError) as error:
        services.order_join(actor=cast.other_firm_admin, order=order, firm=cast.other_firm, hires_committed=3)
    assert "commit_over_headcount" in codes(error.value)


def test_only_a_school_accepts_and_only_once(cast, academy, order):
    with pytest.raises(PermissionDenied):
        services.order_accept(actor=cast.firm_admin, order=order, school=academy.school)
    with pytest.raises(PermissionDenied):
        services.order_accept(actor=academy.other_school_staff, order=order, school=academy.school)
    with pytest.raises(ValidationError) as error:
        services.order_accept(actor=cast.operator, order=order, school=cast.firm)
    assert "not_school" in codes(error.value)
    services.order_accept(actor=academy.school_staff, order=order, school=academy.school)
    with pytest.raises(ValidationError) as error:
        services.order_accept(actor=academy.other_school_staff, order=order, school=academy.other_school)
    assert "not_open" in codes(error.value)
    with pytest.raises(ValidationError) as error:
        services.order_join(actor=cast.other_firm_admin, order=order, firm=cast.other_firm, hires_committed=1)
    assert "not_open" in codes(error.value)


def test_linked_cohort_uses_the_accepting_schools_course(cast, academy, order):
    with pytest.raises(ValidationError) as error:
        services.cohort_create(
            actor=academy.school_staff,
            course=academy.course,
            order=order,
            name="x",
            venue="y",
            capacity=5,
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
        )
    assert "order_not_accepted" in codes(error.value)
    services.order_accept(actor=academy.other_school_staff, order=order, school=academy.other_school)
    order.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.cohort_create(
            actor=cast.operator,
            course=academy.course,
            order=order,
            name="x",
            venue="y",
            capacity=5,
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
        )
    assert "order_school_course" in codes(error.value)


def test_order_from_placement_to_hire_and_retention(cast, academy, order):
    cohort = open_order_cohort(academy, order)
    first, second = graduate(academy, cohort, students(2), education=Education.MASTER)
    with pytest.raises(ValidationError) as error:  # a firm outside the order cannot hire from it
        services.enrolment_hire(
            actor=cast.other_firm_admin, enrolment=first, firm=cast.other_firm, hired_on=timezone.localdate()
        )
    assert "not_participant" in codes(error.value)
    services.enrolment_offer(actor=cast.talent_officer, enrolment=first, firm=cast.firm)
    with pytest.raises(ValidationError) as error:
        services.enrolment_hire(
            actor=cast.firm_admin,
            enrolment=first,
            firm=cast.firm,
            hired_on=timezone.localdate() + dt.timedelta(1),
        )
    assert "future" in codes(error.value)
    hired_on = timezone.localdate() - dt.timedelta(days=400)
    services.enrolment_hire(actor=cast.firm_admin, enrolment=first, firm=cast.firm, hired_on=hired_on)
    with pytest.raises(ValidationError) as error:
        services.enrolment_hire(actor=cast.firm_admin, enrolment=first, firm=cast.firm, hired_on=hired_on)
    assert "already_hired" in codes(error.value)
    with pytest.raises(ValidationError) as error:
        services.enrolment_retention(actor=cast.firm_admin, enrolment=first, months=12, employed=True)
    assert "six_first" in codes(error.value)
    services.enrolment_retention(actor=cast.firm_admin, enrolment=first, months=6, employed=True)
    services.enrolment_retention(actor=cast.firm_admin, enrolment=first, months=12, employed=True)
    services.enrolment_hire(
        actor=cast.firm_admin, enrolment=second, firm=cast.firm, hired_on=timezone.localdate()
    )
    with pytest.raises(ValidationError) as error:
        services.enrolment_retention(actor=cast.firm_admin, enrolment=second, months=6, employed=True)
    assert "not_due" in codes(error.value)

    row = order_fulfilment(TrainingOrder.objects.filter(pk=order.pk))[0]
    assert (row.enrolled, row.graduated, row.offered, row.hired, row.employed_6m, row.employed_12m) == (
        2,
        2,
        2,
        2,
        1,
        1,
    )
    assert row.committed == 2 and row.rate == Decimal("1.000")
    school = school_fulfilment(TrainingOrder.objects.all())[0]
    assert school.label == academy.school.name and school.hired == 2
    assert reports.headline(cast.operator).masters_hires == 2


def test_hire_needs_graduation(cast, academy, order):
    cohort = open_order_cohort(academy, order)
    enrolment = services.enrolment_create(actor=academy.school_staff, cohort=cohort, talents=students(1))[0]
    with pytest.raises(ValidationError) as error:
        services.enrolment_hire(
            actor=cast.firm_admin, enrolment=enrolment, firm=cast.firm, hired_on=timezone.localdate()
        )
    assert "not_graduated" in codes(error.value)


def test_pipeline_only_for_order_cohorts(cast, academy, workers):
    enrolment = services.enrolment_create(
        actor=cast.firm_admin, cohort=academy.cohort, talents=workers[:1], sponsor=cast.firm
    )[0]
    with pytest.raises(ValidationError) as error:
        services.enrolment_offer(actor=cast.firm_admin, enrolment=enrolment, firm=cast.firm)
    assert "not_order_cohort" in codes(error.value)


def test_order_close(cast, academy, order):
    with pytest.raises(PermissionDenied):
        services.order_close(actor=academy.school_staff, order=order)  # not yet its school
    services.order_accept(actor=academy.school_staff, order=order, school=academy.school)
    order.refresh_from_db()
    services.order_close(actor=academy.school_staff, order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED


def test_figures_come_from_the_records_and_drill_down_agrees(cast, academy, workers):
    from jingxiang.academy.tests.test_services import passed_enrolment

    enrolment = passed_enrolment(cast, academy, workers)
    services.certificate_issue(actor=academy.school_staff, enrolment=enrolment)
    other = TalentFactory(name="他厂工人", kind=TalentKind.CRAFTSMAN, home_organisation=cast.other_firm)
    other_enrolment = services.enrolment_create(
        actor=cast.other_firm_admin,
        cohort=academy.cohort,
        talents=[other],
        sponsor=cast.other_firm,
        years_experience=Decimal("3"),
    )[0]
    for session in academy.sessions:
        Attendance.objects.create(
            session=session, enrolment=other_enrolment, method="qr", marked_by=academy.school_staff
        )
    services.enrolment_graduate(actor=academy.school_staff, enrolment=other_enrolment)

    everyone = reports.headline(cast.operator)
    assert (everyone.trained, everyone.certificates) == (2, 1)
    assert everyone.subsidies == Decimal("1200.00") and everyone.fees == Decimal("2400.00")
    by_firm = {row.label: row for row in reports.breakdown(cast.operator, "trained", "firm")}
    assert by_firm[cast.firm.name].value == 1 and by_firm[cast.other_firm.name].value == 1
    drilled = reports.drill(cast.operator, "trained", "firm", by_firm[cast.firm.name].key)
    assert [e.talent.name for e in drilled] == ["陈立新"]
    month = reports.breakdown(cast.operator, "certificates", "month")[0]
    assert month.value == 1 and reports.drill(cast.operator, "certificates", "month", month.key).count() == 1
    level = reports.breakdown(cast.operator, "certificates", "level")[0]
    assert level.label == "眼镜定配工 · 五级/初级工"
    # A firm's figures only count its own workers.
    own = reports.headline(cast.firm_admin)
    assert (own.trained, own.certificates) == (1, 1)
    assert [r.label for r in reports.breakdown(cast.firm_admin, "trained", "firm")] == [cast.firm.name]
    assert reports.drill(cast.firm_admin, "trained", "month", "bad-key").count() == 0
    # A year in the URL narrows the breakdowns and their drill-downs alike.
    this_year = timezone.localdate().year
    assert sum(r.value for r in reports.breakdown(cast.operator, "trained", "level", this_year)) == 2
    assert reports.breakdown(cast.operator, "trained", "level", 2001) == []
    assert reports.drill(cast.operator, "certificates", "", "", 2001).count() == 0
    assert (
        reports.parse_year("2026") == 2026
        and reports.parse_year("1900") is None
        and reports.parse_year("x") is None
    )


def test_firm_home_card_counts_graduates_waiting_for_hire(cast, academy, order):
    from jingxiang.academy.permissions import attention_cards

    cohort = open_order_cohort(academy, order)
    graduate(academy, cohort, students(2))
    cards = {card["title"]: card for card in attention_cards(cast.talent_officer)}
    assert cards["订单班已结业、待录用的学员"]["count"] == 2
    assert not [c for c in attention_cards(cast.other_firm_admin) if "待录用" in c["title"]]
