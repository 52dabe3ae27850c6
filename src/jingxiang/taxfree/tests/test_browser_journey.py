"""The issue's "Done when" at tablet size: a store issues an instant refund → the customs file
arrives → the pre-authorisation is released; another visitor misses departure → recovery appears
on the agency's overdue list and is carried out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jingxiang.taxfree.models import FormStatus, RefundForm
from jingxiang.taxfree.tests.conftest import issue, traveller
from jingxiang.testing.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_instant_refund_released_and_missed_departure_recovered(
    tf: Any, page: Any, live_server: Any, tmp_path: Any
) -> None:
    page.set_viewport_size({"width": 1024, "height": 768})
    base = live_server.url
    today = timezone.localdate()
    login(page, base, "clerk")
    page.goto(f"{base}/taxfree/stores/{tf.store.pk}/counter/")
    page.fill("#id_traveller_name", "KIM MINJUN")
    page.select_option("#id_document_type", "passport")
    page.fill("#id_nationality", "KOR")
    page.fill("#id_document_number", "M12345678")
    page.fill("#id_last_entry_date", (today - dt.timedelta(days=5)).isoformat())
    page.fill("#id_invoice_number", "25332000000012345678")
    page.fill(f"#id_qty_{tf.cloth.pk}", "1")
    page.wait_for_selector("#verdict :text('200.00')")  # the live verdict: below the threshold
    page.fill(f"#id_qty_{tf.frame.pk}", "1")
    page.check("#id_instant")
    page.fill("#id_promised_departure_date", (today + dt.timedelta(days=10)).isoformat())
    page.check("#id_consent_signed")
    page.fill("#id_preauth_reference", "PA-778899")
    page.wait_for_selector("#verdict :text('可以开单')")
    screenshot(page, "taxfree-counter-tablet")
    page.click("main form.card .toolbar button[type=submit]")
    page.wait_for_url("**/taxfree/forms/*/")
    form = RefundForm.objects.get()
    assert form.status == FormStatus.PAID_OUT and form.advance > 0
    assert "M*****678" in page.content()

    # Another visitor with an instant refund whose promised departure has passed.
    missed = issue(
        tf,
        [(tf.frame, 1)],
        number="E99887766",
        day=today - dt.timedelta(days=20),
        traveller=traveller(entry=today - dt.timedelta(days=30)),
        instant=True,
        promised_departure_date=today - dt.timedelta(days=2),
        promised_port="HGH",
        consent_signed=True,
        preauth_reference="PA-112233",
    )

    page.context.clear_cookies()
    login(page, base, "agent")
    csv_file = tmp_path / "customs.csv"
    csv_file.write_text(
        f"申请单号,验核结果,验核日期,口岸\n{form.number},已验核,{today.isoformat()},HGH\n", encoding="utf-8"
    )
    page.goto(f"{base}/taxfree/agency/verifications/")
    page.set_input_files("#id_file", str(csv_file))
    page.click("main form.card button[type=submit]")
    page.wait_for_url("**/jobs/*/")
    form.refresh_from_db()
    assert form.status == FormStatus.RELEASED

    page.goto(f"{base}/taxfree/agency/")
    assert missed.number in page.content()
    screenshot(page, "taxfree-agency-overdue")
    page.click("form[action$='/agency/recovery/'] button[type=submit]")
    page.wait_for_url("**/jobs/*/")
    missed.refresh_from_db()
    assert missed.status == FormStatus.RECOVERED and missed.recovery_amount == missed.advance
