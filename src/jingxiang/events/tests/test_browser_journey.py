"""The issue's journey in a real browser: operator creates an event → participants register and request
meetings → requests accepted → operator runs the scheduler (background task with progress) → agendas
published → check-in → follow-up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jingxiang.events.models import Event, FollowUp, Meeting, Participant
from jingxiang.testing.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page) -> None:  # type: ignore[no-untyped-def]
    page.click("main form.card button[type=submit]")
    page.wait_for_load_state()


def test_event_from_creation_to_follow_up(cast, page, phone_page, live_server):
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    phone_page.on("dialog", lambda dialog: dialog.accept())
    today = timezone.localdate()
    deadline = timezone.localtime() + dt.timedelta(days=1)

    # The operator creates the event, its session and tables, and opens registration.
    login(page, base, "operator")
    page.goto(f"{base}/events/")
    page.click("a.button:has-text('新建对接会')")
    page.fill("#id_title", "镀膜工艺专场需求对接会")
    page.fill("#id_event_date", today.isoformat())
    page.fill("#id_venue", "中国·杜桥眼镜城 二楼会议厅")
    page.fill("#id_requests_expire_at", deadline.strftime("%Y-%m-%dT%H:%M"))
    screenshot(page, "events-create-desktop")
    submit(page)
    page.wait_for_selector("text=对接会已创建")
    page.click("a.button:has-text('添加场次')")
    page.fill("#id_name", "上午场")
    page.fill("#id_starts", "09:00")
    page.fill("#id_ends", "10:00")
    page.fill("#id_slot_minutes", "20")
    # Whatever the hour the test runs, the station may enter a session already under way, with a reason.
    page.fill("#id_backdate_reason", "测试:当天已开始的场次")
    submit(page)
    page.click("a.button:has-text('添加洽谈桌')")
    page.fill("#id_count", "3")
    submit(page)
    page.click("button:has-text('开放报名')")
    page.wait_for_selector("text=已开放报名")
    screenshot(page, "events-detail-operator-desktop")
    event = Event.objects.get(title="镀膜工艺专场需求对接会")
    assert event.status == "open" and event.slots.count() == 3 and event.tables.count() == 3
    page.context.clear_cookies()

    # The expert registers for all slots.
    login(page, base, "expert")
    page.goto(f"{base}/events/{event.pk}/")
    page.click("text=我要报名")
    for box in page.locator("input[name=slots]").all():
        box.check()
    page.fill("#id_needs", "可提供镜片镀膜工艺诊断")
    submit(page)
    page.wait_for_selector("text=报名成功")
    expert = Participant.objects.get(event=event, talent=cast.expert)

    # The firm's talent officer registers on a phone, with a bad first try, and asks for a meeting.
    login(phone_page, base, "talent_officer")
    phone_page.goto(f"{base}/events/{event.pk}/register/")
    phone_page.fill("#id_needs", "树脂镜片镀膜附着力不足")
    submit(phone_page)
    phone_page.wait_for_selector(".field-error")
    assert phone_page.input_value("#id_needs") == "树脂镜片镀膜附着力不足"
    phone_page.locator("input[name=slots]").first.check()
    phone_page.locator("input[name=slots]").nth(1).check()
    submit(phone_page)
    phone_page.wait_for_selector("text=报名成功")
    firm = Participant.objects.get(event=event, organisation=cast.firm)
    screenshot(phone_page, "events-participants-phone")
    row = phone_page.locator(f"[data-testid=request-{expert.pk}]")
    row.locator("input[value=must]").check()
    row.locator("button").click()
    phone_page.wait_for_selector("text=预约已发出")
    meeting = Meeting.objects.get(requester=firm, recipient=expert)
    assert meeting.priority == "must"

    # The expert accepts.
    page.goto(f"{base}/events/requests/?box=incoming")
    screenshot(page, "events-requests-desktop")
    page.click("text=去答复")
    page.check("input[name=decision][value=accept]")
    page.click("text=提交答复")
    page.wait_for_selector("text=已答复")
    page.context.clear_cookies()

    # The operator runs the scheduler as a background job, looks at the result and publishes it.
    login(page, base, "operator")
    page.goto(f"{base}/events/{event.pk}/schedule/")
    page.fill("#id_time_limit", "3")
    page.click("text=开始排程")
    page.wait_for_selector("#job-progress")
    page.wait_for_selector("text=排程完成")
    assert page.get_attribute(".progress", "aria-valuenow") == "100"
    screenshot(page, "events-schedule-job-desktop")
    page.click("a.button:has-text('查看结果')")
    page.wait_for_load_state()
    screenshot(page, "events-run-desktop")
    page.wait_for_selector("text=独立校验通过")
    screenshot(page, "events-run-desktop")
    page.click("button:has-text('发布日程')")
    page.wait_for_selector("text=日程已发布,参会者可以查看个人日程")
    meeting.refresh_from_db()
    assert meeting.slot_id and meeting.table_id and meeting.announced

    # The firm sees its agenda on the phone, with the personal check-in QR code.
    phone_page.goto(f"{base}/events/participants/{firm.pk}/agenda/")
    phone_page.wait_for_selector(f"text={expert.name}")
    assert phone_page.locator(".checkin-qr svg").count() == 1
    screenshot(phone_page, "events-agenda-phone")

    # At the door staff scan the firm's code; the expert is found by name.
    page.goto(f"{base}/events/checkin/{firm.checkin_code}/")
    page.click("text=确认签到")
    page.wait_for_selector(f"text={firm.name} 已签到")
    page.fill("#checkin-q", "林")
    page.click("text=查找")
    page.click("main table button:has-text('签到')")
    page.wait_for_selector(f"text={expert.name} 已签到")
    screenshot(page, "events-checkin-desktop")
    page.goto(f"{base}/events/{event.pk}/board/")
    screenshot(page, "events-board-desktop")
    # Time passes: the meeting's slot has begun (attendance is never marked before it).
    begun = timezone.now() - dt.timedelta(minutes=10)
    type(meeting.slot).objects.filter(pk=meeting.slot_id).update(starts_at=begun, ends_at=begun)
    page.goto(f"{base}/events/meetings/{meeting.pk}/")
    page.check("input[name=outcome][value=held]")
    page.click("form[action$='/attendance/'] button")
    page.wait_for_selector("text=到场情况已登记")

    # After the meeting the firm says yes: a follow-up appears in the report.
    phone_page.goto(f"{base}/events/meetings/{meeting.pk}/")
    phone_page.check("input[name=wants_cooperation][value=yes]")
    phone_page.select_option("#id_follow_up_kind", "sharing")
    phone_page.fill("#id_note", "请专家每月驻厂两天")
    screenshot(phone_page, "events-feedback-phone")
    phone_page.click("main aside form button:has-text('提交')")
    phone_page.wait_for_selector("text=洽谈结果已登记")
    assert FollowUp.objects.filter(meeting=meeting, kind="sharing").exists()
    page.goto(f"{base}/events/{event.pk}/report/")
    assert page.inner_text("[data-testid=follow-ups]") == "1"
    assert page.inner_text("[data-testid=held]") == "1"
    screenshot(page, "events-report-desktop")
