"""Forms of conversations: a message with files, and the note field other apps' invite forms carry."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingxiang.conversations.rules import ATTACHMENTS_MAX, BODY_MAX
from jingxiang.core.forms import PlainTextField, StyledFormMixin

ACCEPT = ".pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (size, type by its first bytes)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class MessageForm(StyledFormMixin, forms.Form):
    body = PlainTextField(
        label=_("消息"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("写下您想说的话…")}),
    )
    attachments = MultipleFileField(
        label=_("附件"),
        required=False,
        help_text=_("最多 %(n)s 个文件,每个不超过 10 MB:PDF、图片(JPG/PNG)、Word 或 Excel。")
        % {"n": ATTACHMENTS_MAX},
    )


def note_field() -> forms.CharField:
    """The optional personal note of an invitation (it becomes the first message of its conversation)."""
    return PlainTextField(
        label=_("附言(可选,对方会在对话中看到)"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "class": "input"}),
    )
