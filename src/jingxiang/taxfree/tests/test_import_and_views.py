from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from jingxiang.core.imports import run_import
from jingxiang.taxfree.imports import VerificationImport, as_workbook
from jingxiang.taxfree.models import FormStatus, RefundForm, Verification
from jingxiang.taxfree.tests.conftest import TODAY, issue
from jingxiang.taxfree.tests.test_services import instant_form
from jingxiang.testing.matrix import RouteCase, check_matrix

pytestmark = pytest.mark.django_db


def _csv(*rows: str) -> bytes:
    return as_workbook(("申请单号,验核结果,验核日期,口岸\n" + "\n".join(rows) + "\n").encode())


def test_import_refuses_unknown_and_duplicates_and_saves_nothing(tf: Any) -> None:
    form = instant_form(tf)
    data = _csv(
        f"{form.number},已验核,2026-12-10,HGH",
        "DQTR2026-999999,已验核,2026-12-10,HGH",
        f"{form.number},verified,2026-12-10,HGH",
    )
    result = run_import(VerificationImport(), data, tf.agent, lambda *a: None)
    assert not result.ok
    rows = sorted(error.row for error in result.errors)
    assert rows == [3, 4]
    assert not Verification.objects.exists()
    form.refresh_from_db()
    assert form.status == FormStatus.PAID_OUT


def test_import_releases_preauthorisation(tf: Any) -> None:
    form = instant_form(tf)
    result = run_import(
        VerificationImport(), _csv(f"{form.number},已验核,2026-12-10,HGH"), tf.agent, lambda *a: None
    )
    assert result.ok and result.created == 1
    form.refresh_from_db()
    assert form.status == FormStatus.RELEASED


def test_import_other_agency_form_is_unknown(tf: Any, cast: Any) -> None:
    form = instant_form(tf)
    result = run_import(
        VerificationImport(), _csv(f"{form.number},已验核,2026-12-10,HGH"), cast.operator, lambda *a: None
    )
    assert not result.ok


def test_verified_row_needs_date(tf: Any) -> None:
    form = instant_form(tf)
    result = run_import(VerificationImport(), _csv(f"{form.number},已验核,,HGH"), tf.agent, lambda *a: None)
    assert not result.ok


def test_role_matrix(cast: Any, tf: Any, monkeypatch: Any) -> None:
    form = issue(tf, [(tf.frame, 1)])
    personas = {**cast.by_role(), "clerk": tf.clerk, "agent": tf.agent, "tax_officer": tf.officer}
    monkeypatch.setattr(type(cast), "by_role", lambda self: personas)
    seeing = frozenset({"clerk", "agent", "tax_officer", "operator"})
    cases = [
        RouteCase("stores", "/taxfree/", seeing | {"firm_admin", "talent_officer", "other_firm_admin"}),
        RouteCase("store", f"/taxfree/stores/{tf.store.pk}/", seeing | {"firm_admin", "talent_officer"}),
        RouteCase("counter", f"/taxfree/stores/{tf.store.pk}/counter/", frozenset({"clerk"})),
        RouteCase("forms", "/taxfree/forms/", seeing),
        RouteCase("form", f"/taxfree/forms/{form.pk}/", seeing),
        RouteCase("pdf", f"/taxfree/forms/{form.pk}/pdf/", seeing),
        RouteCase("agency", "/taxfree/agency/", frozenset({"agent"})),
        RouteCase("reconciliation", "/taxfree/reconciliation/", seeing),
        RouteCase("reports", "/taxfree/reports/", seeing),
        RouteCase(
            "goods",
            f"/taxfree/stores/{tf.store.pk}/goods/new/",
            frozenset({"firm_admin", "talent_officer", "operator"}),
        ),
        RouteCase(
            "good edit",
            f"/taxfree/stores/{tf.store.pk}/goods/{tf.frame.pk}/edit/",
            frozenset({"firm_admin", "talent_officer", "operator"}),
        ),
        RouteCase("review", f"/taxfree/stores/{tf.store.pk}/review/", frozenset({"tax_officer"})),
    ]
    assert check_matrix(cast, cases) == []


def test_a_catalogue_item_is_edited_or_taken_off_sale_and_issued_forms_keep_their_lines(
    tf: Any, cast: Any
) -> None:
    form = issue(tf, [(tf.frame, 1)])
    client = Client()
    client.force_login(cast.firm_admin)
    url = f"/taxfree/stores/{tf.store.pk}/goods/{tf.frame.pk}/edit/"
    page = client.get(url).content.decode()
    assert "钛金属光学镜架" in page and "1130.00" in page
    data = {"name": "钛金属镜架", "name_en": "Titanium frame", "kind": "goods", "category": "frames"}
    refused = client.post(url, {**data, "vat_rate": "13", "price": "0"})
    assert refused.status_code == 200
    tf.frame.refresh_from_db()
    assert tf.frame.price == 1130 and tf.frame.name == "钛金属光学镜架"
    saved = client.post(url, {**data, "vat_rate": "13", "price": "1200.00"})
    assert saved.status_code == 302
    tf.frame.refresh_from_db()
    assert (tf.frame.name, tf.frame.price, tf.frame.active) == ("钛金属镜架", 1200, False)
    line = form.lines.get()
    assert (line.description, line.amount) == ("钛金属光学镜架", 1130)
    clerk = Client()
    clerk.force_login(tf.clerk)
    assert "钛金属镜架" not in clerk.get(f"/taxfree/stores/{tf.store.pk}/counter/").content.decode()
    other = Client()
    other.force_login(cast.other_firm_admin)
    assert other.post(url, {**data, "vat_rate": "13", "price": "1.00", "active": "on"}).status_code == 404


def test_counter_live_verdict_and_issue(tf: Any) -> None:
    client = Client()
    client.force_login(tf.clerk)
    data = {
        "traveller_name": "KIM MINJUN",
        "traveller_category": "foreigner",
        "document_type": "passport",
        "nationality": "kor",
        "document_number": "M12345678",
        "last_entry_date": "2026-11-20",
        "invoice_number": "25332000000012345678",
        f"qty_{tf.cloth.pk}": "1",
    }
    url = f"/taxfree/stores/{tf.store.pk}/counter/"
    verdict = client.post(url + "check/", data, HTTP_HX_REQUEST="true")
    assert verdict.status_code == 200
    assert "200.00" in verdict.content.decode()
    refused = client.post(url, data)
    assert refused.status_code == 200 and not RefundForm.objects.exists()
    data[f"qty_{tf.frame.pk}"] = "1"
    issued = client.post(url, data)
    assert issued.status_code == 302
    form = RefundForm.objects.get()
    pdf = client.get(f"/taxfree/forms/{form.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert client.get(f"/verify/taxfree/{form.verification_code}/").status_code == 200


def test_counter_bad_input_is_a_message(tf: Any) -> None:
    client = Client()
    client.force_login(tf.clerk)
    url = f"/taxfree/stores/{tf.store.pk}/counter/"
    response = client.post(
        url, {"nationality": "K0R", "document_number": "<script>", f"qty_{tf.frame.pk}": "-1"}
    )
    assert response.status_code == 200
    response = client.post(url + "check/", {"last_entry_date": "2026-02-31"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_counters_same_visitor_day_one_form(tf: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def counter(good: Any) -> None:
        try:
            barrier.wait()
            issue(tf, [(good, 1)])
            outcomes.append("issued")
        except Exception as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=counter, args=(good,)) for good in (tf.frame, tf.cloth)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ValidationError", "issued"]
    assert RefundForm.objects.filter(purchase_date=TODAY).count() == 1


def _mrz(expiry: str = "330630") -> str:
    from jingxiang.identifiers import mrz_check_digit

    number, birth = "M12345678", "900101"
    head, mid = number + mrz_check_digit(number), birth + mrz_check_digit(birth)
    tail = expiry + mrz_check_digit(expiry) + "<" * 14 + "<"
    second = head + "KOR" + mid + "M" + tail
    return "P<KORKIM<<MINJUN".ljust(44, "<") + "\r\n" + second + mrz_check_digit(head + mid + tail)


def test_a_scanned_passport_fills_the_counter_and_a_bad_scan_is_refused(tf: Any) -> None:
    client = Client()
    client.force_login(tf.clerk)
    url = f"/taxfree/stores/{tf.store.pk}/counter/"
    base = {
        "traveller_category": "foreigner",
        "last_entry_date": "2026-11-20",
        f"qty_{tf.frame.pk}": "1",
    }
    live = client.post(url + "check/", {**base, "mrz": _mrz()}, HTTP_HX_REQUEST="true").content.decode()
    assert "KIM MINJUN" in live and 'hx-swap-oob="true"' in live and 'id="id_nationality"' in live
    assert "M12345678" in live  # the clerk's own form field, swapped in; it is not stored in full
    misread = _mrz().replace("M12345678", "M12345679")
    refused = client.post(url + "check/", {**base, "mrz": misread}, HTTP_HX_REQUEST="true").content.decode()
    assert "校验位不符" in refused and "hx-swap-oob" not in refused
    expired = client.post(url, {**base, "mrz": _mrz(expiry="250101")})
    assert expired.status_code == 200 and "过期" in expired.content.decode()
    assert not RefundForm.objects.exists()
    issued = client.post(url, {**base, "mrz": _mrz()})
    assert issued.status_code == 302
    form = RefundForm.objects.get()
    assert form.traveller_name == "KIM MINJUN" and form.nationality == "KOR"
    assert "M12345678" not in str(form.__dict__)
