"""Searchable pickers: one type-ahead form widget for every choice among many, and its option sources.

A form field names a *source* (``PickerField(source="talents.skills", queryset=...)``); the source,
registered by the app that owns the records, says which rows a user may be offered (from the app's
``visible_to``/permission functions), how to match what they type (name, pinyin, initials) and how an
option reads. The browser asks ``/pick/<source>/?q=…`` (HTMX) for matching options; the URL carries the
source's name, never a model name, and the endpoint answers 404 to a user the source refuses.

The field still validates against its own queryset, which the form sets from the same permission
function as the source, so a crafted POST cannot pick a row the type-ahead would not offer.

Without JavaScript the widget is a plain text input: the chosen rows show as ticked checkboxes (untick to
remove) and names typed into the input, separated by commas, are matched on submit; a name that matches
nothing or several rows is refused with a message saying so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

# Options shown per request; more matches ask the user to keep typing.
LIMIT = 20
# Names typed without JavaScript: at most this many per field (one query each).
MAX_TYPED = 30
TEXT_SUFFIX = "__text"
LEVEL_SUFFIX = "__level__"
TOKEN_SPLIT = re.compile(r"[,,、;;\n]+")


def _nothing(obj: Any) -> str:
    return ""


def default_match(queryset: models.QuerySet, query: str) -> models.QuerySet:
    """Name, pinyin or initials through the queryset's own ``search`` (talents, organisations), else the
    name as written."""
    typed = query.strip()
    if not typed:
        return queryset
    search = getattr(queryset, "search", None)
    if callable(search):
        return search(typed)
    return queryset.filter(name__icontains=typed)


@dataclass(frozen=True)
class PickerSource:
    """What one picker offers a user.

    ``queryset(user)`` returns the rows the user may pick, or ``None`` when the user may not use this
    picker at all (the endpoint then answers 404). ``match(queryset, query)`` narrows them to what was
    typed and may return a queryset or a list.
    """

    name: str
    queryset: Callable[[Any], models.QuerySet | None]
    label: Callable[[Any], str] = str
    detail: Callable[[Any], str] = _nothing
    match: Callable[[models.QuerySet, str], Iterable[Any]] = default_match
    select_related: tuple[str, ...] = ()


_sources: dict[str, PickerSource] = {}


def register_source(source: PickerSource) -> None:
    """Declare a picker source (called from the owning app's ``AppConfig.ready``)."""
    _sources[source.name] = source


def picker_source(name: str) -> PickerSource | None:
    return _sources.get(name)


def _rows(source: PickerSource, queryset: models.QuerySet, query: str, limit: int) -> list[Any]:
    if source.select_related:
        queryset = queryset.select_related(*source.select_related)
    matched = source.match(queryset, query)
    if isinstance(matched, models.QuerySet):
        return list(matched[:limit])
    return list(matched)[:limit]


def options_for(user: Any, name: str, query: str) -> dict[str, Any] | None:
    """The options the endpoint shows, or None when the source is unknown or refuses the user."""
    source = picker_source(name)
    if source is None:
        return None
    queryset = source.queryset(user)
    if queryset is None:
        return None
    rows = _rows(source, queryset, query[:100], LIMIT + 1)
    options = [
        {"value": str(row.pk), "label": source.label(row), "detail": source.detail(row)}
        for row in rows[:LIMIT]
    ]
    return {"options": options, "more": len(rows) > LIMIT, "query": query.strip()}


class PickerInput(NamedTuple):
    """What a picker submits: the chosen ids, anything typed into its input, and (for skills) levels."""

    ids: list[str]
    text: str
    levels: Mapping[str, str] = {}


class PickerWidget(forms.Widget):
    """A combobox (ARIA 1.2 pattern) over an HTMX listbox; see ``core/static/jingxiang/picker.js``."""

    template_name = "core/widgets/picker.html"
    with_levels = False
    default_level = 3

    def __init__(
        self,
        *,
        source: str,
        multiple: bool,
        attrs: dict[str, Any] | None = None,
        placeholder: str | Promise = "",
    ) -> None:
        super().__init__(attrs)
        self.source = source
        self.multiple = multiple
        self.placeholder = placeholder
        self.choices: Any = None

    def use_required_attribute(self, initial: Any) -> bool:
        # The text input may stay empty once rows are chosen: "required" is checked on the server.
        return False

    def value_from_datadict(self, data: Any, files: Any, name: str) -> PickerInput:
        if hasattr(data, "getlist"):
            ids = data.getlist(name)
        else:
            raw = data.get(name)
            ids = list(raw) if isinstance(raw, list | tuple) else ([raw] if raw not in (None, "") else [])
        ids = [str(value).strip() for value in ids if str(value).strip()]
        levels = {}
        if self.with_levels:
            for value in ids:
                level = data.get(f"{name}{LEVEL_SUFFIX}{value}")
                if level:
                    levels[value] = str(level)
        return PickerInput(ids, str(data.get(f"{name}{TEXT_SUFFIX}", "") or ""), levels)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}{TEXT_SUFFIX}" not in data

    def _chosen(self, value: Any) -> tuple[list[dict[str, Any]], str]:
        """The chosen rows as (value, label, level) in the order chosen, and the typed text."""
        text = ""
        levels: Mapping[Any, Any] = {}
        if isinstance(value, PickerInput):
            text, levels, items = value.text, value.levels, list(value.ids)
        elif isinstance(value, Mapping):
            levels = {str(getattr(k, "pk", k)): v for k, v in value.items()}
            items = list(value)
        elif value is None or value == "":
            items = []
        elif isinstance(value, models.Model | str | int):
            items = [value]
        else:
            items = list(value)
        queryset = getattr(self.choices, "queryset", None)
        field = getattr(self.choices, "field", None)
        known = {str(item.pk): item for item in items if isinstance(item, models.Model)}
        keys = list(dict.fromkeys(str(getattr(item, "pk", item)) for item in items))
        missing = []
        if queryset is not None:
            for key in keys:
                if key in known:
                    continue
                try:
                    queryset.model._meta.pk.to_python(key)
                except ValidationError:
                    continue
                missing.append(key)
        if missing:
            known.update({str(row.pk): row for row in queryset.filter(pk__in=missing)})
        chosen = []
        for key in keys:
            row = known.get(key)
            if row is None:
                continue
            label = field.label_from_instance(row) if field is not None else str(row)
            chosen.append({"value": key, "label": label, "level": str(levels.get(key, "") or "")})
        return chosen, text

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, None, attrs)
        chosen, text = self._chosen(value)
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"].update(
            {
                "id": widget_id,
                "chosen": chosen,
                "text": text,
                "multiple": self.multiple,
                "with_levels": self.with_levels,
                "levels": [str(level) for level in range(1, 6)],
                "default_level": str(self.default_level),
                "source_url": reverse("core:picker", args=[self.source]),
                "text_name": f"{name}{TEXT_SUFFIX}",
                "level_prefix": f"{name}{LEVEL_SUFFIX}",
                "placeholder": self.placeholder or gettext("输入名称、拼音或首字母"),
            }
        )
        return context


class SkillLevelWidget(PickerWidget):
    """The skill picker with a level (1–5) beside each chosen skill."""

    with_levels = True


class _PickerMixin:
    """Shared by the single and multiple picker fields: the source's labels and typed-name matching."""

    multiple = False
    widget_class: type[PickerWidget] = PickerWidget
    queryset: models.QuerySet

    def _setup(self, source: str, placeholder: str | Promise, kwargs: dict[str, Any]) -> None:
        self.source_name = source
        kwargs.setdefault(
            "widget", self.widget_class(source=source, multiple=self.multiple, placeholder=placeholder)
        )

    @property
    def source(self) -> PickerSource | None:
        return picker_source(self.source_name)

    def label_from_instance(self, obj: Any) -> str:
        source = self.source
        return source.label(obj) if source is not None else str(obj)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, PickerInput | Mapping):
            return value
        return super().prepare_value(value)  # type: ignore[misc]

    def _tokens(self, text: str) -> list[str]:
        tokens = [token.strip() for token in TOKEN_SPLIT.split(text or "") if token.strip()]
        if len(tokens) > MAX_TYPED:
            raise ValidationError(_("一次最多输入 %(n)s 个名称。") % {"n": MAX_TYPED}, code="too_many_typed")
        return tokens

    def _resolve(self, token: str) -> Any:
        """The one row a typed name stands for, or a ValidationError that says why there is none."""
        source = self.source
        match = source.match if source is not None else default_match
        label = source.label if source is not None else str
        matched = match(self.queryset, token)
        rows = list(matched[:6]) if isinstance(matched, models.QuerySet) else list(matched)[:6]
        if len(rows) == 1:
            return rows[0]
        folded = token.casefold()
        exact = [row for row in rows if folded in {label(row).casefold(), str(row).casefold()}]
        if len(exact) == 1:
            return exact[0]
        if not rows:
            raise ValidationError(_("没有找到“%(name)s”。"), code="not_found", params={"name": token})
        names = pgettext("列表分隔符", "、").join(label(row) for row in rows[:5])
        raise ValidationError(
            _("“%(name)s”对应多项(%(names)s…),请从列表中选择,或输入完整名称。"),
            code="ambiguous",
            params={"name": token, "names": names},
        )

    def _resolve_all(self, text: str) -> list[Any]:
        found, problems = [], []
        for token in self._tokens(text):
            try:
                found.append(self._resolve(token))
            except ValidationError as error:
                problems.extend(error.error_list)
        if problems:
            raise ValidationError(problems)
        return found


class PickerField(_PickerMixin, forms.ModelChoiceField):
    """Choose one row through a picker source; cleans to a model instance like ModelChoiceField."""

    def __init__(
        self, *, source: str, queryset: Any = None, placeholder: str | Promise = "", **kwargs: Any
    ) -> None:
        self._setup(source, placeholder, kwargs)
        kwargs.setdefault("empty_label", None)
        super().__init__(queryset=queryset, **kwargs)

    def clean(self, value: Any) -> Any:
        if isinstance(value, PickerInput):
            if value.text.strip():
                rows = self._resolve_all(value.text)
                if len(rows) > 1:
                    raise ValidationError(_("这里只能选择一项。"), code="one_only")
                value = rows[0].pk
            else:
                value = value.ids[-1] if value.ids else ""
        return super().clean(value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        if isinstance(data, PickerInput):
            if data.text.strip():
                return True
            data = data.ids[-1] if data.ids else ""
        return super().has_changed(initial, data)


class PickerMultipleField(_PickerMixin, forms.ModelMultipleChoiceField):
    """Choose any number of rows through a picker source; cleans to a queryset."""

    multiple = True

    def __init__(
        self, *, source: str, queryset: Any = None, placeholder: str | Promise = "", **kwargs: Any
    ) -> None:
        self._setup(source, placeholder, kwargs)
        super().__init__(queryset=queryset, **kwargs)

    def _ids(self, value: Any) -> Any:
        if not isinstance(value, PickerInput):
            return value
        ids = list(value.ids)
        ids += [str(row.pk) for row in self._resolve_all(value.text)]
        return list(dict.fromkeys(ids))

    def clean(self, value: Any) -> Any:
        return super().clean(self._ids(value))

    def has_changed(self, initial: Any, data: Any) -> bool:
        if isinstance(data, PickerInput):
            if data.text.strip():
                return True
            data = data.ids
        return super().has_changed(initial, data)


class SkillLevelField(PickerMultipleField):
    """Skills with a level each: cleans to ``{skill: level}`` (levels 1–5, new ones ``default_level``).

    Typed without JavaScript, a skill may carry its level after a colon (“镀膜:4”).
    """

    widget_class = SkillLevelWidget
    LEVEL = re.compile(r"^(?P<name>.+?)\s*[::]\s*(?P<level>\d+)$")

    def __init__(self, *, default_level: int = 3, **kwargs: Any) -> None:
        self.default_level = default_level
        super().__init__(**kwargs)
        self.widget.default_level = default_level

    def _level(self, raw: Any, skill: Any) -> int:
        try:
            level = int(str(raw))
        except ValueError:
            level = 0
        if not 1 <= level <= 5:
            raise ValidationError(
                _("%(skill)s 的熟练程度应为 1–5。"),
                code="level",
                params={"skill": self.label_from_instance(skill)},
            )
        return level

    def clean(self, value: Any) -> dict[Any, int]:
        if not isinstance(value, PickerInput):
            chosen = super().clean(value)
            return dict.fromkeys(chosen, self.default_level)
        typed_levels: dict[str, str] = {}
        ids = list(value.ids)
        problems = []
        for token in self._tokens(value.text):
            found = self.LEVEL.match(token)
            name, level = (found.group("name"), found.group("level")) if found else (token, "")
            try:
                row = self._resolve(name)
            except ValidationError as error:
                problems.extend(error.error_list)
                continue
            ids.append(str(row.pk))
            if level:
                typed_levels[str(row.pk)] = level
        if problems:
            raise ValidationError(problems)
        ids = list(dict.fromkeys(ids))
        chosen = {str(skill.pk): skill for skill in super().clean(ids)}
        result, problems = {}, []
        for key in ids:
            skill = chosen.get(key)
            if skill is None:
                continue
            raw = typed_levels.get(key) or value.levels.get(key) or self.default_level
            try:
                result[skill] = self._level(raw, skill)
            except ValidationError as error:
                problems.extend(error.error_list)
        if problems:
            raise ValidationError(problems)
        return result

    def has_changed(self, initial: Any, data: Any) -> bool:
        def levels(value: Any) -> dict[str, str]:
            if isinstance(value, PickerInput):
                return {key: str(value.levels.get(key, self.default_level)) for key in value.ids}
            if isinstance(value, Mapping):
                return {str(getattr(k, "pk", k)): str(v) for k, v in value.items()}
            return {str(getattr(item, "pk", item)): str(self.default_level) for item in value or []}

        if isinstance(data, PickerInput) and data.text.strip():
            return True
        return levels(initial) != levels(data)
