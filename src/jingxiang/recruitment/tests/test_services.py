"""Campus recruitment through its services: every step of the issue and every bad input it names."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jingxiang.core.models import Notification
from jingxiang.organisations.models import Membership, Role
from jingxiang.recruitment import selectors, services
from jingxiang.recruitment.models import Application, ApplicationStatus, Degree, FairFirm, Student, TalentTier
from jingxiang.recruitment.tests.conftest import PDF, fair_data, job_data, register
from jingxiang.talents.models import Talent


def messages_of(error: pytest.ExceptionInfo) -> str:
    return " ".join(error.value.messages)


# Fairs and jobs ----------------------------------------------------------------------------------


def test_only_operators_create_fairs_and_slots_follow_the_hours(cast, setup):
    assert [str(s) for s in setup.fair.slots.all()] == ["09:00–09:20", "09:20–09:40", "09:40–10:00"]
    with pytest.raises(PermissionDenied):
        services.fair_create(actor=cast.firm_admin, data=fair_data(setup.university))
    with pytest.raises(ValidationError) as error:
        services.fair_create(actor=cast.operator, data=fair_data(cast.firm))
    assert "高校" in messages_of(error)
    with pytest.raises(ValidationError):
        services.fair_create(
            actor=cast.operator,
            data=fair_data(setup.university, fair_date=timezone.localdate() - dt.timedelta(days=1)),
        )
    with pytest.raises(ValidationError):
        services.fair_create(
            actor=cast.operator, data=fair_data(setup.university, interviews_until=dt.time(8, 0))
        )


def test_booths_go_to_firms_in_turn_and_run_out(cast, setup):
    assert sorted(setup.fair.firms.values_list("booth", flat=True)) == [1, 2]
    fair = services.fair_create(actor=cast.operator, data=fair_data(setup.university, booths=1))
    first, second = services.firm_invite(actor=cast.operator, fair=fair, firms=[cast.firm, cast.other_firm])
    services.fair_join(actor=cast.firm_admin, fair_firm=first)
    with pytest.raises(ValidationError) as error:
        services.fair_join(actor=cast.other_firm_admin, fair_firm=second)
    assert "展位已满" in messages_of(error)
    with pytest.raises(PermissionDenied):
        services.fair_join(actor=cast.firm_admin, fair_firm=second)


def test_salary_range_is_checked_against_the_wage_norm_and_the_statutory_minimum(cast, setup):
    own = FairFirm.objects.get(fair=setup.fair, firm=cast.firm)
    # 验光 is a key post of the Linhai agreement: 中级工 norm 3540 (docs/wages.md).
    short = services.job_post(actor=cast.firm_admin, fair_firm=own, data=job_data(salary_min=Decimal("3000")))
    assert short.below_norm and short.wage_floor == Decimal("3540")
    assert "3540" in services.job_wage_message(short)
    assert not setup.job.below_norm
    # A post outside the agreement is checked against Linhai's statutory minimum (tier 2: 2260).
    with pytest.raises(ValidationError) as error:
        services.job_post(
            actor=cast.firm_admin, fair_firm=own, data=job_data(post="销售", salary_min=Decimal("2000"))
        )
    assert "2260" in messages_of(error)
    sales = services.job_post(
        actor=cast.firm_admin, fair_firm=own, data=job_data(post="销售", salary_min=Decimal("2300"))
    )
    assert sales.wage_floor == Decimal("2260") and not sales.below_norm
    with pytest.raises(ValidationError):
        services.job_post(actor=cast.firm_admin, fair_firm=own, data=job_data(salary_max=Decimal("3000")))
    with pytest.raises(PermissionDenied):
        services.job_post(actor=cast.other_firm_admin, fair_firm=own, data=job_data())
    with pytest.raises(PermissionDenied):
        services.job_post(actor=cast.member, fair_firm=own, data=job_data())


def test_wage_floor_falls_back_to_the_statutory_minimum_outside_the_agreements_region():
    floor = selectors.wage_floor(
        post="验光", skill_level="intermediate", region="杭州市", day=dt.date(2026, 3, 5)
    )
    assert floor is None or not floor.is_norm


# Students ------------------------------------------------------------------------------------------


def test_a_student_registers_with_a_one_time_code(otp_outbox, setup):
    student = register(otp_outbox, "13800000001")
    assert student.user.mobile == "13800000001" and not student.user.has_usable_password()
    assert student.masked_mobile != student.mobile


def test_registering_twice_with_one_mobile_is_refused(otp_outbox, setup):
    register(otp_outbox, "13800000001")
    with pytest.raises(ValidationError) as error:
        services.student_code_send(mobile="13800000001")
    assert "已注册" in messages_of(error)
    assert Student.objects.count() == 1


def test_a_wrong_code_saves_nothing(otp_outbox, setup):
    services.student_code_send(mobile="13800000002")
    with pytest.raises(ValidationError) as error:
        services.student_register(
            mobile="13800000002",
            code="000000" if otp_outbox[-1].code != "000000" else "111111",
            data={"name": "王", "school": "x", "degree": Degree.COLLEGE, "graduation_year": 2026},
        )
    assert "验证码" in messages_of(error)
    assert not Student.objects.exists()


def test_sign_in_by_code(otp_outbox, setup):
    student = register(otp_outbox, "13800000003")
    services.student_code_send(mobile="13800000003", login=True)
    assert services.student_login(mobile="13800000003", code=otp_outbox[-1].code) == student
    with pytest.raises(ValidationError):
        services.student_code_send(mobile="13900000000", login=True)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("cv.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "PDF"),
        ("cv.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "PDF"),  # renamed picture: the bytes decide
        ("cv.docx", PDF, "PDF"),
        ("cv.pdf", b"", "空"),
        ("cv.pdf", PDF + b"0" * services.CV_MAX_BYTES, "5 MB"),
    ],
)
def test_a_cv_that_is_not_a_pdf_or_too_big_is_refused(otp_outbox, setup, name, content, reason):
    student = register(otp_outbox, "13800000004", cv=False)
    with pytest.raises(ValidationError) as error:
        services.cv_upload(actor=student.user, cv=SimpleUploadedFile(name, content))
    assert reason in messages_of(error)
    student.refresh_from_db()
    assert not student.cv


def test_applying_to_several_jobs_and_a_duplicate_refuses_the_whole_request(otp_outbox, setup):
    student = register(otp_outbox, "13800000005")
    apps = services.apply(actor=student.user, jobs=[setup.job, setup.other_job])
    assert len(apps) == 2
    with pytest.raises(ValidationError) as error:
        services.apply(actor=student.user, jobs=[setup.job])
    assert "重复投递" in messages_of(error)
    assert Application.objects.count() == 2
    nocv = register(otp_outbox, "13800000006", cv=False)
    with pytest.raises(ValidationError):
        services.apply(actor=nocv.user, jobs=[setup.job])
    with pytest.raises(PermissionDenied):
        services.apply(actor=setup.fair.created_by, jobs=[setup.job])


# Pipeline ------------------------------------------------------------------------------------------


def _applied(otp_outbox, setup, mobile="13800000010", **kw):
    student = register(otp_outbox, mobile, **kw)
    return student, services.apply(actor=student.user, jobs=[setup.job, setup.other_job])


def test_bulk_moves_need_a_reason_to_reject_and_stay_within_the_firm(cast, otp_outbox, setup):
    _s, (own, other) = _applied(otp_outbox, setup)
    services.applications_move(
        actor=cast.talent_officer, applications=[own], status=ApplicationStatus.SCREENED
    )
    with pytest.raises(ValidationError) as error:
        services.applications_move(
            actor=cast.firm_admin, applications=[own], status=ApplicationStatus.REJECTED
        )
    assert "原因" in messages_of(error)
    with pytest.raises(PermissionDenied):
        services.applications_move(
            actor=cast.firm_admin, applications=[own, other], status=ApplicationStatus.INTERVIEW
        )
    own.refresh_from_db()
    assert own.status == ApplicationStatus.SCREENED  # nothing half-done
    services.applications_move(
        actor=cast.firm_admin, applications=[own], status=ApplicationStatus.REJECTED, reason="学历不符"
    )
    own.refresh_from_db()
    assert own.reject_reason == "学历不符"
    services.application_note(actor=cast.other_firm_admin, application=other, note="沟通良好")
    with pytest.raises(PermissionDenied):
        services.application_note(actor=cast.firm_admin, application=other, note="x")


def test_a_double_booked_interview_slot_is_refused(cast, otp_outbox, setup):
    _s, (own, other) = _applied(otp_outbox, setup)
    slot = setup.fair.slots.first()
    services.applications_move(actor=cast.firm_admin, applications=[own], status=ApplicationStatus.INTERVIEW)
    services.applications_move(
        actor=cast.other_firm_admin, applications=[other], status=ApplicationStatus.INTERVIEW
    )
    services.interview_place(actor=cast.firm_admin, application=own, slot=slot)
    with pytest.raises(ValidationError) as error:
        services.interview_place(actor=cast.other_firm_admin, application=other, slot=slot)
    assert "该学生在这个时段已有面试" in messages_of(error)
    _second, (own2, _o) = _applied(otp_outbox, setup, mobile="13800000011")
    services.applications_move(actor=cast.firm_admin, applications=[own2], status=ApplicationStatus.INTERVIEW)
    with pytest.raises(ValidationError) as error:
        services.interview_place(actor=cast.firm_admin, application=own2, slot=slot)
    assert "展位" in messages_of(error)
    own2.refresh_from_db()
    assert own2.slot is None


def test_the_scheduler_places_interviews_around_classes_without_double_booking(cast, otp_outbox, setup):
    from jingxiang.recruitment.models import ScheduleRun

    slots = list(setup.fair.slots.all())
    students = []
    for i in range(3):
        student, apps = _applied(otp_outbox, setup, mobile=f"1380000002{i}")
        students.append(student)
        services.applications_move(
            actor=cast.firm_admin, applications=[apps[0]], status=ApplicationStatus.INTERVIEW
        )
        services.applications_move(
            actor=cast.other_firm_admin, applications=[apps[1]], status=ApplicationStatus.INTERVIEW
        )
    # The first student has class during the first two slots.
    services.class_time_add(
        actor=students[0].user, fair=setup.fair, starts_at=slots[0].starts_at, ends_at=slots[1].ends_at
    )
    run = services.schedule_start(actor=cast.operator, fair=setup.fair)
    run = services.schedule_compute(run_id=run.pk, progress=lambda *_: None)
    assert run.status == "done"
    placed = list(Application.objects.filter(slot__isnull=False))
    pairs = [(a.student_id, a.slot_id) for a in placed]
    booths = [(a.job.fair_firm_id, a.slot_id) for a in placed]
    assert len(pairs) == len(set(pairs)) and len(booths) == len(set(booths))
    assert all(a.slot_id == slots[2].pk for a in placed if a.student_id == students[0].pk)
    assert run.scheduled == len(placed) == 5  # 6 interviews, but student 1 is free in one slot only
    assert ScheduleRun.objects.get(pk=run.pk).unscheduled
    with pytest.raises(PermissionDenied):
        services.schedule_start(actor=cast.firm_admin, fair=setup.fair)


def test_an_offer_beyond_the_headcount_is_refused(cast, otp_outbox, setup):
    _a, (first, _x) = _applied(otp_outbox, setup, mobile="13800000030")
    _b, (second, _y) = _applied(otp_outbox, setup, mobile="13800000031")
    services.applications_move(
        actor=cast.firm_admin, applications=[first, second], status=ApplicationStatus.SCREENED
    )
    services.offer_make(actor=cast.firm_admin, application=first, salary=Decimal("3800"))
    with pytest.raises(ValidationError) as error:
        services.offer_make(actor=cast.firm_admin, application=second, salary=Decimal("3800"))
    assert "招聘 1 人" in messages_of(error)
    second.refresh_from_db()
    assert second.status == ApplicationStatus.SCREENED and not second.offer_number
    with pytest.raises(ValidationError):
        services.offer_make(actor=cast.other_firm_admin, application=_x, salary=Decimal("9999"))


def test_offer_accept_hire_makes_talent_membership_and_counts_high_level(cast, otp_outbox, setup):
    student, (own, _other) = _applied(otp_outbox, setup, mobile="13800000040", degree=Degree.MASTER)
    services.applications_move(actor=cast.firm_admin, applications=[own], status=ApplicationStatus.INTERVIEW)
    services.offer_make(actor=cast.firm_admin, application=own, salary=Decimal("4000"))
    assert Notification.objects.filter(recipient=student.user).exists()
    with pytest.raises(ValidationError):
        services.hire_record(actor=cast.firm_admin, application=own, hired_on=timezone.localdate())
    with pytest.raises(PermissionDenied):
        services.offer_respond(actor=cast.firm_admin, application=own, accept=True)
    services.offer_respond(actor=student.user, application=own, accept=True)
    with pytest.raises(ValidationError):
        services.offer_respond(actor=student.user, application=own, accept=False)
    with pytest.raises(ValidationError):
        services.hire_record(
            actor=cast.firm_admin, application=own, hired_on=timezone.localdate() + dt.timedelta(days=1)
        )
    app = services.hire_record(
        actor=cast.firm_admin, application=own, hired_on=timezone.localdate(), tier=TalentTier.SENIOR
    )
    talent = Talent.objects.get(user=student.user)
    assert app.talent == talent and talent.home_organisation == cast.firm and talent.level == "高级人才"
    assert Membership.objects.filter(user=student.user, organisation=cast.firm, role=Role.MEMBER).exists()
    assert app.high_level and app.talent_tier == TalentTier.SENIOR
    rep = selectors.report(Application.objects.filter(job__fair_firm__fair=setup.fair))
    assert (rep.total.applications, rep.total.offers, rep.total.hires, rep.total.high_level) == (2, 1, 1, 1)
    assert rep.total.acceptance_rate == Decimal("1.000")
    assert sum(t.hires for t in rep.by_firm) == rep.total.hires == sum(t.hires for t in rep.by_school)
    # The cluster's "high-level talents introduced" is counted from these records (insights).
    from jingxiang.insights.registry import get_source
    from jingxiang.insights.selectors import Period, Scope, figures, month_start, records

    month = month_start(timezone.localdate())
    hires, high = figures(["campus_hires", "high_level_talents"], Period(month, month), Scope())
    assert hires.value == 1 and high.value == 1
    other = Scope(organisation_ids=frozenset({cast.other_firm.pk}))
    assert figures(["high_level_talents"], Period(month, month), other)[0].value == 0
    listed = records(get_source("recruitment.high_level_hires"), month, Period(month, month).end, Scope())
    assert list(listed.values_list("pk", flat=True)) == [app.pk]


def test_retention_reminders_at_six_and_twelve_months_once_each(cast, otp_outbox, setup):
    from jingxiang.jobs.periodic import run_due_periodic

    _s, (own, _o) = _applied(otp_outbox, setup, mobile="13800000050")
    services.applications_move(actor=cast.firm_admin, applications=[own], status=ApplicationStatus.SCREENED)
    services.offer_make(actor=cast.firm_admin, application=own, salary=Decimal("4000"))
    services.offer_respond(actor=own.student.user, application=own, accept=True)
    services.hire_record(actor=cast.firm_admin, application=own, hired_on=timezone.localdate())
    hired = timezone.localdate()
    assert services.retention_remind(hired + dt.timedelta(days=100)) == 0
    six = selectors.months_after(hired, 6)
    now = timezone.make_aware(dt.datetime.combine(six, dt.time(7, 0)))
    assert run_due_periodic(now=now, keys=["recruitment.retention"]) == [("recruitment.retention", six)]
    reminders = Notification.objects.filter(recipient=cast.firm_admin, kind="recruitment")
    count = reminders.count()
    assert count >= 1
    assert services.retention_remind(six) == 0  # idempotent
    assert services.retention_remind(selectors.months_after(hired, 12)) == 1
    own.refresh_from_db()
    assert own.retention_6m_reminded == six and own.retention_12m_reminded


def test_an_order_class_trainee_is_flagged_and_counted_in_the_orders_fulfilment(
    cast, otp_outbox, setup, academy
):
    from jingxiang.academy import services as academy_services
    from jingxiang.academy.selectors import order_progress
    from jingxiang.academy.tests.test_orders import graduate, open_order_cohort, order_data
    from jingxiang.talents.models import TalentKind
    from jingxiang.testing.factories import TalentFactory

    order = academy_services.order_place(actor=cast.talent_officer, firm=cast.firm, data=order_data())
    cohort = open_order_cohort(academy, order)
    trainee = TalentFactory(
        name="周同学", kind=TalentKind.STUDENT, home_organisation=None, mobile="13800000060"
    )
    (enrolment,) = graduate(academy, cohort, [trainee])
    student, (own, _o) = _applied(otp_outbox, setup, mobile="13800000060", name="周同学")
    assert student.order_enrolment == enrolment and student.is_order_student
    services.applications_move(actor=cast.firm_admin, applications=[own], status=ApplicationStatus.SCREENED)
    services.offer_make(actor=cast.firm_admin, application=own, salary=Decimal("4000"))
    services.offer_respond(actor=student.user, application=own, accept=True)
    app = services.hire_record(actor=cast.firm_admin, application=own, hired_on=timezone.localdate())
    assert app.talent == trainee  # the academy's profile is reused, not copied
    trainee.refresh_from_db()
    assert trainee.user == student.user
    assert order_progress(order).hired == 1


def test_reveal_policy_lets_only_the_firms_applied_to_see_the_mobile(cast, otp_outbox, setup):
    from jingxiang.core.models import PersonalDataAccess
    from jingxiang.core.services import personal_data_reveal

    student, _apps = _applied(otp_outbox, setup, mobile="13800000070")
    value = personal_data_reveal(
        user=cast.firm_admin,
        model_label="recruitment.student",
        object_id=str(student.pk),
        field_name="mobile",
        ip_address=None,
    )
    assert value == "13800000070"
    assert PersonalDataAccess.objects.filter(accessed_by=cast.firm_admin).count() == 1
    outsider_firm = cast.member  # a member is not a firm manager
    for user in (outsider_firm, cast.lab_staff, cast.union_staff):
        with pytest.raises(PermissionDenied):
            personal_data_reveal(
                user=user,
                model_label="recruitment.student",
                object_id=str(student.pk),
                field_name="mobile",
                ip_address=None,
            )


def test_a_firm_sees_only_applications_to_its_own_jobs(cast, otp_outbox, setup):
    student, (own, other) = _applied(otp_outbox, setup, mobile="13800000080")
    assert list(Application.objects.visible_to(cast.firm_admin)) == [own]
    assert list(Application.objects.visible_to(cast.other_firm_admin)) == [other]
    assert set(Application.objects.visible_to(student.user)) == {own, other}
    assert set(Application.objects.visible_to(cast.operator)) == {own, other}
    for user in (cast.member, cast.lab_staff, cast.union_staff, cast.expert_user, cast.outsider):
        assert not Application.objects.visible_to(user).exists()


def test_offer_letter_pdf_and_its_public_verification(cast, otp_outbox, setup):
    from jingxiang.recruitment.documents import offer_lookup, offer_pdf

    _s, (own, _o) = _applied(otp_outbox, setup, mobile="13800000090", name="欧阳明")
    services.applications_move(actor=cast.firm_admin, applications=[own], status=ApplicationStatus.SCREENED)
    app = services.offer_make(actor=cast.firm_admin, application=own, salary=Decimal("4000"))
    assert offer_pdf(app).startswith(b"%PDF")
    public = offer_lookup(app.offer_code)
    assert public and public["status"] == "valid"
    assert "欧阳明" not in str(public["facts"])
    assert offer_lookup("NOPE") is None


def test_the_firm_revokes_an_offer_with_a_reason_and_the_place_is_freed(cast, otp_outbox, setup):
    from jingxiang.recruitment.documents import offer_lookup

    student, (first, _x) = _applied(otp_outbox, setup, mobile="13800000110")
    _b, (second, _y) = _applied(otp_outbox, setup, mobile="13800000111")
    services.applications_move(
        actor=cast.firm_admin, applications=[first, second], status=ApplicationStatus.SCREENED
    )
    app = services.offer_make(actor=cast.firm_admin, application=first, salary=Decimal("3800"))
    services.offer_respond(actor=student.user, application=app, accept=True)
    with pytest.raises(ValidationError) as error:
        services.offer_revoke(actor=cast.firm_admin, application=app, reason="  ")
    assert "reason" in error.value.message_dict
    app.refresh_from_db()
    assert app.status == ApplicationStatus.ACCEPTED
    with pytest.raises((PermissionDenied, ValidationError)):
        services.offer_revoke(actor=cast.other_firm_admin, application=app, reason="不要了")
    with pytest.raises(PermissionDenied):
        services.offer_revoke(actor=student.user, application=app, reason="不要了")
    app = services.offer_revoke(actor=cast.firm_admin, application=app, reason="岗位取消")
    assert app.status == ApplicationStatus.OFFER_REVOKED and app.offer_revoke_reason == "岗位取消"
    assert Notification.objects.filter(recipient=student.user, params__reason="岗位取消").exists()
    public = offer_lookup(app.offer_code)
    assert public and public["status"] == "revoked"
    with pytest.raises(ValidationError):
        services.offer_respond(actor=student.user, application=app, accept=True)
    with pytest.raises(ValidationError):
        services.hire_record(actor=cast.firm_admin, application=app, hired_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.offer_revoke(actor=cast.firm_admin, application=app, reason="再撤一次")
    # The headcount of one is free again for the second candidate.
    services.offer_make(actor=cast.firm_admin, application=second, salary=Decimal("3800"))
    rep = selectors.report(Application.objects.filter(job__fair_firm__fair=setup.fair))
    assert (rep.total.offers, rep.total.accepted) == (2, 1)
