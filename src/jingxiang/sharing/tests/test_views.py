"""Through HTTP: bad input gets a clear message and keeps what was typed; exports; attention cards."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jingxiang.core.navigation import attention_for
from jingxiang.sharing import services
from jingxiang.sharing.models import Booking, SharingProfile, SharingRequest
from jingxiang.sharing.tests.builders import book_slot, request_data, slot

pytestmark = pytest.mark.django_db


def test_request_form_keeps_input_and_names_the_problem(cast, client):
    client.force_login(cast.talent_officer)
    response = client.post(
        "/sharing/requests/new/",
        {
            "firm": cast.firm.pk,
            "title": "镀膜攻关",
            "problem": "<script>alert(1)</script>",
            "hours_needed": "16",
            "period_start": "2026-06-30",
            "period_end": "2026-06-01",
            "mode": "onsite",
            "budget": "abc",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "结束日期不能早于开始日期" in html
    assert 'value="镀膜攻关"' in html
    assert not SharingRequest.objects.exists()


def test_overlapping_booking_is_refused_in_the_form(cast, client, sharing):
    day = timezone.localdate() + dt.timedelta(days=1)
    starts, ends = slot(day, 9, 12)
    services.booking_create(
        actor=cast.talent_officer, agreement=sharing.agreement, starts_at=starts, ends_at=ends
    )
    client.force_login(cast.firm_admin)
    response = client.post(
        f"/sharing/agreements/{sharing.agreement.pk}/book/",
        {"date": day.isoformat(), "start_time": "10:00", "end_time": "11:00", "note": "复测"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "同一时段不能重复预约" in html
    assert 'value="复测"' in html and 'value="10:00"' in html
    assert Booking.objects.count() == 1


def test_timesheet_beyond_the_booking_is_refused_in_the_form(cast, client, sharing):
    booking = book_slot(cast, sharing.agreement, timezone.localdate() - dt.timedelta(days=1), 9, 12)
    client.force_login(cast.expert_user)
    response = client.post(f"/sharing/bookings/{booking.pk}/log/", {"hours": "5", "description": "全天"})
    assert "未预约的时间不能登记" in response.content.decode()
    assert 'value="5"' in response.content.decode()


def test_signing_as_a_non_party_shows_the_rule(cast, client):
    from jingxiang.sharing.tests.builders import make_agreement

    agreement = make_agreement(cast, sign=False).agreement
    client.force_login(cast.other_firm_admin)
    response = client.post(f"/sharing/agreements/{agreement.pk}/sign/", {"party": "host"}, follow=True)
    assert "不是该协议" in response.content.decode()
    assert not agreement.signatures.exists()


def test_profile_calendar_form_explains_bad_lines(cast, client):
    client.force_login(cast.expert_user)
    response = client.post(
        f"/sharing/pool/{cast.expert.pk}/edit/",
        {"offers_onsite": "on", "windows": "周一 09:00-17:00\n星期八 9-5", "exceptions": "明天"},
    )
    html = response.content.decode()
    assert "第 2 行格式不对" in html and "第 1 行格式不对" in html
    assert "星期八 9-5" in html
    response = client.post(
        f"/sharing/pool/{cast.expert.pk}/edit/",
        {"offers_remote": "on", "windows": "周六 08:00-12:00", "exceptions": "2026-12-01 出差"},
    )
    assert response.status_code == 302
    profile = SharingProfile.objects.get(talent=cast.expert)
    assert [str(w) for w in profile.windows.all()] == ["周六 08:00–12:00"]
    assert not profile.offers_onsite and profile.offers_remote
    assert profile.exceptions.get().note == "出差"


def test_profile_needs_a_service_mode(cast, client):
    client.force_login(cast.expert_user)
    response = client.post(f"/sharing/pool/{cast.expert.pk}/edit/", {"windows": "周一 09:00-17:00"})
    assert "至少选择一种服务方式" in response.content.decode()


def test_outcome_form_refuses_a_bad_patent_number(cast, client, sharing):
    client.force_login(cast.talent_officer)
    response = client.post(
        f"/sharing/agreements/{sharing.agreement.pk}/outcome/", {"rating": "5", "patent_number": "ABC"}
    )
    assert "专利申请号格式不正确" in response.content.decode()
    assert 'value="ABC"' in response.content.decode()


def test_export_is_exactly_what_is_filtered(cast, client):
    services.request_file(actor=cast.talent_officer, firm=cast.firm, data=request_data(title="镀膜攻关"))
    closed = services.request_file(
        actor=cast.talent_officer, firm=cast.firm, data=request_data(title="注塑缩痕")
    )
    services.request_close(actor=cast.talent_officer, request=closed)
    client.force_login(cast.operator)
    response = client.get("/sharing/requests/?status=open&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["镀膜攻关"]
    page = client.get("/sharing/requests/?status=open").content.decode()
    assert "共 1 条" in page and "注塑缩痕" not in page


def test_attention_cards(cast, sharing):
    booking = book_slot(cast, sharing.agreement, timezone.localdate() - dt.timedelta(days=1), 9, 10)
    services.timesheet_log(actor=cast.expert_user, booking=booking, hours=booking.hours, description="x")
    titles = {card["title"]: card["count"] for card in attention_for(cast.talent_officer)}
    assert titles.get("待确认的共享人才工时") == 1
    services.request_file(actor=cast.talent_officer, firm=cast.firm, data=request_data())
    operator_cards = {card["title"]: card["count"] for card in attention_for(cast.operator)}
    assert operator_cards.get("共享驿站:待匹配的共享需求") == 1


def test_filters_answer_htmx_with_the_table_only(cast, client):
    services.request_file(actor=cast.talent_officer, firm=cast.firm, data=request_data(title="镀膜攻关"))
    client.force_login(cast.talent_officer)
    response = client.get("/sharing/requests/?q=镀膜", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and "镀膜攻关" in html and "共 1 条" in html


def test_home_sends_each_person_to_their_start(cast, client):
    for user, target in [
        (cast.operator, "/sharing/dashboard/"),
        (cast.expert_user, "/sharing/me/"),
        (cast.talent_officer, "/sharing/requests/"),
        (cast.lab_staff, "/sharing/pool/"),
    ]:
        client.force_login(user)
        assert client.get("/sharing/")["Location"] == target


def test_booking_form_shows_the_time_rules_with_the_other_errors(cast, client, sharing):
    from jingxiang.core.models import TimeRuleOverride

    url = f"/sharing/agreements/{sharing.agreement.pk}/book/"
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    client.force_login(cast.talent_officer)
    response = client.post(
        url, {"date": yesterday, "start_time": "09:00", "end_time": "08:00", "note": "<b>复测</b>"}
    )
    html = response.content.decode()
    assert "有 3 处需要修改" in html
    assert "预约开始时间不能早于现在" in html and "结束时间必须晚于开始时间" in html
    assert 'name="backdate_reason"' not in html  # only operators back-date
    # The station enters the booking that took place, giving its reason.
    client.force_login(cast.operator)
    assert 'name="backdate_reason"' in client.get(url).content.decode()
    response = client.post(
        url,
        {"date": yesterday, "start_time": "09:00", "end_time": "12:00", "backdate_reason": "纸质派工单补录"},
    )
    assert response.status_code == 302
    assert TimeRuleOverride.objects.filter(field_name="starts_at", reason="纸质派工单补录").exists()
    assert Booking.objects.get().created_by == cast.operator


def test_timesheet_form_refuses_work_that_has_not_begun(cast, client, sharing):
    starts, ends = slot(timezone.localdate() + dt.timedelta(days=1), 9, 12)
    booking = services.booking_create(
        actor=cast.talent_officer, agreement=sharing.agreement, starts_at=starts, ends_at=ends
    )
    client.force_login(cast.expert_user)
    response = client.post(f"/sharing/bookings/{booking.pk}/log/", {"hours": "3", "description": "全天"})
    assert response.status_code == 200
    assert "工作时间不能晚于现在" in response.content.decode()
    assert not booking.timesheets.exists()


def test_lists_show_facts_about_their_rows_in_the_page_and_in_the_htmx_table(cast, client, sharing):
    day = timezone.localdate() - dt.timedelta(days=1)
    booking = book_slot(cast, sharing.agreement, day, 9, 12)
    timesheet = services.timesheet_log(
        actor=cast.expert_user, booking=booking, hours=booking.hours, description="x"
    )
    services.timesheet_review(actor=cast.talent_officer, timesheet=timesheet, approve=True)
    services.statement_generate(actor=cast.operator, agreement=sharing.agreement, month=day)
    client.force_login(cast.operator)
    for headers in ({}, {"HX-Request": "true"}):
        pool = client.get("/sharing/pool/", headers=headers).content.decode()
        free = 20 - 3 if day.month == timezone.localdate().month else 20
        assert f"{free} / 20" in pool  # hours still free this month, counted for the page's rows
        statements = client.get(f"/sharing/statements/?month={day:%Y-%m}", headers=headers).content.decode()
        assert "按企业合计" in statements and "900.00" in statements
