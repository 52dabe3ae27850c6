"""Validators shared by forms, imports and the API."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Tags (<b>, </script>, <!--, <?xml), script URLs and inline event handlers; "a<b" or "Condition=good" pass.
_MARKUP = re.compile(r"<\s*[a-zA-Z!/?][^>]*>|<\s*script|javascript:|\bon[a-z]+\s*=", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def reject_markup(value: str) -> None:
    """Refuse HTML or script in plain-text fields.

    Output is escaped anyway; refusing it at input tells the person why their text looks wrong
    instead of silently storing markup that other systems (Excel, PDFs, SMS) might not escape.
    """
    if value and _MARKUP.search(str(value)):
        raise ValidationError(_("请不要输入 HTML 标签或脚本(如 <script>、javascript:)。"), code="markup")
    if value and _CONTROL.search(str(value)):
        raise ValidationError(_("文本中含有不可见的控制字符,请删除后重试。"), code="control_characters")


def _identifier_message(error: object) -> str:
    from django.utils.translation import get_language

    language = (get_language() or "zh-hans").lower()
    if language.startswith("zh"):
        return str(getattr(error, "message_zh", "") or getattr(error, "message", error))
    return str(getattr(error, "message", error))


def clean_uscc(value: str) -> str:
    """Validate a 统一社会信用代码 (GB 32100-2015 check character) and return its normal form."""
    from jingxiang.identifiers import IdentifierError, validate_uscc

    try:
        return validate_uscc(value).code
    except IdentifierError as error:
        raise ValidationError(_identifier_message(error), code=error.code) from error


def clean_mobile(value: str) -> str:
    from jingxiang.identifiers import IdentifierError, validate_mobile

    try:
        return validate_mobile(value)
    except IdentifierError as error:
        raise ValidationError(_identifier_message(error), code=error.code) from error


def clean_resident_id(value: str) -> str:
    """Validate a 居民身份证号码 (GB 11643 check digit, real birth date) and return its normal form."""
    from jingxiang.identifiers import IdentifierError, validate_resident_id

    try:
        return validate_resident_id(value).number
    except IdentifierError as error:
        raise ValidationError(_identifier_message(error), code=error.code) from error
