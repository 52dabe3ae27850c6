"""A winner is invited to the talent fund with the entry's data carried over (issue 15, item 3)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from jingxiang.competition.carryover import fund_source
from jingxiang.competition.models import Award
from jingxiang.fund import services as fund_services
from jingxiang.fund.tests.conftest import make_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(cast: Any) -> Any:
    fund = fund_services.fund_create(
        actor=cast.operator,
        data={"name": "临海市人才科创基金", "manager": cast.town, "capital": Decimal("3000000")},
    )
    call = make_call(cast, fund)
    fund_services.call_open(actor=cast.operator, call=call)
    return call


def test_the_winners_firm_applies_to_the_fund_with_the_entry_carried_over(
    cast: Any, contest: Any, call: Any
) -> None:
    winner, other = contest.entries[0], contest.entries[1]
    for entry in (winner, other):
        entry.organisation = cast.firm
        entry.save(update_fields=["organisation"])
    Award.objects.create(
        edition=contest.edition, entry=winner, level="first", name="一等奖", rank=1, verification_code="W1"
    )
    client = Client()
    client.force_login(cast.firm_admin)
    apply_url = f"/fund/calls/{call.pk}/apply/?carry=competition:{winner.pk}"
    assert fund_source(other.pk, cast.firm_admin) is None  # no award, no carry-over
    assert fund_source(winner.pk, cast.other_firm_admin) is None  # not their entry
    carried = fund_source(winner.pk, cast.firm_admin)
    assert carried is not None and carried.project_title == winner.title and "一等奖" in carried.source_label
    form = client.get(apply_url).context["form"]
    assert form.initial["project_title"] == winner.title and form.initial["summary"] == winner.summary
    stranger = Client()
    stranger.force_login(cast.other_firm_admin)
    blank = stranger.get(apply_url)
    assert blank.status_code == 200  # the other firm may apply to the call, but nothing is carried
    assert not blank.context["form"].initial.get("project_title")
    # The winner's own team leader is invited on the entry page; a leader who acts for no firm on the
    # platform is told that the fund takes applications from firms, and where to register one.
    leader = Client()
    leader.force_login(winner.leader)
    page = leader.get(f"/competition/entries/{winner.pk}/").content.decode()
    assert 'data-testid="fund-invitation"' in page and "/organisations/register/" in page
    from jingxiang.organisations.models import Membership, Role

    Membership.objects.create(user=winner.leader, organisation=cast.firm, role=Role.ORG_ADMIN)
    page = leader.get(f"/competition/entries/{winner.pk}/").content.decode()
    assert f"/fund/calls/{call.pk}/apply/?carry=competition:{winner.pk}" in page
    loser = Client()
    loser.force_login(other.leader)
    assert "fund-invitation" not in loser.get(f"/competition/entries/{other.pk}/").content.decode()
