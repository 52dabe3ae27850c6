"""The read-only API shows each caller only what they may see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIRequestFactory, force_authenticate

from jingxiang.sharing import services
from jingxiang.sharing.api import AgreementViewSet, BookingViewSet, StatementViewSet
from jingxiang.sharing.tests.builders import book_slot

pytestmark = pytest.mark.django_db


def call(viewset, user, query=""):
    request = APIRequestFactory().get(f"/api/v1/x/{query}")
    force_authenticate(request, user=user)
    response = viewset.as_view({"get": "list"})(request)
    assert response.status_code == 200
    return response.data["results"]


def test_api_lists_only_visible_records(cast, sharing):
    day = timezone.localdate() - dt.timedelta(days=1)
    booking = book_slot(cast, sharing.agreement, day, 9, 12)
    timesheet = services.timesheet_log(
        actor=cast.expert_user, booking=booking, hours=booking.hours, description="x"
    )
    services.timesheet_review(actor=cast.talent_officer, timesheet=timesheet, approve=True)
    services.statement_generate(actor=cast.operator, agreement=sharing.agreement, month=day)

    (agreement,) = call(AgreementViewSet, cast.firm_admin)
    assert agreement["number"] == sharing.agreement.number
    assert sorted(agreement["signed_parties"]) == ["home", "host", "talent"]
    assert [row["number"] for row in call(AgreementViewSet, cast.other_firm_admin)] == [
        sharing.agreement.number
    ]
    assert call(AgreementViewSet, cast.lab_staff) == []
    assert len(call(BookingViewSet, cast.expert_user)) == 1
    assert call(BookingViewSet, cast.union_staff) == []
    assert call(StatementViewSet, cast.operator)[0]["gross"] == "900.00"
    assert call(StatementViewSet, cast.outsider) == []
    assert call(AgreementViewSet, cast.operator, "?status=pending") == []
