"""The freshness check: one query per rank call on a fresh index, counters bumped once per committed
transaction, and the exclusive lock taken only to catch up."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from jingxiang.matchindex import warm
from jingxiang.matchindex.models import SourceVersion
from jingxiang.matchindex.selectors import suggest_suppliers
from jingxiang.matchindex.services import _Bump
from jingxiang.matchindex.warm import ReadWriteLock, WarmIndex, warm_index
from jingxiang.talents.models import Talent, TalentKind
from jingxiang.testing.factories import TalentFactory

NEED = {"title": "镜片膜层脱落", "description": "镜片膜层附着力不足,镀膜后起皱脱落"}


@pytest.fixture(autouse=True)
def fresh_index() -> Any:
    warm_index.reset()
    yield
    warm_index.reset()


def coating_expert(name: str) -> Talent:
    return TalentFactory(
        name=name,
        home_organisation=None,
        kind=TalentKind.EXPERT,
        description="镜片镀膜、膜层附着力与加硬工艺",
    )


def versions() -> dict[str, int]:
    return dict(SourceVersion.objects.values_list("name", "value"))


def pending_bumps() -> list[str]:
    return [
        callback.source
        for _s, callback, *_r in connection.run_on_commit
        if isinstance(callback, _Bump) and not callback.done
    ]


@pytest.mark.django_db
def test_a_call_on_a_fresh_index_reads_the_counters_and_nothing_else() -> None:
    experts = [coating_expert(f"专家{n}") for n in range(5)]
    suggest_suppliers(**NEED)
    with CaptureQueriesContext(connection) as queries:
        result = suggest_suppliers(**NEED)
    assert {s.object_id for s in result} >= {e.pk for e in experts}
    sql = [query["sql"] for query in queries.captured_queries]
    assert len(sql) == 2, sql  # the counters, then the names of what was picked
    assert "matchindex_sourceversion" in sql[0]
    assert not any("COUNT(" in text or "MAX(" in text for text in sql)


@pytest.mark.django_db(transaction=True)
def test_one_bump_per_transaction_and_only_after_commit() -> None:
    before = versions()
    with transaction.atomic():
        for n in range(3):
            coating_expert(f"导入专家{n}")
        assert pending_bumps() == ["suppliers"]
        assert versions() == before, "the counter row is not touched inside the writer's transaction"
    after = versions()
    assert after.get("suppliers", 0) == before.get("suppliers", 0) + 1
    assert {k: v for k, v in after.items() if k != "suppliers"} == {
        k: v for k, v in before.items() if k != "suppliers"
    }


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_bumps_nothing_and_does_not_hide_a_later_one() -> None:
    before = versions()
    with transaction.atomic():
        try:
            with transaction.atomic():
                coating_expert("回滚的专家")
                raise RuntimeError
        except RuntimeError:
            pass
        assert pending_bumps() == []
        coating_expert("留下的专家")
        assert pending_bumps() == ["suppliers"]
    assert versions()["suppliers"] == before.get("suppliers", 0) + 1


@pytest.mark.django_db
def test_bulk_writes_count_and_columns_the_index_does_not_read_do_not(cast: Any) -> None:
    from jingxiang.demands.models import Demand

    def local(source: str) -> int:
        return warm_index._local[source]

    suppliers, demands = local("suppliers"), local("demands")
    Talent.objects.bulk_create([Talent(name="批量专家", kind=TalentKind.EXPERT, description="膜层")])
    assert local("suppliers") == suppliers + 1
    demand = Demand.objects.create(
        organisation=cast.firm, created_by=cast.firm_admin, title="膜层", description="膜层脱落"
    )
    assert local("demands") == demands + 1
    Demand.objects.filter(pk=demand.pk).update(ranking=[{"key": "T-1"}])
    demand.save(update_fields=["ranked_at"])
    assert local("demands") == demands + 1, "the re-rank job's columns are not read by the index"
    Demand.objects.filter(pk=demand.pk).update(status="published")
    assert local("demands") == demands + 2


@pytest.mark.django_db(transaction=True)
def test_another_process_catches_up_through_the_counter_alone() -> None:
    other = WarmIndex()  # what another web process holds: it sees committed counters only
    coating_expert("老专家")
    with other.use() as index:
        size = len(index)
    with transaction.atomic():
        coating_expert("新专家")
        with other.use() as index:
            assert len(index) == size, "nothing is committed yet"
    with CaptureQueriesContext(connection) as queries, other.use() as index:
        assert "新专家" in {supplier.name for supplier in index.suppliers()}
    assert any("talents_talent" in query["sql"] for query in queries.captured_queries)


@pytest.mark.django_db
def test_the_periodic_full_check_catches_writes_that_bypassed_the_signals(monkeypatch: Any) -> None:
    other = WarmIndex()
    coating_expert("老专家")
    with other.use() as index:
        size = len(index)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE talents_talent SET archived_at = %s", ["2026-01-01 00:00:00+00:00"])
    with other.use() as index:
        assert len(index) == size, "a rank call does not scan the sources"
    monkeypatch.setattr(warm, "FULL_CHECK_SECONDS", -1.0)
    with other.use() as index:
        assert len(index) == size - 1


def test_rankers_share_the_index_and_a_catch_up_waits_for_them() -> None:
    lock = ReadWriteLock()
    together = threading.Barrier(2, timeout=5)
    order: list[str] = []

    def rank() -> None:
        with lock.reading():
            together.wait()  # both readers are inside at the same time, or this raises
            order.append("read")

    readers = [threading.Thread(target=rank) for _ in range(2)]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join(timeout=10)
    assert order == ["read", "read"]

    reading, release = threading.Event(), threading.Event()

    def long_rank() -> None:
        with lock.reading():
            reading.set()
            release.wait(timeout=5)
            order.append("long read done")

    def catch_up() -> None:
        with lock.writing():
            order.append("write")

    ranker = threading.Thread(target=long_rank)
    ranker.start()
    reading.wait(timeout=5)
    writer = threading.Thread(target=catch_up)
    writer.start()
    writer.join(timeout=0.2)
    assert writer.is_alive(), "the catch-up waits for the ranker"
    release.set()
    writer.join(timeout=5)
    ranker.join(timeout=5)
    assert order[-2:] == ["long read done", "write"]
