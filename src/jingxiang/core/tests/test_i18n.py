"""Chinese first, English complete: every catalogue fully translated and the switch works."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

SOURCE = Path(__file__).resolve().parents[2]


def catalogues() -> list[Path]:
    return sorted(SOURCE.glob("**/locale/en/LC_MESSAGES/django.po"))


def test_there_is_an_english_catalogue():
    assert catalogues()


@pytest.mark.parametrize("path", catalogues(), ids=lambda p: str(p.relative_to(SOURCE)))
def test_every_message_is_translated(path):
    catalogue = polib.pofile(str(path))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"untranslated in {path.name}: {missing[:10]}"
    assert not fuzzy, f"fuzzy in {path.name}: {fuzzy[:10]}"
    compiled = path.with_suffix(".mo")
    assert compiled.exists() and compiled.stat().st_mtime >= path.stat().st_mtime - 1, "run compilemessages"


@pytest.mark.django_db
def test_language_switch_renders_english(cast, client):
    client.force_login(cast.operator)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/talents/"}, follow=True)
    page = response.content.decode()
    assert "Talent directory" in page
    assert "Export to Excel" in page
    chinese = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/talents/"}, follow=True)
    assert "人才名录" in chinese.content.decode()
