"""Shared-talent fixtures: the cast's expert 林工 (home employer 远方光学) shared to 康波 (the host)."""

from __future__ import annotations

from typing import Any

import pytest

from jingxiang.sharing.tests.builders import Sharing, make_agreement
from jingxiang.testing.factories import OrganisationFactory, TalentFactory, UserFactory


@pytest.fixture
def sharing(cast: Any) -> Sharing:
    """An active three-party agreement: 林工 (home 远方光学) shared to 康波."""
    return make_agreement(cast)


@pytest.fixture
def independent(cast: Any) -> Any:
    """An independent expert (no home employer) with a login."""
    return TalentFactory(name="周教授", home_organisation=None, user=UserFactory(username="professor"))


@pytest.fixture
def third_firm(cast: Any) -> Any:
    return OrganisationFactory(name="临海市明光眼镜有限公司", size="small")
