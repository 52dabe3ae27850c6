"""A test report's verification link and QR code, on the page and in the PDF, name the right host."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@override_settings(PUBLIC_BASE_URL="", ALLOWED_HOSTS=["testserver", "192.168.1.20"])
def test_in_development_the_report_links_to_the_address_it_was_opened_at(lab_setup, client):
    report = lab_setup.report()
    client.force_login(lab_setup.cast.lab_staff)
    expected = f"http://192.168.1.20:8123/verify/report/{report.verify_code}/"
    page = client.get(f"/lab/reports/{report.pk}/", HTTP_HOST="192.168.1.20:8123").content.decode()
    assert expected in page
    pdf = client.get(f"/lab/reports/{report.pk}/pdf/", HTTP_HOST="192.168.1.20:8123")
    assert expected in pdf_text(pdf.content).replace("\n", "")


@override_settings(PUBLIC_BASE_URL="https://jingxiang.example", ALLOWED_HOSTS=["testserver", "192.168.1.20"])
def test_in_production_the_report_links_to_the_public_address(lab_setup, client):
    report = lab_setup.report()
    client.force_login(lab_setup.cast.lab_staff)
    expected = f"https://jingxiang.example/verify/report/{report.verify_code}/"
    page = client.get(f"/lab/reports/{report.pk}/", HTTP_HOST="192.168.1.20:8123").content.decode()
    assert expected in page and "192.168.1.20" not in page
    pdf = client.get(f"/lab/reports/{report.pk}/pdf/", HTTP_HOST="192.168.1.20:8123")
    assert expected in pdf_text(pdf.content).replace("\n", "")
