"""An edition set up through the services: organiser, six judges from different organisations, teams."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from jingxiang.competition import demo
from jingxiang.competition.models import Edition, Entry, Organiser


@dataclass
class Setup:
    edition: Edition
    organiser: Any
    judges: list[Any]
    teams: list[Any]
    entries: list[Entry]


@pytest.fixture
def contest(cast: Any) -> Setup:
    from jingxiang.testing.factories import OrganisationFactory

    edition = demo.make_edition(cast.operator, advance=(4, 3))
    organiser = demo.user("organiser_x", "吴秘书长")
    Organiser.objects.create(edition=edition, user=organiser)
    judges = [demo.user(f"j{i}", f"评委{i}") for i in range(5)]
    teams = [demo.user(f"t{i}", f"队长{i}", f"1870000000{i}") for i in range(6)]
    entries = [demo.register_team(edition, leader, i) for i, leader in enumerate(teams)]
    judges_orgs = [OrganisationFactory(name=f"评审单位{i}") for i in range(5)]
    edition.judge_orgs = judges_orgs  # type: ignore[attr-defined]
    return Setup(edition=edition, organiser=organiser, judges=judges, teams=teams, entries=entries)
