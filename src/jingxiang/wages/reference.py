"""The national rules every agreement is judged by, loaded from ``reference.yaml``.

Skill levels, post classes with their floors, the statutory overtime percentages and the
21.75-day conversion are data with their sources beside them, so that a change of policy is a
reviewed edit of one file, not of the checking code.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from jingxiang.wages.amounts import parse_date
from jingxiang.wages.loading import parse_yaml, read_resource


@dataclass(frozen=True)
class Level:
    """One of the eight skill levels; ``rank`` 0 is 学徒工, 7 is 首席技师."""

    code: str
    name_zh: str
    name_en: str
    rank: int

    def __str__(self) -> str:
        return self.name_zh


@dataclass(frozen=True)
class PostClass:
    """A horizontal post class of 人社厅发〔2025〕52号 with its floor in % of the statutory minimum."""

    code: str
    name_zh: str
    name_en: str
    floor_percent: Decimal
    rank: int

    def __str__(self) -> str:
        return self.name_zh


@dataclass(frozen=True)
class Reference:
    levels: tuple[Level, ...]
    post_classes: tuple[PostClass, ...]
    guideline: str
    guideline_issued: datetime.date
    overtime_minimum_percent: dict[str, Decimal]
    days_per_month: Decimal
    hours_per_day: Decimal
    conversion_source: str

    @property
    def hours_per_month(self) -> Decimal:
        return self.days_per_month * self.hours_per_day


# Certificates name levels by the national grade as well: 五级/初级工 … 一级/高级技师.
_GRADE_ALIASES = {
    "五级": "junior",
    "四级": "intermediate",
    "三级": "senior",
    "二级": "technician",
    "一级": "senior_technician",
}
_SPACES = re.compile(r"[\s_\-/()\uff08\uff09]+")


def _key(text: str) -> str:
    return _SPACES.sub("", text).casefold()


@cache
def reference() -> Reference:
    data, problems = parse_yaml(read_resource("reference.yaml"), "the reference file")
    if problems:  # shipped data: a broken file is a programming error, caught by the tests
        raise RuntimeError(f"reference.yaml: {problems[0].message}")
    levels = tuple(
        Level(entry["code"], entry["name_zh"], entry["name_en"], rank)
        for rank, entry in enumerate(data["levels"])
    )
    classes = tuple(
        PostClass(entry["code"], entry["name_zh"], entry["name_en"], Decimal(entry["floor_percent"]), rank)
        for rank, entry in enumerate(data["post_classes"])
    )
    overtime = {
        key: Decimal(value) for key, value in data["overtime_minimum_percent"].items() if key != "certainty"
    }
    conversion = data["hourly_conversion"]
    return Reference(
        levels=levels,
        post_classes=classes,
        guideline=data["guideline"]["designation"],
        guideline_issued=parse_date(data["guideline"]["issued"]),
        overtime_minimum_percent=overtime,
        days_per_month=Decimal(conversion["days_per_month"]),
        hours_per_day=Decimal(conversion["hours_per_day"]),
        conversion_source=conversion["source"],
    )


@cache
def _level_index() -> dict[str, Level]:
    index: dict[str, Level] = {}
    for level in reference().levels:
        for name in (level.code, level.name_zh, level.name_en):
            index[_key(name)] = level
    for alias, code in _GRADE_ALIASES.items():
        level = next(level for level in reference().levels if level.code == code)
        index[_key(alias)] = level
        index[_key(f"{alias}{level.name_zh}")] = level
    return index


def find_level(text: str) -> Level | None:
    """A level from its Chinese name, its code, or the national grade (``四级``, ``四级/中级工``)."""
    return _level_index().get(_key(text))


def find_post_class(text: str) -> PostClass | None:
    wanted = _key(text)
    for post_class in reference().post_classes:
        if wanted in {_key(post_class.code), _key(post_class.name_zh), _key(post_class.name_zh.rstrip("类"))}:
            return post_class
    return None


def level_names() -> list[str]:
    return [level.name_zh for level in reference().levels]
