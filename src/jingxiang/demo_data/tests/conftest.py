"""Clusters are generated once per test session: they are immutable, and scale 10 takes a second or two."""

from __future__ import annotations

import pytest

from jingxiang.demo_data import Cluster, generate_cluster


@pytest.fixture(scope="session")
def cluster() -> Cluster:
    return generate_cluster()


@pytest.fixture(scope="session")
def cluster_x10() -> Cluster:
    return generate_cluster(scale=10)
