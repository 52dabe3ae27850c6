"""The issue's "Done when" in a real browser.

1. A firm requests a test → the lab registers the sample → results are entered → automatic verdicts →
   a second person reviews and approves → the PDF report is verified on the public page.
2. A brand authorisation (杜桥眼镜) is approved and then suspended by a later failing report.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jingxiang.lab import services
from jingxiang.lab.models import BrandAuthorisation, Instrument, Report, Sample
from jingxiang.lab.tests.conftest import BAD_GOGGLES
from jingxiang.organisations.models import Role
from jingxiang.testing.browser import login, screenshot
from jingxiang.testing.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _lab_people(cast):  # type: ignore[no-untyped-def]
    reviewer = UserFactory(username="lab_reviewer", display_name="沈若兰")
    MembershipFactory(user=reviewer, organisation=cast.lab, role=Role.LAB_STAFF)
    today = timezone.localdate()
    Instrument.objects.create(
        lab=cast.lab,
        name="分光光度计",
        kind="spectrophotometer",
        serial="SP-1",
        calibration_due=today + datetime.timedelta(days=90),
    )
    Instrument.objects.create(
        lab=cast.lab,
        name="焦度计",
        kind="focimeter",
        serial="LM-1",
        calibration_due=today - datetime.timedelta(days=3),
    )
    return reviewer


def _switch(page, base, username):  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    login(page, base, username)


def test_request_sample_results_review_report_and_public_verification(cast, page, phone_page, live_server):
    _lab_people(cast)
    base = live_server.url

    # The firm submits a test request for plateau goggles.
    login(page, base, "firm_admin")
    page.goto(f"{base}/lab/")
    page.click("text=提交检测委托")
    page.select_option("#id_product_type", "high_altitude_goggles")
    page.click("main form button[type=submit]")
    page.select_option("#id_lab", label="东华大学检测实验室")
    page.fill("#id_product_line_name", "雪域 GX 高原护目镜")
    page.fill("#id_product_name", "GX-7 冬季款")
    page.select_option("#id_standard", "JX-HA-2026")
    page.fill("#id_quantity", "1")
    page.fill("#id_nominal_note", "标称 4 类")
    screenshot(page, "lab-request-form")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=委托已提交")
    page.wait_for_selector("text=等待 东华大学检测实验室 收样登记")
    screenshot(page, "lab-request-detail")

    # The lab registers the sample and prints its label.
    _switch(page, base, "lab_staff")
    page.goto(f"{base}/lab/?status=submitted")
    page.click("table.list td a")
    page.fill("#id_location", "样品柜 A3")
    page.click("text=登记样品并生成编号")
    page.wait_for_selector("text=样品已登记")
    sample = Sample.objects.get()
    assert sample.code.endswith("-00001")
    page.click("a:has-text('打印样品标签')")
    page.wait_for_selector(f"[data-testid=sample-code]:has-text('{sample.code}')")
    assert page.locator(".sample-label svg").count() == 1
    screenshot(page, "lab-sample-label")

    # Results are entered; an expired instrument is not offered; a typo is caught and kept.
    page.goto(f"{base}/lab/samples/{sample.pk}/results/")
    options = page.locator("#id_instrument option").all_inner_texts()
    assert any("SP-1" in option for option in options)
    assert not any("LM-1" in option for option in options)
    page.select_option("#id_instrument", label="分光光度计 (SP-1)")
    page.fill("#id_nominal__all__declared_category", "4")
    page.fill("#id_measured__all__luminous_transmittance", "-5.2")
    page.fill("#id_measured__all__uvb_transmittance", "0.4")
    page.fill("#id_measured__all__uva_transmittance", "1.5")
    page.select_option("#id_measured__all__marked_not_for_driving", "yes")
    page.click("button[value=submit]")
    page.wait_for_selector("text=超出物理上可能的范围")
    assert page.input_value("#id_measured__all__uva_transmittance") == "1.5"
    page.fill("#id_measured__all__luminous_transmittance", "5.2")
    screenshot(page, "lab-results-form")
    page.click("button[value=submit]")
    page.wait_for_selector("text=已提交审核")
    page.wait_for_selector("text=自动判定")
    assert page.locator("text=四眼原则").count() == 1
    screenshot(page, "lab-sample-awaiting-review")

    # A second person reviews and approves; the report is issued.
    _switch(page, base, "lab_reviewer")
    page.goto(f"{base}/lab/samples/?status=awaiting_review")
    page.click(f"text={sample.code}")
    page.check("input[name=decision][value=approve]")
    page.fill("#id_note", "数据复核无误")
    screenshot(page, "lab-review-form")
    page.click("text=提交审核结论")
    page.wait_for_selector("text=报告已签发")
    report = Report.objects.get()
    assert report.overall == "pass" and report.approved_by.username == "lab_reviewer"
    screenshot(page, "lab-report-detail")
    pdf = page.request.get(f"{base}/lab/reports/{report.pk}/pdf/")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # The firm sees its report; anyone scanning the QR code sees the public verification page.
    _switch(page, base, "firm_admin")
    page.goto(f"{base}/lab/reports/")
    page.click(f"text={report.number}")
    page.wait_for_selector("text=合格")
    verify_href = page.get_attribute("[data-testid=verify-link]", "href")
    assert report.verify_code in verify_href
    phone_page.goto(f"{base}/verify/report/{report.verify_code}/")
    phone_page.wait_for_selector("text=有效")
    assert phone_page.locator("text=东华大学检测实验室").count() >= 1
    assert phone_page.locator("dt:has-text('检测结论') + dd").inner_text() == "合格"
    screenshot(phone_page, "lab-report-verify-phone")
    tampered = report.verify_code[:-1] + ("1" if report.verify_code.endswith("0") else "0")
    phone_page.goto(f"{base}/verify/report/{tampered}/")
    phone_page.wait_for_selector("text=未找到")

    # The firm's quality picture and report on a phone.
    login(phone_page, base, "firm_admin")
    phone_page.goto(f"{base}/lab/quality/")
    phone_page.wait_for_selector("[data-testid=report-total]:has-text('1')")
    screenshot(phone_page, "lab-quality-firm-phone")
    phone_page.goto(f"{base}/lab/reports/{report.pk}/")
    phone_page.wait_for_selector("text=检测项目与结果")
    screenshot(phone_page, "lab-report-detail-phone")


def test_brand_authorisation_is_suspended_by_a_later_failing_report(cast, page, phone_page, live_server):
    reviewer = _lab_people(cast)
    instrument = Instrument.objects.get(serial="SP-1")
    base = live_server.url

    def report(values):  # type: ignore[no-untyped-def]
        request = services.request_submit(
            actor=cast.firm_admin,
            firm=cast.firm,
            lab=cast.lab,
            product_type="high_altitude_goggles",
            product_line_name="雪域 GX 高原护目镜",
            product_name="GX-7",
            standard="JX-HA-2026",
            items=[],
            quantity=1,
        )
        sample = services.sample_register(actor=cast.lab_staff, request=request)
        return services.results_enter(
            actor=cast.lab_staff,
            sample=sample,
            test_date=timezone.localdate(),
            instrument=instrument,
            nominal=values["nominal"],
            measured=values["measured"],
            submit=True,
        )

    from jingxiang.lab.tests.conftest import GOOD_GOGGLES

    services.result_review(actor=reviewer, sample=report(GOOD_GOGGLES), approve=True)

    # The firm applies for the regional brand on its product line.
    login(page, base, "talent_officer")
    page.goto(f"{base}/lab/brand/")
    page.click("text=申请品牌授权")
    page.select_option("#id_product_line", label="雪域 GX 高原护目镜")
    page.fill("#id_note", "用于雪域 GX 系列包装")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=等待 平台运营人员 审批")
    screenshot(page, "lab-brand-pending")

    # The operator approves: the authorisation gets a number and a QR code.
    _switch(page, base, "operator")
    page.goto(f"{base}/lab/brand/?status=pending")
    page.click("table.list td a")
    page.check("input[name=decision][value=approve]")
    page.click("text=提交审批结论")
    page.wait_for_selector("text=审批结果已保存")
    brand = BrandAuthorisation.objects.get()
    assert brand.status == "active" and brand.number.startswith("DQ-")
    screenshot(page, "lab-brand-active")
    phone_page.goto(f"{base}/verify/brand/{brand.verify_code}/")
    phone_page.wait_for_selector(".verify-result >> text=有效")
    screenshot(phone_page, "lab-brand-verify-active-phone")

    # A later failing report (no "not for driving" marking) is approved by the second person ...
    failing = report(BAD_GOGGLES)
    _switch(page, base, "lab_reviewer")
    page.goto(f"{base}/lab/samples/{failing.pk}/")
    page.wait_for_selector("text=不合格")
    page.check("input[name=decision][value=approve]")
    page.click("text=提交审核结论")
    page.wait_for_selector("text=报告已签发")

    # ... which suspends the authorisation, tells the firm, and shows on the public page.
    _switch(page, base, "firm_admin")
    page.goto(f"{base}/notifications/")
    page.wait_for_selector(f"text=区域品牌授权 {brand.number} 已自动暂停")
    page.goto(f"{base}/lab/brand/{brand.pk}/")
    page.wait_for_selector("[data-testid=suspension]")
    assert "HA-NODRIVE" in page.inner_text("[data-testid=suspension]")
    screenshot(page, "lab-brand-suspended")
    phone_page.goto(f"{base}/verify/brand/{brand.verify_code}/")
    phone_page.wait_for_selector(".verify-result >> text=已暂停")
    screenshot(phone_page, "lab-brand-verify-suspended-phone")


def test_operator_uploads_a_standard_edition_and_lab_batch_entry_reports_bad_rows(
    cast, page, live_server, tmp_path
):
    from jingxiang.lab.tests.test_imports import HEADER, goggle_rows
    from jingxiang.lab.tests.test_services import _new_edition_text

    _lab_people(cast)
    base = live_server.url

    # A broken rules file: every problem is listed, nothing is stored; then the good file is accepted.
    login(page, base, "operator")
    page.goto(f"{base}/lab/standards/")
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        _new_edition_text()
        .replace("kind: range", "kind: no_such_kind")
        .replace('band: "(43, 80]"', 'band: "(40, 80]"'),
        encoding="utf-8",
    )
    page.set_input_files("#id_file", str(broken))
    page.click("text=校验并上传")
    page.wait_for_selector("[data-testid=rules-errors]")
    assert page.locator("[data-testid=rules-errors] li").count() >= 2
    screenshot(page, "lab-rules-upload-errors")
    good = tmp_path / "jx-hax-2027.yaml"
    good.write_text(_new_edition_text(), encoding="utf-8")
    page.set_input_files("#id_file", str(good))
    page.click("text=校验并上传")
    page.wait_for_selector("text=JX-HAX-2027 已上传并生效")

    # Batch entry: one bad row stops the whole file, with its row number and reason.
    request = services.request_submit(
        actor=cast.firm_admin,
        firm=cast.firm,
        lab=cast.lab,
        product_type="high_altitude_goggles",
        product_line_name="雪域 GX",
        product_name="GX-7",
        standard="JX-HAX-2027",
        items=[],
        quantity=1,
    )
    sample = services.sample_register(actor=cast.lab_staff, request=request)
    rows = goggle_rows(sample.code)
    rows[1][2] = "150"
    csv_path = tmp_path / "instrument-export.csv"
    csv_path.write_text("\n".join(",".join(r) for r in [HEADER, *rows]), encoding="utf-8")
    page.context.clear_cookies()
    login(page, base, "lab_staff")
    page.goto(f"{base}/lab/batch/")
    page.set_input_files("#id_file", str(csv_path))
    page.click("text=上传并校验")
    page.wait_for_selector("[data-testid=import-errors]")
    assert "第 3 行" in page.inner_text("[data-testid=import-errors]")
    screenshot(page, "lab-batch-errors")
    sample.refresh_from_db()
    assert sample.measured == {}


WEAK_UVA = {
    "nominal": {"declared_category": 4},
    "measured": {
        "luminous_transmittance": "5.2",
        "uvb_transmittance": "0.4",
        "uva_transmittance": "3.0",
        "marked_not_for_driving": True,
    },
}


def test_indicative_failure_is_decided_before_approval_and_editions_in_force_are_told_up_front(
    cast, page, phone_page, live_server
):
    """Issue 11: a failing indicative row blocks approval until the reviewer decides it; the
    decision shows on the report and the public page, the brand follows, and a 定配眼镜 request
    after 2026-03-01 is told about GB/T 13511.1-2025 when it is made."""
    reviewer = _lab_people(cast)
    base = live_server.url
    good = services.request_submit(
        actor=cast.firm_admin,
        firm=cast.firm,
        lab=cast.lab,
        product_type="high_altitude_goggles",
        product_line_name="雪域 GX",
        product_name="GX-7",
        standard="JX-HA-2026",
        items=[],
        quantity=2,
    )
    instrument = Instrument.objects.get(serial="SP-1")
    first = services.sample_register(actor=cast.lab_staff, request=good)
    services.results_enter(
        actor=cast.lab_staff,
        sample=first,
        test_date=timezone.localdate(),
        instrument=instrument,
        nominal={"declared_category": 4},
        measured={**WEAK_UVA["measured"], "uva_transmittance": "1.5"},
        submit=True,
    )
    passed = services.result_review(actor=reviewer, sample=first, approve=True)
    brand = services.brand_apply(actor=cast.firm_admin, product_line=passed.product_line)
    brand = services.brand_review(actor=cast.operator, brand=brand, approve=True)
    phone_page.goto(f"{base}/lab/brand/directory/?q=雪域")
    phone_page.wait_for_selector(f"[data-testid=brand-directory] >> text={brand.number}")
    screenshot(phone_page, "lab-brand-directory-phone")

    weak = services.sample_register(actor=cast.lab_staff, request=good)
    services.results_enter(
        actor=cast.lab_staff,
        sample=weak,
        test_date=timezone.localdate(),
        instrument=instrument,
        nominal=WEAK_UVA["nominal"],
        measured=WEAK_UVA["measured"],
        submit=True,
    )
    login(page, base, "lab_reviewer")
    page.goto(f"{base}/lab/samples/{weak.pk}/")
    page.wait_for_selector("[data-testid=pending-decisions]:has-text('HA-UV-A')")
    page.check("input[name=decision][value=approve]")
    page.click("text=提交审核结论")
    page.wait_for_selector("text=须逐项决定后才能批准")
    assert not Report.objects.filter(sample=weak).exists()
    page.select_option("#id_decide__HA-UV-A", "confirm")
    page.check("input[name=decision][value=approve]")
    screenshot(page, "lab-review-indicative-decision")
    page.click("text=提交审核结论")
    page.wait_for_selector("text=报告已签发")
    report = Report.objects.get(sample=weak)
    assert report.overall == "fail"
    page.wait_for_selector("[data-testid=indicative-decision]:has-text('计入结论')")
    phone_page.goto(f"{base}/verify/report/{report.verify_code}/")
    assert phone_page.locator("dt:has-text('检测结论') + dd").inner_text() == "不合格"
    phone_page.wait_for_selector("text=限值已对照标准原文确认")
    brand.refresh_from_db()
    assert brand.status == "suspended"
    phone_page.goto(f"{base}/lab/brand/directory/")
    phone_page.wait_for_selector("text=目前没有有效的")
    assert brand.number not in phone_page.content()

    # A 定配眼镜 request today (after 2026-03-01): the notice comes with the form.
    _switch(page, base, "firm_admin")
    page.goto(f"{base}/lab/requests/new/?product_type=assembled_spectacles")
    page.wait_for_selector("[data-testid=edition-notice]:has-text('GB/T 13511.1-2025')")
    page.select_option("#id_lab", label="东华大学检测实验室")
    page.fill("#id_product_line_name", "定配 A 系列")
    page.select_option("#id_standard", "GB 13511.1-2011")
    page.fill("#id_quantity", "1")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=委托方指定标准")
    page.check("input[name=basis][value=client_named]")
    page.fill("#id_contract_reference", "HT-2026-118")
    screenshot(page, "lab-request-client-named")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=委托已提交")
    page.wait_for_selector("[data-testid=client-named]:has-text('HT-2026-118')")
