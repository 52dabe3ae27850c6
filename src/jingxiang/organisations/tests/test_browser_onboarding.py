"""The foundation journey in a real browser: register → approve → add people → export → import."""

from __future__ import annotations

import random

import pytest
from openpyxl import Workbook, load_workbook

from jingxiang.identifiers import generate_uscc
from jingxiang.talents.models import Talent
from jingxiang.talents.services import skills_sync
from jingxiang.testing.browser import login, pick, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_approve_add_people_export_and_import(cast, page, phone_page, live_server, tmp_path):
    skills_sync()
    base = live_server.url
    uscc = generate_uscc(random.Random(42), region_code="331082")

    # A firm registers on a phone.
    phone_page.goto(f"{base}/organisations/register/")
    phone_page.fill("#id_name", "临海市晨光眼镜有限公司")
    phone_page.select_option("#id_kind", "firm")
    phone_page.fill("#id_uscc", uscc)
    phone_page.fill("#id_region", "杜桥镇")
    phone_page.fill("#id_applicant_name", "何晨")
    phone_page.fill("#id_applicant_mobile", "13957600001")
    phone_page.fill("#id_username", "chenguang")
    phone_page.fill("#id_password1", "Duqiao-2026-glasses")
    phone_page.fill("#id_password2", "Duqiao-2026-glasses")
    phone_page.check("#id_privacy_consent")
    screenshot(phone_page, "foundation-register-phone")
    phone_page.click("main form button[type=submit]")
    phone_page.wait_for_load_state()
    screenshot(phone_page, "foundation-after-register-phone")
    phone_page.wait_for_selector("text=入驻申请审核中")
    screenshot(phone_page, "foundation-pending-phone")

    # The operator approves it from the review queue.
    login(page, base, "operator")
    page.goto(f"{base}/organisations/review/")
    page.click("text=临海市晨光眼镜有限公司")
    page.check("input[name=decision][value=approve]")
    page.click("text=提交审核结果")
    page.wait_for_selector("text=审核结果已保存")
    page.context.clear_cookies()

    # The firm admin adds a member and a talent.
    login(page, base, "chenguang", "Duqiao-2026-glasses")
    page.goto(f"{base}/organisations/mine/")
    page.wait_for_selector("text=已入驻")
    page.click("text=添加成员")
    page.fill("#id_display_name", "何小晨")
    page.fill("#id_mobile", "13957600002")
    page.fill("#id_username", "hexiaochen")
    page.select_option("#id_role", "talent_officer")
    page.fill("#id_password", "Another-pass-2026")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=已添加成员")
    page.goto(f"{base}/talents/new/")
    page.fill("#id_name", "何师傅")
    page.select_option("#id_kind", "craftsman")
    page.fill("#id_mobile", "13957600003")
    pick(page, "id_skills", "jfs", "减反射镀膜")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=已添加人才档案")
    assert page.locator("text=139****0003").count() == 1
    screenshot(page, "foundation-talent-detail")

    # Export the talent directory, filtered by pinyin initials.
    page.goto(f"{base}/talents/?q=hsf")
    page.wait_for_selector("text=何师傅")
    with page.expect_download() as download_info:
        page.click("text=导出 Excel")
    exported_path = tmp_path / "export.xlsx"
    download_info.value.save_as(exported_path)
    assert download_info.value.suggested_filename.endswith(".xlsx")
    exported = load_workbook(exported_path).active
    names = [row[0].value for row in exported.iter_rows(min_row=2)]
    assert names == ["何师傅"]
    screenshot(page, "foundation-talent-list")

    # Import a file with one bad row: the error is shown and nothing is imported.
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "人才类别", "所在单位", "手机号"])
    sheet.append(["甲师傅", "工匠", "临海市晨光眼镜有限公司", "13957600004"])
    sheet.append(["乙师傅", "工匠", "临海市晨光眼镜有限公司", "12345"])
    path = tmp_path / "talents.xlsx"
    book.save(path)
    page.goto(f"{base}/jobs/import/talents/")
    page.set_input_files("input[type=file]", str(path))
    page.click("text=上传并校验")
    page.wait_for_selector("[data-testid=import-errors]")
    assert page.locator("[data-testid=import-errors]").inner_text().count("第 3 行") == 1
    assert page.locator("text=未导入任何数据").count() >= 1
    screenshot(page, "foundation-import-errors")
    assert not Talent.objects.filter(name__in=["甲师傅", "乙师傅"]).exists()

    # Phone layout: the list becomes cards and the menu opens from the top bar.
    phone_page.goto(f"{base}/talents/")
    phone_page.click("[data-nav-toggle]")
    phone_page.wait_for_selector("#sidenav.open")
    screenshot(phone_page, "foundation-talents-phone")
