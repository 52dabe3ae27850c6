"""The industry association as the employer side (issue 17): it confirms each round's minutes before the
agreement can be filed, reads its own agreements at every stage, and sees compliance and statistics
totals for the firms under them — never a worker's wage line."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from jingxiang.organisations.models import OrganisationKind, Role
from jingxiang.testing.factories import MembershipFactory, OrganisationFactory, UserFactory
from jingxiang.wagenorms import services
from jingxiang.wagenorms.models import AgreementStatus, WageAgreement
from jingxiang.wagenorms.tests.builders import (
    EXAMPLE,
    TWO_VIOLATIONS,
    effective_agreement,
    import_file,
    workbook,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def association(cast: Any) -> Any:
    org = OrganisationFactory(name="临海市眼镜行业协会", kind=OrganisationKind.ASSOCIATION, uscc=None)
    staff = UserFactory(username="assoc_staff")
    MembershipFactory(user=staff, organisation=org, role=Role.MEMBER)
    return org, staff


def _negotiated(cast: Any, org: Any) -> WageAgreement:
    today = dt.date.today()
    agreement = services.agreement_create(
        actor=cast.union_staff,
        title="临海市眼镜行业能级工资集体协议(2027)",
        employers="临海市眼镜行业协会",
        text=EXAMPLE,
        employer_association=org,
    )
    services.round_record(
        actor=cast.union_staff,
        agreement=agreement,
        held_on=today - dt.timedelta(days=10),
        union_proposal="上调 5%",
        employer_proposal="上调 3%",
        minutes="议定上调 4%",
    )
    services.vote_record(
        actor=cast.union_staff,
        agreement=agreement,
        held_on=today - dt.timedelta(days=5),
        representatives=35,
        present=30,
        approve=25,
        against=3,
        abstain=2,
    )
    return agreement


def test_filing_waits_for_the_associations_confirmation_of_every_round(cast: Any, association: Any) -> None:
    org, staff = association
    agreement = _negotiated(cast, org)
    today = dt.date.today()
    with pytest.raises(ValidationError) as error:
        services.agreement_file(
            actor=cast.union_staff, agreement=agreement, filed_on=today, authority="临海市人社局"
        )
    assert "第 1 轮" in str(error.value)
    first = agreement.rounds.get()
    with pytest.raises(PermissionDenied):
        services.round_confirm(actor=cast.firm_admin, negotiation_round=first)
    with pytest.raises(PermissionDenied):
        services.round_confirm(actor=cast.union_staff, negotiation_round=first)
    confirmed = services.round_confirm(actor=staff, negotiation_round=first, remark=" 同意纪要 ")
    assert confirmed.employer_confirmed_by == staff and confirmed.employer_remark == "同意纪要"
    with pytest.raises(ValidationError):
        services.round_confirm(actor=staff, negotiation_round=first)
    filed = services.agreement_file(
        actor=cast.union_staff, agreement=agreement, filed_on=today, authority="临海市人社局"
    )
    assert filed.status == AgreementStatus.FILED


def test_only_an_approved_association_can_be_the_employer_side(cast: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.agreement_create(
            actor=cast.union_staff, title="t", employers="e", text=EXAMPLE, employer_association=cast.firm
        )
    assert "employer_association" in error.value.message_dict
    assert not WageAgreement.objects.exists()


def test_the_association_reads_its_agreement_at_every_stage_and_confirms_through_the_page(
    cast: Any, association: Any
) -> None:
    org, staff = association
    agreement = _negotiated(cast, org)
    url = f"/wages/agreements/{agreement.pk}/"
    outsider = Client()
    outsider.force_login(cast.firm_admin)
    assert outsider.get(url).status_code == 404  # not in force yet: only the two sides read it
    client = Client()
    client.force_login(staff)
    page = client.get(url).content.decode()
    assert "等待行业协会确认" in page and "确认纪要" in page
    first = agreement.rounds.get()
    assert outsider.post(f"/wages/rounds/{first.pk}/confirm/", {"remark": ""}).status_code == 404
    done = client.post(f"/wages/rounds/{first.pk}/confirm/", {"remark": "同意"}, follow=True)
    assert "已确认本轮协商纪要" in done.content.decode()
    first.refresh_from_db()
    assert first.employer_confirmed_at is not None
    assert agreement.number in client.get("/wages/agreements/").content.decode()
    assert agreement.number not in outsider.get("/wages/agreements/").content.decode()


def test_the_association_sees_totals_for_its_firms_but_no_wage_line(cast: Any, association: Any) -> None:
    org, staff = association
    in_force = effective_agreement(cast.union_staff)
    WageAgreement.objects.filter(pk=in_force.pk).update(employer_association=org)
    import_file(cast.firm, cast.firm_admin, workbook(TWO_VIOLATIONS))
    client = Client()
    client.force_login(staff)
    compliance = client.get("/wages/compliance/")
    assert compliance.status_code == 200
    totals = compliance.context["totals"]
    assert totals["rows"] == 5 and totals["failed"] == 2
    assert sum(r["failed"] for r in compliance.context["table"]) == totals["failed"]
    assert "/wages/lines/" not in compliance.content.decode()
    assert client.get("/wages/lines/").status_code == 404
    assert client.get("/wages/statistics/").status_code == 200
    line = in_force.lines.first()
    reveal = client.post(
        "/reveal/",
        {"model": "wagenorms.wageline", "pk": line.pk, "field": "total_pay"},
        HTTP_HX_REQUEST="true",
    )
    assert reveal.status_code in (403, 404)
    stranger = UserFactory()
    other_assoc = OrganisationFactory(name="别的协会", kind=OrganisationKind.ASSOCIATION, uscc=None)
    MembershipFactory(user=stranger, organisation=other_assoc, role=Role.MEMBER)
    client.force_login(stranger)
    assert client.get("/wages/compliance/").status_code == 404
