"""The form renderer (``FORM_RENDERER``): Django's widget templates, with the hottest ones built in Python.

A list page's filter form has selects with hundreds of choices (skills, occupations, organisations).
Django renders every ``<option>`` as its own template include plus an attrs include, which made the
option loop the largest single cost of the talent and course lists (issue 13's profile: about 200
includes per page). ``FastFormRenderer`` writes the same markup directly for Django's own select, option
and input templates (byte-for-byte the same output, checked by ``core/tests/test_renderers.py``) and
hands every other template — custom widgets, a project override — to the template engine as before.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, SafeString, mark_safe

_W = "django/forms/widgets/"
SELECT = _W + "select.html"
OPTION = _W + "select_option.html"
INPUT = _W + "input.html"
#: Django's input widgets whose template is nothing but ``{% include "…/input.html" %}``.
INPUTS = frozenset(
    _W + name
    for name in (
        "input.html",
        "text.html",
        "number.html",
        "email.html",
        "url.html",
        "tel.html",
        "search.html",
        "password.html",
        "hidden.html",
        "date.html",
        "datetime.html",
        "time.html",
        "color.html",
        "checkbox.html",
    )
)


def _text(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: the plain string, escaped unless it was marked safe."""
    text = f"{value}"
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``: ``name="value"``, bare ``name`` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{_text(value)}"'
        )
    return "".join(parts)


def _label(value: Any) -> str:
    """``{{ widget.label }}``: localized like any template variable, then escaped."""
    return str(conditional_escape(localize(value)))


def _option(option: dict[str, Any]) -> str:
    return f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>{_label(option["label"])}</option>'


def render_select(widget: dict[str, Any]) -> str | None:
    """``select.html`` and its options, or None when an option uses another template."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_label(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION:
                return None
            # select_option.html ends in a newline, and the include keeps it.
            parts.append("\n  " + _option(option) + "\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def render_input(widget: dict[str, Any]) -> str:
    """``input.html``."""
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


class FastFormRenderer(DjangoTemplates):
    """Django's default form renderer, except that selects and plain inputs are written in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> SafeString:
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and not self._overridden(template_name):
            if template_name == SELECT:
                html = render_select(widget)
                if html is not None:
                    return mark_safe(html)  # noqa: S308 - every value above is escaped
            elif template_name in INPUTS:
                return mark_safe(render_input(widget))  # noqa: S308 - every value above is escaped
        return super().render(template_name, context, request=request)

    def _overridden(self, template_name: str) -> bool:
        """Whether a project or app template replaces Django's own (then the template wins)."""
        cache = self.__dict__.setdefault("_origins", {})
        if template_name not in cache:
            origin = self.get_template(template_name).origin.name
            cache[template_name] = "/django/forms/templates/" not in str(origin).replace("\\", "/")
        return bool(cache[template_name])
