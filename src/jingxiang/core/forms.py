"""Form fields that every app uses for Chinese identifiers and plain text."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms

from jingxiang.core.validators import clean_mobile, clean_resident_id, clean_uscc, reject_markup


class PlainTextField(forms.CharField):
    """A text field that refuses HTML/script with a clear message."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.validators.append(reject_markup)


class PlainTextAreaField(PlainTextField):
    widget = forms.Textarea(attrs={"rows": 4})


class USCCField(forms.CharField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return clean_uscc(value) if value else value


class MobileField(forms.CharField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return clean_mobile(value) if value else value


class ResidentIdField(forms.CharField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 24)
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return clean_resident_id(value) if value else value


class StyledFormMixin:
    """Adds the house CSS class to every widget and marks required fields for screen readers too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            css = "input"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "checkbox"
            elif isinstance(field.widget, forms.Select | forms.SelectMultiple):
                css = "select"
            field.widget.attrs.setdefault("class", css)
            if field.required:
                field.widget.attrs.setdefault("aria-required", "true")


def add_service_error(form: forms.Form, error: Exception) -> None:
    """Show a service's refusal on the form: on its field when the form has it, otherwise on top.

    Services validate again inside their transaction (another request may have taken the username in
    between), and their field names need not match the form's.
    """
    from django.core.exceptions import ValidationError

    if not isinstance(error, ValidationError):
        form.add_error(None, refusal_message(error))
        return
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages)
        return
    form.add_error(None, error.messages)


def refusal_messages(error: Exception) -> list[str]:
    """The messages of a service's refusal (ValidationError or PermissionDenied), ready to show."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext

    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error) or gettext("没有权限。")]


def refusal_message(error: Exception) -> str:
    """A service's refusal as one line (for flash messages)."""
    return " ".join(refusal_messages(error))


def flash_refusal(request: Any, error: Exception) -> None:
    """Show a service's refusal as error messages on the next page."""
    from django.contrib import messages

    for message in refusal_messages(error):
        messages.error(request, message)


_F = TypeVar("_F", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[_F]) -> _F:
    """The form's field ``name`` as the kind it is declared as, to set its queryset or choices in
    ``__init__`` (``form.fields`` only knows it is a field); a ``TypeError`` if it is another kind."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field
