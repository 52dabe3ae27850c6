"""Texts kept as a message id with parameters and rendered in the reader's language when shown.

A notification, a job's progress line or an e-mail is written during one person's request (or by a
worker) and read later by someone else, often in another language. Storing the rendered sentence would
freeze the writer's language; storing the message id and plain parameters lets every reader get their
own. Each app declares its messages once, in its ``texts.py``, with gettext-marked Chinese templates
(so they land in the catalogues and get English translations):

    REPORT_ISSUED = message("lab.report_issued", title=gettext_lazy("检测报告已签发:%(number)s"))
    notification_send(recipient=user, message=REPORT_ISSUED(number=report.number), url=...)

Parameters are plain JSON values captured when the text is written: strings, numbers, dates as ISO,
names of objects (an object passed in is stored as its ``str()``, the name at that moment). Two kinds of
parameters stay translatable: a lazy label (a choice label, ``Overall(report.overall).label``) is kept
as its msgid and translated for the reader, and another ``Text`` nests. A name the data holds in
several languages is passed as ``PerLanguage({"zh-hans": ..., "en": ...})``. A list is joined with the
reader's list separator.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"%\((\w+)\)")
_catalogue: dict[str, Message] = {}


def msgid_of(text: str | Promise) -> str:
    """The untranslated (Chinese) source of a lazy string; a plain string is returned as it is."""
    if isinstance(text, Promise):
        # With translations deactivated gettext returns its msgid unchanged.
        with translation.override(None):
            return str(text)
    return text


@dataclass(frozen=True)
class Message:
    """One registered message: an id and a title template, optionally a body template."""

    id: str
    title: str | Promise
    body: str | Promise = ""
    names: frozenset[str] = field(default=frozenset(), compare=False)

    def __call__(self, **params: Any) -> Text:
        """Bind parameters; refuses missing or unknown names so a typo fails in tests, not for readers."""
        names = self.names or self._placeholders()
        given = set(params)
        if given != names:
            missing, unknown = sorted(names - given), sorted(given - names)
            raise ValueError(f"message {self.id}: missing parameters {missing}, unknown parameters {unknown}")
        return Text(self.id, {name: plain_value(value) for name, value in params.items()})

    def _placeholders(self) -> frozenset[str]:
        found = set(_PLACEHOLDER.findall(msgid_of(self.title)))
        found.update(_PLACEHOLDER.findall(msgid_of(self.body)))
        names = frozenset(found)
        object.__setattr__(self, "names", names)
        return names


def message(message_id: str, title: str | Promise, body: str | Promise = "") -> Message:
    """Declare a message (at module level in an app's ``texts.py``); ids are unique across the platform."""
    existing = _catalogue.get(message_id)
    if existing is not None and (existing.title, existing.body) != (title, body):
        raise ValueError(f"message id {message_id!r} is declared twice")
    entry = Message(message_id, title, body)
    _catalogue[message_id] = entry
    return entry


def registered() -> list[Message]:
    """Every declared message (the tests render each one in every language)."""
    return list(_catalogue.values())


@dataclass(frozen=True)
class PerLanguage:
    """A name the data holds in several languages (a skill's ``name_zh``/``name_en``): the reader's wins."""

    names: dict[str, str]


def plain_value(value: Any) -> Any:
    """A parameter as a JSON value that can be rendered later without the objects it came from."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("a message parameter must be a finite number")
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
            if timezone.is_aware(value)
            else value.isoformat()
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Promise):
        return {"term": msgid_of(value)}
    if isinstance(value, Text):
        return value.as_json()
    if isinstance(value, PerLanguage):
        return {"by_language": {str(code): str(name) for code, name in value.names.items()}}
    if isinstance(value, list | tuple):
        return {"list": [plain_value(item) for item in value]}
    if hasattr(value, "_meta") and hasattr(value, "pk"):
        # An object is referred to by its name at the time of writing: the reader sees what the writer
        # saw, even after a rename, and rendering needs no query.
        return str(value)
    raise TypeError(f"unsupported message parameter {type(value).__name__}")


class _Values(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        # A parameter dropped from an old row must not break the page that shows it.
        return "…"


def _render_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "term" in value:
            return gettext(str(value["term"])) if value["term"] else ""
        if "id" in value:
            return Text.from_json(value).title
        if "by_language" in value and isinstance(value["by_language"], dict):
            names = value["by_language"]
            language = translation.get_language() or settings.LANGUAGE_CODE
            chosen = names.get(language) or names.get(settings.LANGUAGE_CODE)
            return chosen if chosen else next((name for name in names.values() if name), "")
        if "list" in value:
            return gettext(msgid_of(LIST_SEPARATOR)).join(str(_render_value(item)) for item in value["list"])
        return ""
    return "" if value is None else value


def render(message_id: str, params: dict[str, Any] | None, part: str = "title") -> str:
    """One part ("title" or "body") of a stored text in the active language; never raises."""
    entry = _catalogue.get(message_id)
    if entry is None:
        logger.warning("unknown message id %r", message_id)
        return str(MISSING.title) if part == "title" else ""
    template = entry.title if part == "title" else entry.body
    if not template:
        return ""
    values = _Values({name: _render_value(value) for name, value in (params or {}).items()})
    try:
        return str(template) % values
    except (TypeError, ValueError):
        logger.warning("message %s could not be rendered with %r", message_id, params)
        return str(template)


@dataclass(frozen=True)
class Text:
    """A bound message: what is stored instead of a sentence. ``str(text)`` renders the title."""

    id: str
    params: dict[str, Any]

    @property
    def title(self) -> str:
        return render(self.id, self.params, "title")

    @property
    def body(self) -> str:
        return render(self.id, self.params, "body")

    def __str__(self) -> str:
        return self.title

    def in_language(self, language: str) -> tuple[str, str]:
        """Title and body for a reader who is not the current request (an e-mail, a worker)."""
        with translation.override(language):
            return self.title, self.body

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "params": self.params}

    @classmethod
    def from_json(cls, data: Any) -> Text:
        """A text read back from a JSON field; anything unreadable becomes the "unavailable" message."""
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            params = data.get("params")
            return cls(data["id"], params if isinstance(params, dict) else {})
        return cls(MISSING.id, {})


LIST_SEPARATOR = _("、")
# Rows written before texts were stored as ids keep the sentence they were written with.
LEGACY = message("core.legacy", "%(title)s", "%(body)s")
MISSING = message("core.missing", _("(这条消息的内容已无法显示)"))

# Progress of the whole-file-first Excel imports (core.imports).
IMPORT_CHECKING = message("core.import_checking", _("正在校验文件…"))
IMPORT_CHECK_FAILED = message("core.import_check_failed", _("校验未通过,未导入任何数据。"))
IMPORT_SAVING = message("core.import_saving", _("校验通过,正在导入…"))
IMPORT_FINISHED = message("core.import_finished", _("导入完成。"))
IMPORT_ROWS_SAVED = message("core.import_rows_saved", _("已导入 %(n)s 行"))
