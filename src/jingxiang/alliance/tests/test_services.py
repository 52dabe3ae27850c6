"""The alliance's services: membership periods and reviews, plans, outputs counted from records,
agreements with obligations, and the reminder sweep."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jingxiang.alliance import selectors, services
from jingxiang.alliance.models import (
    Agreement,
    Member,
    MemberStatus,
    Obligation,
    ObligationStatus,
    Output,
    Task,
)
from jingxiang.alliance.outputs import resolve
from jingxiang.alliance.tests.conftest import add_member
from jingxiang.core.models import Notification
from jingxiang.demands.models import Demand
from jingxiang.identifiers import generate_uscc

pytestmark = pytest.mark.django_db


def solved_demand(cast, title="镀膜附着力不足", solved=True):  # type: ignore[no-untyped-def]
    return Demand.objects.create(
        organisation=cast.firm,
        created_by=cast.firm_admin,
        number=f"XQ-{title[:4]}-{Demand.objects.count() + 1}",
        title=title,
        category="coating",
        description="镀膜层百格测试不合格。",
        status="matched",
        solved=solved,
    )


# Members ---------------------------------------------------------------------------------------------


def test_overlapping_membership_periods_are_refused(world):
    with pytest.raises(ValidationError) as error:
        add_member(world.secretariat, world.alliance, world.cast.firm)
    assert "已是本联盟成员" in str(error.value)
    # After leaving, a new period may not start before the old one ended.
    services.task_reassign(actor=world.secretariat, task=world.task, owner=world.lab_member)
    left = timezone.localdate()
    services.member_leave(actor=world.secretariat, member=world.firm_member, left_on=left, reason="调整")
    with pytest.raises(ValidationError) as error:
        add_member(world.secretariat, world.alliance, world.cast.firm, joined_on=left)
    assert "重叠" in str(error.value)
    again = add_member(
        world.secretariat, world.alliance, world.cast.firm, joined_on=left + dt.timedelta(days=1)
    )
    assert again.status == MemberStatus.ACTIVE
    assert Member.objects.filter(alliance=world.alliance, organisation=world.cast.firm).count() == 2


def test_a_member_with_open_tasks_cannot_leave_until_reassigned(world):
    services.member_leave_request(
        actor=world.firm_admin, member=world.firm_member, left_on=timezone.localdate(), reason="业务调整"
    )
    with pytest.raises(ValidationError) as error:
        services.member_leave(actor=world.secretariat, member=world.firm_member)
    assert "改派" in str(error.value)
    world.firm_member.refresh_from_db()
    assert world.firm_member.status == MemberStatus.LEAVING  # nothing half-saved
    services.task_reassign(actor=world.secretariat, task=world.task, owner=world.lab_member)
    member = services.member_leave(actor=world.secretariat, member=world.firm_member)
    assert member.status == MemberStatus.LEFT
    world.rd.refresh_from_db()
    assert world.rd.lead is None


def test_joining_by_application_is_reviewed_by_the_secretariat(world):
    member = services.member_apply(
        actor=world.other_firm_admin,
        alliance=world.alliance,
        organisation=world.cast.other_firm,
        data={"joined_on": timezone.localdate()},
    )
    assert member.status == MemberStatus.PENDING
    assert Notification.objects.filter(recipient=world.secretariat).exists()
    with pytest.raises(PermissionDenied):
        services.member_review(actor=world.firm_admin, member=member, approve=True)
    member = services.member_review(actor=world.secretariat, member=member, approve=True)
    assert member.status == MemberStatus.ACTIVE and member.reviewed_by == world.secretariat


def test_only_the_secretariat_adds_members(world):
    with pytest.raises(PermissionDenied):
        add_member(world.operator, world.alliance, world.cast.other_firm)
    with pytest.raises(PermissionDenied):
        add_member(world.firm_admin, world.alliance, world.cast.other_firm)


# Tasks -----------------------------------------------------------------------------------------------


def test_a_task_due_before_its_plan_year_is_refused(world):
    year = timezone.localdate().year
    with pytest.raises(ValidationError) as error:
        services.task_create(
            actor=world.firm_admin,
            domain=world.rd,
            year=year,
            data={
                "title": "x",
                "owner": world.firm_member,
                "due_on": dt.date(year - 1, 12, 1),
                "expected_output": "y",
            },
        )
    assert "due_on" in error.value.message_dict
    assert Task.objects.count() == 1


def test_only_the_lead_unit_and_the_secretariat_plan_a_domain(world):
    year = timezone.localdate().year
    data = {"title": "x", "owner": world.lab_member, "due_on": dt.date(year, 6, 1), "expected_output": "y"}
    with pytest.raises(PermissionDenied):
        services.task_create(actor=world.lab_staff, domain=world.rd, year=year, data=data)
    with pytest.raises(PermissionDenied):
        services.task_create(actor=world.firm_admin, domain=world.testing, year=year, data=data)
    assert services.task_create(actor=world.secretariat, domain=world.testing, year=year, data=data).pk


def test_the_owner_must_be_a_current_member(world):
    year = timezone.localdate().year
    outsider = add_member(world.secretariat, world.alliance, world.cast.other_firm)
    services.member_leave(actor=world.secretariat, member=outsider)
    with pytest.raises(ValidationError) as error:
        services.task_create(
            actor=world.secretariat,
            domain=world.rd,
            year=year,
            data={"title": "x", "owner": outsider, "due_on": dt.date(year, 6, 1), "expected_output": "y"},
        )
    assert "owner" in error.value.message_dict


def test_progress_by_the_owner_unit(world):
    task = services.task_progress(
        actor=world.member, task=world.task, status="in_progress", note="完成样品制备"
    )
    assert task.status == "in_progress" and task.notes.count() == 1
    with pytest.raises(PermissionDenied):
        services.task_progress(actor=world.lab_staff, task=world.task, status="done", note="x")
    with pytest.raises(ValidationError):
        services.task_progress(actor=world.member, task=world.task, status="cancelled", note="x")


# Outputs ---------------------------------------------------------------------------------------------


def test_outputs_link_records_the_linker_may_see_and_count_once(world):
    demand = solved_demand(world.cast)
    output = services.output_link(
        actor=world.talent_officer, task=world.task, kind="demand", object_id=demand.pk
    )
    assert output.member == world.firm_member and output.record == demand
    with pytest.raises(ValidationError) as error:
        services.output_link(actor=world.firm_admin, task=world.task, kind="demand", object_id=demand.pk)
    assert "只计一次" in str(error.value)
    unsolved = solved_demand(world.cast, "未解决的需求", solved=False)
    with pytest.raises(ValidationError):
        services.output_link(actor=world.firm_admin, task=world.task, kind="demand", object_id=unsolved.pk)
    with pytest.raises(ValidationError):
        services.output_link(actor=world.firm_admin, task=world.task, kind="salary", object_id=demand.pk)


def test_a_record_the_linker_cannot_see_is_refused(world):
    from jingxiang.demands.models import Visibility

    other = solved_demand(world.cast, "别家的私有需求")
    Demand.objects.filter(pk=other.pk).update(
        organisation=world.cast.other_firm, visibility=Visibility.OPERATORS
    )
    with pytest.raises(ValidationError):
        services.output_link(actor=world.firm_admin, task=world.task, kind="demand", object_id=other.pk)


def test_declared_outputs_need_an_attachment_and_are_marked_declared(world):
    with pytest.raises(ValidationError) as error:
        services.output_declare(
            actor=world.firm_admin,
            task=world.task,
            declared_kind="standard",
            title="团体标准",
            attachment=None,
        )
    assert "attachment" in error.value.message_dict
    output = services.output_declare(
        actor=world.firm_admin,
        task=world.task,
        declared_kind="standard",
        title="《高原护目镜》团体标准(草案)",
        attachment=SimpleUploadedFile("draft.pdf", b"%PDF-1.4 draft"),
    )
    assert output.is_declared and output.attachment


def test_drill_down_hides_what_the_viewer_may_not_see(world):
    demand = solved_demand(world.cast)
    from jingxiang.demands.models import Visibility

    Demand.objects.filter(pk=demand.pk).update(visibility=Visibility.OPERATORS)
    output = services.output_link(actor=world.firm_admin, task=world.task, kind="demand", object_id=demand.pk)
    assert resolve(world.firm_admin, [output])[output.pk].url
    hidden = resolve(world.lab_staff, [output])[output.pk]
    assert not hidden.visible and demand.title not in hidden.title


def test_dashboard_figures_match_their_drill_down(world, client):
    year = timezone.localdate().year
    services.output_link(
        actor=world.firm_admin, task=world.task, kind="demand", object_id=solved_demand(world.cast).pk
    )
    services.output_declare(
        actor=world.firm_admin,
        task=world.task,
        declared_kind="paper",
        title="论文",
        attachment=SimpleUploadedFile("p.pdf", b"x"),
    )
    past = services.task_create(
        actor=world.secretariat,
        domain=world.testing,
        year=year,
        data={
            "title": "检测能力建设",
            "owner": world.lab_member,
            "due_on": dt.date(year, 1, 1),
            "expected_output": "报告",
        },
    )
    board = selectors.dashboard(world.alliance, year)
    totals = {f.label: f for f in board.totals}
    client.force_login(world.lab_staff)
    for figure in [*board.totals, *board.by_kind, *board.by_member]:
        page = client.get(figure.url)
        assert page.status_code == 200
        if figure.value:
            assert (
                f"共 {figure.value} 条" in page.content.decode()
                or figure.value == page.content.decode().count("<tr>") - 1
            )
    overdue = totals["逾期任务"].value
    assert overdue == (1 if dt.date(year, 1, 1) < timezone.localdate() else 0)
    assert Task.objects.filter(pk=past.pk).exists()
    assert sum(f.value for f in board.by_kind) == Output.objects.filter(alliance=world.alliance).count() == 2


# Agreements ------------------------------------------------------------------------------------------


def _agreement(world, **extra):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return services.agreement_create(
        actor=world.secretariat,
        alliance=world.alliance,
        data={
            "title": "高原护目镜联合检测合作协议",
            "scope": "联合开展高原护目镜检测与标准研制。",
            "signed_on": today - dt.timedelta(days=60),
            "term_start": today - dt.timedelta(days=60),
            "term_end": today + dt.timedelta(days=700),
            **extra,
        },
        organisations=[world.cast.firm, world.cast.lab],
        outside=[("拉萨高原护目镜实践检测基地", generate_uscc(random.Random(7)))],
    )


def test_agreement_parties_and_obligations(world):
    agreement = _agreement(world)
    assert agreement.number.startswith("ZL") and agreement.parties.count() == 3
    other = _agreement(world, title="另一份协议")
    foreign_party = other.parties.first()
    with pytest.raises(ValidationError) as error:
        services.obligation_add(
            actor=world.secretariat,
            agreement=agreement,
            data={"party": foreign_party, "description": "x", "due_on": timezone.localdate()},
        )
    assert "party" in error.value.message_dict
    assert not Obligation.objects.exists()


def _edit_data(agreement, **extra):  # type: ignore[no-untyped-def]
    return {key: getattr(agreement, key) for key in services.AGREEMENT_FIELDS} | extra


def test_an_agreement_is_corrected_and_gains_parties_but_never_loses_one(world):
    agreement = _agreement(world)
    outside = [(p.name, p.uscc) for p in agreement.parties.filter(organisation__isnull=True)]
    due = timezone.localdate() + dt.timedelta(days=30)
    services.obligation_add(
        actor=world.secretariat,
        agreement=agreement,
        data={
            "party": agreement.parties.get(organisation=world.cast.firm),
            "description": "检测",
            "due_on": due,
        },
    )
    with pytest.raises(ValidationError) as error:
        services.agreement_update(
            actor=world.secretariat,
            agreement=agreement,
            data=_edit_data(agreement, signed_on=due + dt.timedelta(days=1)),
            organisations=[world.cast.firm],  # the lab left out
            outside=[],  # and the outside party too
        )
    problems = error.value.message_dict
    assert {"parties", "signed_on"} <= set(problems)
    assert world.cast.lab.name in problems["parties"][0] and "拉萨" in problems["parties"][0]
    assert agreement.parties.count() == 3
    with pytest.raises(PermissionDenied):
        services.agreement_update(
            actor=world.cast.firm_admin,
            agreement=agreement,
            data=_edit_data(agreement),
            organisations=[world.cast.firm, world.cast.lab],
            outside=outside,
        )
    new_code = generate_uscc(random.Random(11))
    updated = services.agreement_update(
        actor=world.secretariat,
        agreement=agreement,
        data=_edit_data(agreement, title="高原护目镜联合检测合作协议(补充)"),
        organisations=[world.cast.firm, world.cast.lab, world.cast.other_firm],
        outside=[*outside, ("西藏某检测中心", new_code)],
    )
    assert updated.title.endswith("(补充)")
    names = list(updated.parties.values_list("name", flat=True))
    assert len(names) == 5 and names[-1] == "西藏某检测中心" and world.cast.other_firm.name in names


def test_an_open_obligation_is_corrected_and_an_overdue_one_reopens_when_its_date_moves(world):
    agreement = _agreement(world)
    firm_party = agreement.parties.get(organisation=world.cast.firm)
    lab_party = agreement.parties.get(organisation=world.cast.lab)
    obligation = services.obligation_add(
        actor=world.secretariat,
        agreement=agreement,
        data={
            "party": firm_party,
            "description": "送检",
            "due_on": timezone.localdate() - dt.timedelta(days=1),
        },
    )
    Obligation.objects.filter(pk=obligation.pk).update(
        status=ObligationStatus.OVERDUE, reminded_overdue_at=timezone.now()
    )
    later = timezone.localdate() + dt.timedelta(days=20)
    with pytest.raises(ValidationError) as error:
        services.obligation_update(
            actor=world.secretariat,
            obligation=obligation,
            data={
                "party": firm_party,
                "description": "送检",
                "due_on": agreement.signed_on - dt.timedelta(days=1),
            },
        )
    assert "due_on" in error.value.message_dict
    foreign = _agreement(world, title="另一份").parties.first()
    with pytest.raises(ValidationError) as error:
        services.obligation_update(
            actor=world.secretariat,
            obligation=obligation,
            data={"party": foreign, "description": "送检", "due_on": later},
        )
    assert "party" in error.value.message_dict
    fixed = services.obligation_update(
        actor=world.secretariat,
        obligation=obligation,
        data={"party": lab_party, "description": "送检 20 批次", "target": 20, "unit": "批", "due_on": later},
    )
    assert (fixed.party, fixed.status, fixed.reminded_overdue_at) == (
        lab_party,
        ObligationStatus.NOT_STARTED,
        None,
    )
    services.obligation_report(
        actor=world.secretariat, obligation=fixed, status=ObligationStatus.DELIVERED, note="已完成"
    )
    with pytest.raises(ValidationError) as error:
        services.obligation_update(
            actor=world.secretariat,
            obligation=fixed,
            data={"party": lab_party, "description": "改", "due_on": later},
        )
    assert "status" in error.value.message_dict


def test_an_agreement_needs_two_parties_and_valid_outside_codes(world):
    today = timezone.localdate()
    data = {
        "title": "t",
        "scope": "s",
        "signed_on": today,
        "term_start": today,
        "term_end": today + dt.timedelta(days=1),
    }
    with pytest.raises(ValidationError) as error:
        services.agreement_create(
            actor=world.secretariat, alliance=world.alliance, data=data, organisations=[world.cast.firm]
        )
    assert "parties" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.agreement_create(
            actor=world.secretariat,
            alliance=world.alliance,
            data=data,
            organisations=[world.cast.firm],
            outside=[("某公司", "123")],
        )
    assert "outside_parties" in error.value.message_dict
    assert not Agreement.objects.exists()


def test_obligation_reports_and_waivers(world):
    agreement = _agreement(world)
    firm_party = agreement.parties.get(organisation=world.cast.firm)
    obligation = services.obligation_add(
        actor=world.secretariat,
        agreement=agreement,
        data={
            "party": firm_party,
            "description": "送检样品",
            "target": Decimal("20"),
            "unit": "批",
            "due_on": timezone.localdate(),
        },
    )
    with pytest.raises(PermissionDenied):
        services.obligation_report(actor=world.lab_staff, obligation=obligation, status="delivered", note="x")
    with pytest.raises(ValidationError) as error:
        services.obligation_report(actor=world.firm_admin, obligation=obligation, status="delivered")
    assert "evidence" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.obligation_report(
            actor=world.firm_admin, obligation=obligation, status="waived", waive_reason="x"
        )
    obligation = services.obligation_report(
        actor=world.firm_admin,
        obligation=obligation,
        status="delivered",
        achieved=Decimal("20"),
        evidence=SimpleUploadedFile("receipt.pdf", b"%PDF"),
    )
    assert obligation.status == ObligationStatus.DELIVERED and obligation.delivered_on
    second = services.obligation_add(
        actor=world.secretariat,
        agreement=agreement,
        data={"party": firm_party, "description": "联合发布", "due_on": timezone.localdate()},
    )
    with pytest.raises(ValidationError):
        services.obligation_report(actor=world.secretariat, obligation=second, status="waived")
    waived = services.obligation_report(
        actor=world.secretariat, obligation=second, status="waived", waive_reason="双方协商取消"
    )
    assert waived.status == ObligationStatus.WAIVED


def test_reminders_due_soon_to_the_owner_overdue_to_the_secretariat(
    world, django_capture_on_commit_callbacks
):
    agreement = _agreement(world)
    parties = {p.organisation_id: p for p in agreement.parties.all()}
    today = timezone.localdate()
    soon = services.obligation_add(
        actor=world.secretariat,
        agreement=agreement,
        data={
            "party": parties[world.cast.firm.pk],
            "description": "送样",
            "due_on": today + dt.timedelta(days=5),
        },
    )
    late = services.obligation_add(
        actor=world.secretariat,
        agreement=agreement,
        data={
            "party": parties[world.cast.lab.pk],
            "description": "出具报告",
            "due_on": today - dt.timedelta(days=1),
        },
    )
    later = services.obligation_add(
        actor=world.secretariat,
        agreement=agreement,
        data={
            "party": parties[world.cast.firm.pk],
            "description": "发布",
            "due_on": today + dt.timedelta(days=90),
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = services.reminders_start(actor=world.secretariat, alliance=world.alliance)
    job.refresh_from_db()
    assert job.status == "succeeded", job.message_text
    assert job.result["due_soon"] == 1 and job.result["overdue"] == 1
    assert (
        Notification.objects.filter(recipient=world.firm_admin, message="alliance.obligation_due").count()
        == 1
    )
    assert (
        Notification.objects.filter(
            recipient=world.secretariat, message="alliance.obligation_overdue"
        ).count()
        == 1
    )
    late.refresh_from_db()
    assert late.status == ObligationStatus.OVERDUE
    later.refresh_from_db()
    assert later.reminded_due_at is None and later.status == "not_started"
    # A second sweep sends nothing again.
    assert services.obligation_reminders_send() == {"due_soon": 0, "overdue": 0}
    assert soon.pk


def test_reminders_run_once_a_day_as_a_calendar_duty(world):
    import datetime as dt

    from django.utils import timezone

    from jingxiang.jobs.periodic import run_due_periodic

    now = timezone.now().replace(hour=8) if timezone.localtime().hour < 7 else timezone.now()
    ran = run_due_periodic(now=now, keys=["alliance.obligation_reminders"])
    assert [key for key, _ in ran] == ["alliance.obligation_reminders"]
    assert run_due_periodic(now=now, keys=["alliance.obligation_reminders"]) == []
    assert isinstance(ran[0][1], dt.date)
