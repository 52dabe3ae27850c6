from __future__ import annotations

from typing import Any

import pytest

from jingxiang.calendars.tests.builders import World, build_world


@pytest.fixture
def world(cast: Any) -> World:
    return build_world(cast)
