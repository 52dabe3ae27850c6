"""Messages stored as ids with plain parameters render in whatever language the reader uses."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import translation

from jingxiang.core import texts
from jingxiang.core.texts import PerLanguage, Text, message, registered, render
from jingxiang.lab.models import Overall

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def test_every_registered_message_has_an_english_rendering_without_chinese():
    messages = [entry for entry in registered() if entry.id != texts.LEGACY.id]
    assert len(messages) > 60, "every app's texts.py is discovered at start-up"
    problems = []
    for entry in messages:
        bound = entry(**{name: f"<{name}>" for name in entry._placeholders()})
        title, body = bound.in_language("en")
        if CJK.search(title) or CJK.search(body):
            problems.append(f"{entry.id}: {title} / {body}")
        chinese_title, _chinese_body = bound.in_language("zh-hans")
        assert chinese_title, entry.id
    assert not problems, "\n".join(problems)


def test_ids_are_unique_and_parameters_are_checked_when_bound():
    assert len({entry.id for entry in registered()}) == len(registered())
    with pytest.raises(ValueError, match="declared twice"):
        message(texts.MISSING.id, "something else")
    with pytest.raises(ValueError, match="missing parameters"):
        texts.IMPORT_ROWS_SAVED()
    with pytest.raises(ValueError, match="unknown parameters"):
        texts.IMPORT_ROWS_SAVED(n=1, rows=2)


def test_parameters_are_stored_as_plain_json_and_render_per_language():
    sample = message(
        "tests.parameters",
        "%(amount)s|%(day)s|%(at)s|%(label)s|%(inner)s|%(items)s|%(skill)s|%(who)s",
    )
    from jingxiang.talents.models import Skill

    bound = sample(
        amount=Decimal("1234.50"),
        day=dt.date(2026, 6, 1),
        at=dt.datetime(2026, 6, 1, 1, 30, tzinfo=dt.UTC),
        label=Overall.FAIL.label,
        inner=texts.IMPORT_ROWS_SAVED(n=3),
        items=["A", "B"],
        skill=PerLanguage({"zh-hans": "定配", "en": "Fitting"}),
        who=Skill(name_zh="抛光", name_en="Polishing"),
    )
    stored = bound.as_json()
    assert stored["params"]["amount"] == "1234.50"
    assert stored["params"]["day"] == "2026-06-01"
    assert stored["params"]["at"] == "2026-06-01 09:30", "aware times are kept in Asia/Shanghai"
    assert stored["params"]["label"] == {"term": "不合格"}
    assert stored["params"]["who"] == "抛光", "an object is kept as its name at the time of writing"
    with translation.override("en"):
        english = Text.from_json(stored).title
    with translation.override("zh-hans"):
        chinese = Text.from_json(stored).title
    assert english.split("|")[3:7] == ["Fail", "Imported 3 rows", "A, B", "Fitting"]
    assert chinese.split("|")[3:7] == ["不合格", "已导入 3 行", "A、B", "定配"]
    with pytest.raises(TypeError):
        sample(amount=object(), day="", at="", label="", inner="", items="", skill="", who="")
    with pytest.raises(ValueError):
        sample(amount=float("nan"), day="", at="", label="", inner="", items="", skill="", who="")


def test_unknown_ids_and_damaged_rows_render_without_raising():
    with translation.override("en"):
        assert "can no longer be shown" in render("removed.message", {"x": 1})
        assert render("removed.message", {}, "body") == ""
        assert render(texts.IMPORT_ROWS_SAVED.id, {}) == "Imported … rows"
        assert "can no longer be shown" in Text.from_json("not a dict").title
    assert Text.from_json({"id": texts.LEGACY.id, "params": {"title": "旧", "body": "正文"}}).body == "正文"


def test_naive_datetimes_are_kept_as_written():
    sample = message("tests.naive", "%(at)s")
    assert sample(at=dt.datetime(2026, 1, 2, 3, 4)).params["at"] == "2026-01-02T03:04:00"
