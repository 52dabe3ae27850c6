"""Famous-name guard, name pool behaviour, scale 10 and the command line."""

from __future__ import annotations

import json
import random

import pytest

from jingxiang.demo_data import Cluster, Gender, OrganisationKind, generate_cluster
from jingxiang.demo_data.__main__ import main
from jingxiang.demo_data.names import NamePool
from jingxiang.demo_data.tables import people
from jingxiang.identifiers import validate_resident_id, validate_uscc

# Written out here rather than imported, so the test still guards if the data file is edited:
# national leaders, well-known public figures, and the real general manager quoted in the article.
FAMOUS_REAL_PEOPLE = frozenset(
    {
        "习近平", "李强", "毛泽东", "邓小平", "周恩来", "江泽民", "胡锦涛", "温家宝", "李克强", "朱镕基",
        "孙中山", "鲁迅", "钱学森", "袁隆平", "屠呦呦", "钟南山", "马云", "马化腾", "雷军", "任正非",
        "姚明", "刘翔", "李娜", "郎平", "成龙", "周杰伦", "刘德华", "王菲", "杨振宁", "莫言", "李林波",
    }
)  # fmt: skip


def all_person_names(cluster: Cluster) -> list[str]:
    return (
        [t.name for t in cluster.talents]
        + [p.name for p in cluster.personas]
        + [o.contact_name for o in cluster.organisations]
    )


def test_no_invented_person_has_a_famous_name(cluster: Cluster, cluster_x10: Cluster) -> None:
    for generated in (cluster, cluster_x10):
        assert not FAMOUS_REAL_PEOPLE & set(all_person_names(generated))
        assert not people().famous_names & set(all_person_names(generated))


def test_guard_list_covers_the_test_list() -> None:
    assert people().famous_names >= FAMOUS_REAL_PEOPLE


def test_name_pool_never_returns_a_guarded_name() -> None:
    # 李强 is also a very common name, so an unguarded generator would produce it.
    pool = NamePool()
    rng = random.Random(0)
    names = {pool.draw(rng, Gender.MALE, 1965) for _ in range(5000)}
    assert len(names) == 5000
    assert not names & people().famous_names


def test_name_pool_refuses_famous_and_duplicate_reservations() -> None:
    pool = NamePool()
    with pytest.raises(ValueError):
        pool.reserve("李强")
    pool.reserve("陈一帆")
    with pytest.raises(ValueError):
        pool.reserve("陈一帆")


@pytest.mark.slow
def test_scale_10_multiplies_and_stays_unique(cluster: Cluster, cluster_x10: Cluster) -> None:
    public = sum(o.is_public for o in cluster.organisations)
    generated_x1 = len(cluster.organisations) - public
    assert len(cluster_x10.organisations) - public == 10 * generated_x1
    assert len(cluster_x10.talents) == 10 * len(cluster.talents)
    assert sum(o.kind is OrganisationKind.FIRM for o in cluster_x10.organisations) == 3000 + 4
    for values in (
        [o.name for o in cluster_x10.organisations],
        [o.uscc for o in cluster_x10.organisations],
        [t.resident_id for t in cluster_x10.talents],
        [t.name for t in cluster_x10.talents],
        [t.email for t in cluster_x10.talents],
        [t.mobile for t in cluster_x10.talents]
        + [o.contact_mobile for o in cluster_x10.organisations]
        + [p.mobile for p in cluster_x10.personas],
    ):
        assert len(values) == len(set(values))
    for organisation in cluster_x10.organisations:
        validate_uscc(organisation.uscc)
    for talent in cluster_x10.talents:
        validate_resident_id(talent.resident_id, today=cluster_x10.reference_date)


def test_scale_must_be_positive() -> None:
    with pytest.raises(ValueError):
        generate_cluster(scale=0)


def test_cli_jsonl_dumps_every_record(capsys: pytest.CaptureFixture[str], cluster: Cluster) -> None:
    assert main(["--seed", str(cluster.seed), "--scale", "1", "--format", "jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    counts: dict[str, int] = {}
    for record in records:
        counts[record["type"]] = counts.get(record["type"], 0) + 1
    assert counts == {
        "product": len(cluster.products),
        "organisation": len(cluster.organisations),
        "talent": len(cluster.talents),
        "persona": len(cluster.personas),
    }
    talent = next(record for record in records if record["type"] == "talent")
    assert talent["hourly_rate"] == str(cluster.talents[0].hourly_rate)  # Decimal kept exact
    assert talent["birth_date"] == cluster.talents[0].birth_date.isoformat()


def test_cli_output_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--seed", "7", "--format", "jsonl"])
    first = capsys.readouterr().out
    main(["--seed", "7", "--format", "jsonl"])
    assert capsys.readouterr().out == first


def test_cli_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "talents: 600" in out and "firm_admin" in out
