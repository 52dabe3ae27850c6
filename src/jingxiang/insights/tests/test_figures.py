"""Figures counted from records: the figure, its drill-down, scopes, frozen months and recomputes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jingxiang.demands.tests.conftest import make_demand
from jingxiang.insights import services
from jingxiang.insights.definitions import indicators
from jingxiang.insights.models import RunKind, RunStatus, Snapshot, SnapshotRun
from jingxiang.insights.registry import get_source
from jingxiang.insights.selectors import (
    Period,
    Scope,
    drilldown_tally,
    figures,
    month_start,
    next_month,
    records,
    value_of,
)
from jingxiang.sharing import services as sharing_services
from jingxiang.sharing.tests.builders import make_agreement

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def this_month() -> dt.date:
    return month_start(timezone.localdate())


def months_ago(n: int) -> dt.date:
    month = this_month()
    for _ in range(n):
        month = month_start(month - dt.timedelta(days=1))
    return month


def at(month: dt.date, day: int = 10) -> dt.datetime:
    return dt.datetime.combine(month.replace(day=day), dt.time(12), tzinfo=TZ)


def publish(cast, organisation, when: dt.datetime, **fields):
    demand = make_demand(cast, organisation=organisation, **fields)
    type(demand).objects.filter(pk=demand.pk).update(published_at=when)
    return demand


@pytest.fixture
def demands(cast):
    two, one = months_ago(2), months_ago(1)
    return {
        "two": [publish(cast, cast.firm, at(two, 3)), publish(cast, cast.firm, at(two, 20))],
        "one": [publish(cast, cast.other_firm, at(one, 5), created_by=cast.other_firm_admin)],
        "now": [publish(cast, cast.firm, at(this_month(), 1))],
    }


def figure(code, period, scope=None, **kwargs):
    return figures([code], period, scope or Scope(), **kwargs)[0]


def test_published_demands_by_month_and_their_drilldown(demands):
    period = Period(months_ago(2), this_month())
    result = figure("demands_posted", period)
    assert result.value == 4
    assert result.month_values() == [2, 1, 1]
    source = get_source("demands.published")
    listed = records(source, period.first, period.end, Scope())
    assert sorted(listed.values_list("pk", flat=True)) == sorted(
        d.pk for group in demands.values() for d in group
    )
    assert value_of(result.indicator, drilldown_tally(source, listed)) == result.value


def test_a_firm_sees_its_own_contribution_and_the_median(cast, demands):
    period = Period(months_ago(2), this_month())
    own = figure(
        "demands_posted", period, Scope(organisation_ids=frozenset({cast.firm.pk})), with_median=True
    )
    assert own.value == 3
    # Two firms posted (3 and 1): the median of those with records is 2.
    assert own.median == Decimal("2.00") and own.peers == 2
    other = figure("demands_posted", period, Scope(organisation_ids=frozenset({cast.other_firm.pk})))
    assert other.value == 1
    by_size = figure("demands_posted", period, Scope(size=cast.firm.size))
    assert by_size.value == sum(
        1
        for d in (*demands["two"], *demands["one"], *demands["now"])
        if d.organisation.size == cast.firm.size
    )


def test_archived_demands_do_not_count(cast, demands):
    demand = demands["now"][0]
    type(demand).objects.filter(pk=demand.pk).update(archived_at=timezone.now())
    assert figure("demands_posted", Period(this_month(), this_month())).value == 0


def test_patents_and_cost_saved_from_sharing_outcomes(cast):
    agreement = make_agreement(cast).agreement
    for patent, saved in (("CN202610000001.1", "120000.00"), ("", "30000.50")):
        sharing_services.outcome_record(
            actor=cast.talent_officer,
            agreement=agreement,
            data={"rating": 5, "problem_solved": True, "patent_number": patent, "cost_saved": Decimal(saved)},
        )
    period = Period(this_month(), this_month())
    assert figure("sharing_patents", period).value == 1
    assert figure("sharing_cost_saved", period).value == Decimal("150000.50")
    assert figure("sharing_engagements", period).value == 1
    other = Scope(organisation_ids=frozenset({cast.other_firm.pk}))
    assert figure("sharing_cost_saved", period, other).value == 0


def test_a_frozen_month_does_not_move_until_recomputed_on_purpose(
    cast, demands, django_capture_on_commit_callbacks
):
    month = months_ago(2)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.snapshot_run_start(actor=cast.operator, month=month)
    assert run.kind == RunKind.FREEZE
    run.refresh_from_db()
    assert run.status == RunStatus.DONE  # the tests' task backend runs the job at once
    assert Snapshot.objects.filter(month=month, indicator="demands_posted").count() == 1
    period = Period(month, month)
    assert figure("demands_posted", period).value == 2
    # A record edited later: the frozen figure stays, the live drill-down shows the change.
    moved = demands["two"][0]
    type(moved).objects.filter(pk=moved.pk).update(published_at=at(months_ago(1)))
    assert figure("demands_posted", period).value == 2
    source = get_source("demands.published")
    assert records(source, period.first, period.end, Scope()).count() == 1
    with pytest.raises(ValidationError) as refused:
        services.snapshot_run_start(actor=cast.operator, month=month, reason=" ")
    assert "reason" in refused.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        again = services.snapshot_run_start(
            actor=cast.operator, month=month, reason="发布日期录入有误,已更正"
        )
    again.refresh_from_db()
    assert again.kind == RunKind.RECOMPUTE and again.status == RunStatus.DONE
    assert again.changes["demands_posted"] == {"before": "2.00", "after": "1.00"}
    assert figure("demands_posted", period).value == 1


def test_only_one_computation_per_month_and_only_closed_months(cast):
    month = months_ago(1)
    SnapshotRun.objects.create(month=month, kind=RunKind.FREEZE, started_by=cast.operator)
    with pytest.raises(ValidationError, match="正在计算"):
        services.snapshot_run_start(actor=cast.operator, month=month)
    with pytest.raises(ValidationError):
        services.snapshot_run_start(actor=cast.operator, month=this_month())
    with pytest.raises(PermissionDenied):
        services.snapshot_run_start(actor=cast.firm_admin, month=months_ago(3))


def test_targets_must_fit_the_unit(cast):
    with pytest.raises(ValidationError) as error:
        services.target_set(actor=cast.operator, indicator="lab_pass_rate", year=2026, value="120")
    assert "0 到 100" in error.value.message_dict["value"][0]
    with pytest.raises(ValidationError):
        services.target_set(actor=cast.operator, indicator="demands_posted", year=2026, value="10.5")
    with pytest.raises(ValidationError):
        services.target_set(actor=cast.operator, indicator="no_such", year=2026, value="1")
    with pytest.raises(PermissionDenied):
        services.target_set(actor=cast.union_staff, indicator="demands_posted", year=2026, value="10")
    services.target_set(actor=cast.operator, indicator="demands_posted", year=this_month().year, value="10")
    result = figure("demands_posted", Period(this_month(), this_month()))
    assert result.target == Decimal("10")


def test_the_number_of_queries_does_not_grow_with_the_data(cast, django_capture_on_commit_callbacks):
    codes = list(indicators())
    period = Period(months_ago(5), this_month())

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            figures(codes, period, Scope())
        return len(captured)

    publish(cast, cast.firm, at(months_ago(1)))
    with django_capture_on_commit_callbacks(execute=True):
        services.snapshot_run_start(actor=cast.operator, month=months_ago(3))
    before = count_queries()
    for n in range(6):
        publish(cast, cast.other_firm if n % 2 else cast.firm, at(months_ago(n % 5)))
    with django_capture_on_commit_callbacks(execute=True):
        services.snapshot_run_start(actor=cast.operator, month=months_ago(4))
    # One query for the frozen months' runs, one for their snapshots, one per indicator, one for targets.
    assert count_queries() == before == len(codes) + 3
    assert next_month(months_ago(1)) == this_month()
