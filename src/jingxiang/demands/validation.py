"""Checks on what people type into demands and proposals, shared by forms and services.

Owners type on phones: emoji, traditional characters and English words mixed into Chinese are fine
(the engine normalises them); empty text, text made only of symbols, markup and absurd lengths are
refused with a message that says what to do.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jingxiang.core.validators import reject_markup

TITLE_MAX = 80
DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 5000
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_MAX_COUNT = 5
ATTACHMENT_TYPES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
}


def meaningful_length(text: str) -> int:
    """Letters, digits and CJK characters; emoji, punctuation and spaces do not describe a need."""
    return sum(1 for char in text if unicodedata.category(char)[0] in {"L", "N"})


def clean_text(value: str, *, label: str, minimum: int, maximum: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(_("请填写%(label)s。") % {"label": label}, code="required")
    reject_markup(text)
    if len(text) > maximum:
        raise ValidationError(
            _("%(label)s最多 %(max)s 字,现在有 %(n)s 字,请精简。")
            % {"label": label, "max": maximum, "n": len(text)},
            code="too_long",
        )
    if meaningful_length(text) < minimum:
        raise ValidationError(
            _("%(label)s至少要有 %(min)s 个汉字、字母或数字,请用文字说明(表情和符号不算)。")
            % {"label": label, "min": minimum},
            code="too_short",
        )
    return text


def check_attachment(upload: object) -> None:
    """Size, extension and the file's first bytes must agree; the message names the rule."""
    name = str(getattr(upload, "name", ""))
    size = int(getattr(upload, "size", 0) or 0)
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        raise ValidationError(
            _("附件“%(name)s”的类型不支持,只能上传 PDF、图片(JPG/PNG)、Word 或 Excel 文件。")
            % {"name": name},
            code="attachment_type",
        )
    if size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("附件“%(name)s”超过 10 MB,请压缩后再上传。") % {"name": name}, code="attachment_size"
        )
    if size == 0:
        raise ValidationError(_("附件“%(name)s”是空文件。") % {"name": name}, code="attachment_empty")
    head = upload.read(8)  # type: ignore[attr-defined]
    upload.seek(0)  # type: ignore[attr-defined]
    if not any(head.startswith(magic) for magic in ATTACHMENT_TYPES[extension]):
        raise ValidationError(
            _("附件“%(name)s”的内容与扩展名不符,请确认文件没有损坏或被改名。") % {"name": name},
            code="attachment_content",
        )


def bigrams(text: str) -> set[str]:
    folded = "".join(char.lower() for char in text if unicodedata.category(char)[0] in {"L", "N"})
    return {folded[i : i + 2] for i in range(len(folded) - 1)}


def similarity(first: str, second: str) -> float:
    """Character-bigram Jaccard similarity: robust for Chinese without segmentation."""
    a, b = bigrams(first), bigrams(second)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
