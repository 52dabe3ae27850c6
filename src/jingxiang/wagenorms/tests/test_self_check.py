"""The public self-check: the norm and the verdict, nothing stored; bad input named beside the field."""

from __future__ import annotations

import pytest

from jingxiang.wagenorms.models import WageLine, WageReport
from jingxiang.wagenorms.tests.builders import effective_agreement

pytestmark = pytest.mark.django_db

FORM = {"post": "抛光", "level": "intermediate", "region": "临海市", "month": "2026-03"}


@pytest.fixture
def agreement(cast):
    return effective_agreement(cast.union_staff)


def test_equal_to_the_norm_passes_one_fen_under_fails(client, agreement):
    page = client.post("/wages/check/", {**FORM, "base_wage": "2760.00"}).content.decode()
    assert "达到标准" in page and "2,760.00" in page
    page = client.post("/wages/check/", {**FORM, "base_wage": "2759.99"}).content.decode()
    assert "未达到标准" in page and "0.01" in page
    assert not WageLine.objects.exists() and not WageReport.objects.exists()
    assert not client.session.keys()


def test_month_outside_the_agreement_is_named(client, agreement):
    response = client.post("/wages/check/", {**FORM, "month": "2031-01", "base_wage": "3000"})
    assert response.status_code == 200 and "不在任何协议期内" in response.content.decode()


def test_negative_and_junk_pay_are_form_errors(client, agreement):
    page = client.post("/wages/check/", {**FORM, "base_wage": "-1"}).content.decode()
    assert "达到标准" not in page
    assert client.post("/wages/check/", {**FORM, "base_wage": "1e999999"}).status_code == 200


def test_no_agreement_in_force_still_renders(client, db):
    assert client.get("/wages/check/").status_code == 200
