"""Issue 19's "Done when" for the fairs in a real browser: an exhibitor books a booth on the hall map and
meets two buyers at scheduled times — one with a login, one without, through her personal link (the
meeting requests, answers, scheduling and agenda being the events app's own flow) — then, while the
fair is on, records a lead by badge code, once."""

from __future__ import annotations

import pytest

from jingxiang.events.models import Meeting, RequestStatus
from jingxiang.fairs.models import Booth, Buyer, ExhibitorApplication
from jingxiang.fairs.tests.conftest import fair_is_on
from jingxiang.testing.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_user(page, base, username):  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    login(page, base, username)


def test_exhibitor_books_a_booth_on_the_map_and_meets_two_buyers(
    cast, fair_setup, page, phone_page, live_server
):
    base = live_server.url
    fair = fair_setup.fair
    page.on("dialog", lambda dialog: dialog.accept())

    # The exhibitor clicks a free booth on the hall map and applies for it.
    as_user(page, base, "firm_admin")
    page.goto(f"{base}/fairs/{fair.pk}/")
    assert page.get_attribute("[data-testid=booth-1A02]", "data-state") == "free"
    screenshot(page, "fairs-hall-map-desktop")
    page.click("[data-testid=booth-1A02]")
    page.click("[data-testid=apply-booth]")
    assert page.input_value("#id_first") == str(fair_setup.booths["1A02"].pk)
    page.fill("#id_products", "TR90 光学镜架")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=参展申请已提交")

    # The operator runs the allocation (a background job); the booth turns "allocated" on the map.
    as_user(page, base, "operator")
    page.goto(f"{base}/fairs/{fair.pk}/applications/")
    page.click("button:has-text('按志愿分配展位')")
    page.wait_for_selector("#job-progress")
    page.wait_for_selector("text=分配完成")
    page.goto(f"{base}/fairs/{fair.pk}/")
    assert page.get_attribute("[data-testid=booth-1A02]", "data-state") == "allocated"
    assert "已分配" in page.text_content("[data-testid=booth-1A02]")
    application = ExhibitorApplication.objects.get(fair=fair, organisation=cast.firm)
    assert Booth.objects.get(pk=fair_setup.booths["1A02"].pk).state == "allocated"

    # Buyer A pre-registers on a phone for the trading firm she runs and asks 康波 for a meeting.
    login(phone_page, base, "buyer_a")
    phone_page.goto(f"{base}/fairs/{fair.pk}/register/")
    phone_page.fill("#id_name", "Giulia Conti")
    phone_page.fill("#id_company", "米兰视界眼镜贸易公司")
    phone_page.select_option("#id_country", "IT")
    phone_page.fill("#id_mobile", "+39 333 765 4321")
    phone_page.select_option("#id_organisation", str(fair_setup.buyer_firm_a.pk))
    phone_page.click("main form button[type=submit]")
    phone_page.wait_for_selector("text=登记成功")
    assert phone_page.locator(".checkin-qr svg").count() == 1
    screenshot(phone_page, "fairs-badge-phone")
    buyer_a = Buyer.objects.get(fair=fair, user__username="buyer_a")
    phone_page.click("text=向参展商预约洽谈")
    phone_page.click(f"[data-testid=exhibitor-{application.pk}] a")
    phone_page.check("input[name=priority][value=must]")
    phone_page.click("main form button[type=submit]")
    phone_page.wait_for_selector("text=预约已发出")
    # Buyer B has no login: she pre-registers on her phone, the confirmation shows her personal link,
    # and through it she asks 康波 for a meeting (the same events request flow).
    phone_page.context.clear_cookies()
    phone_page.goto(f"{base}/fairs/{fair.pk}/register/")
    phone_page.fill("#id_name", "Anna Schmidt")
    phone_page.fill("#id_company", "Brillenhaus Schmidt GmbH")
    phone_page.select_option("#id_country", "DE")
    phone_page.fill("#id_mobile", "+49 170 1234567")
    phone_page.fill("#id_email", "anna@brillenhaus.example")
    phone_page.click("main form button[type=submit]")
    phone_page.wait_for_selector("text=登记成功")
    buyer_b = Buyer.objects.get(fair=fair, name="Anna Schmidt")
    assert buyer_b.user_id is None
    phone_page.click("text=打开我的专属页面")
    phone_page.wait_for_selector("[data-testid=personal-link]")
    screenshot(phone_page, "fairs-buyer-link-phone")
    phone_page.click(f"[data-testid=exhibitor-{application.pk}] a")
    phone_page.check("input[name=priority][value=nice]")
    phone_page.click("main form button[type=submit]")
    phone_page.wait_for_selector("text=预约已发出")
    assert Meeting.objects.filter(
        requester_id=buyer_b.participant_id, recipient=application.participant
    ).exists()

    # The exhibitor answers both requests on the events app's meeting page.
    as_user(page, base, "firm_admin")
    for _ in range(2):
        page.goto(f"{base}/fairs/{fair.pk}/meetings/")
        page.click("a:has-text('去答复') >> nth=0")
        page.check("input[name=decision][value=accept]")
        page.click("text=提交答复")
        page.wait_for_selector("text=已答复")
    assert Meeting.objects.filter(event=fair.event, status=RequestStatus.ACCEPTED).count() == 2

    # The operator schedules with the events app's scheduler and publishes.
    as_user(page, base, "operator")
    page.goto(f"{base}/fairs/{fair.pk}/")
    page.click("a.button:has-text('洽谈排程')")
    page.fill("#id_time_limit", "3")
    page.click("text=开始排程")
    page.wait_for_selector("text=排程完成")
    page.click("a.button:has-text('查看结果')")
    page.wait_for_selector("text=独立校验通过")
    page.click("button:has-text('发布日程')")
    page.wait_for_selector("text=日程已发布")

    # The exhibitor sees both buyers at their own times.
    as_user(page, base, "firm_admin")
    page.goto(f"{base}/fairs/{fair.pk}/meetings/")
    meetings = list(
        Meeting.objects.filter(event=fair.event, status=RequestStatus.ACCEPTED).select_related("slot")
    )
    assert len({m.slot_id for m in meetings}) == 2 and all(m.announced for m in meetings)
    for meeting in meetings:
        row = page.locator(f"[data-testid=meeting-{meeting.pk}]")
        assert str(meeting.slot) in row.text_content()
    screenshot(page, "fairs-meetings-desktop")
    page.click("a.button:has-text('洽谈日程')")
    page.wait_for_selector(f"text={fair_setup.buyer_firm_a.name}")
    page.wait_for_selector("text=Brillenhaus Schmidt GmbH")
    # Buyer B sees her meeting's time on her personal page too.
    phone_page.reload()
    mine = Meeting.objects.get(requester_id=buyer_b.participant_id)
    assert str(mine.slot) in phone_page.text_content(f"[data-testid=my-meeting-{mine.pk}]")

    # The fair is on: at the booth a badge typed once is a lead (leads are taken only while it is on).
    fair_is_on(fair)

    # Typed again, it is refused and the first is kept.
    page.goto(f"{base}/fairs/applications/{application.pk}/leads/")
    page.fill("#id_code", buyer_a.badge_number)
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=已记录线索")
    page.fill("#id_code", buyer_a.badge_number.lower())
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=无需重复扫码")
    assert application.leads.count() == 1
    page.goto(f"{base}/fairs/applications/{application.pk}/report/")
    assert page.text_content("[data-testid=report-leads]").strip() == "1"
    assert page.text_content("[data-testid=report-scheduled]").strip() == "2"
    screenshot(page, "fairs-report-desktop")
