"""Typed validation errors with stable codes and bilingual messages.

The engines must not import Django, yet every message has to reach the user in zh-hans or English.
So each error carries a stable ``code`` (for tests, logs and API clients), the English message
*template* with ``%(name)s`` placeholders (a constant string, so the web layer can pass it through
``gettext`` and keep the msgid stable), the ``params`` to fill it, and the ready-made English and
Chinese texts so nothing is lost when the error is shown outside Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

# code -> (English template, Chinese template). Placeholders are %-style so that
# ``gettext(template) % params`` works unchanged in the Django layer.
MESSAGES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        # 统一社会信用代码 (GB 32100-2015)
        "uscc_empty": (
            "Enter the unified social credit code.",
            "请输入统一社会信用代码。",
        ),
        "uscc_length": (
            "A unified social credit code has 18 characters; this one has %(length)d.",
            "统一社会信用代码应为18位，当前为%(length)d位。",
        ),
        "uscc_characters": (
            "The code contains characters that are not allowed (%(characters)s). "
            "Only digits and capital letters other than I, O, S, V and Z are used.",
            "代码中含有不允许的字符（%(characters)s）。统一社会信用代码只使用数字和除I、O、S、V、Z以外的大写字母。",
        ),
        "uscc_authority": (
            "'%(authority)s' is not a registration authority code (first character).",
            "第1位登记管理部门代码“%(authority)s”无效。",
        ),
        "uscc_category": (
            "'%(category)s' is not an organisation category of registration authority '%(authority)s' "
            "(second character).",
            "第2位机构类别代码“%(category)s”不属于登记管理部门“%(authority)s”。",
        ),
        "uscc_region": (
            "'%(region)s' is not an administrative division code (characters 3 to 8).",
            "第3至8位行政区划码“%(region)s”无效。",
        ),
        "uscc_organisation_code_check": (
            "The organisation code %(organisation_code)s (characters 9 to 17) does not match its check "
            "character; check the code for a typing error.",
            "第9至17位组织机构代码%(organisation_code)s校验不通过，请检查是否输错。",
        ),
        "uscc_check": (
            "The check character '%(actual)s' does not match the other 17 characters; "
            "check the code for a typing error.",
            "校验码“%(actual)s”与前17位不符，请检查代码是否输错。",
        ),
        # 居民身份证号码 (GB 11643-1999)
        "resident_id_empty": (
            "Enter the resident identity card number.",
            "请输入居民身份证号码。",
        ),
        "resident_id_legacy_15": (
            "15-digit identity card numbers are no longer in use; enter the 18-digit number.",
            "15位身份证号码已停止使用，请填写18位号码。",
        ),
        "resident_id_length": (
            "A resident identity card number has 18 characters; this one has %(length)d.",
            "居民身份证号码应为18位，当前为%(length)d位。",
        ),
        "resident_id_characters": (
            "The first 17 characters must be digits and the last a digit or X.",
            "身份证号码前17位应为数字，最后一位应为数字或X。",
        ),
        "resident_id_region": (
            "'%(region)s' is not an administrative division code (first 6 digits).",
            "前6位行政区划码“%(region)s”无效。",
        ),
        "resident_id_birth_date_invalid": (
            "'%(birth_date)s' (digits 7 to 14) is not a real date.",
            "第7至14位出生日期“%(birth_date)s”不是有效日期。",
        ),
        "resident_id_birth_date_future": (
            "The date of birth %(birth_date)s is in the future.",
            "出生日期%(birth_date)s晚于今天。",
        ),
        "resident_id_birth_date_too_early": (
            "The date of birth %(birth_date)s is before 1900.",
            "出生日期%(birth_date)s早于1900年。",
        ),
        "resident_id_check": (
            "The check digit '%(actual)s' does not match the other 17 digits; "
            "check the number for a typing error.",
            "校验码“%(actual)s”与前17位不符，请检查号码是否输错。",
        ),
        # 手机号码
        "mobile_empty": (
            "Enter a mobile number.",
            "请输入手机号码。",
        ),
        "mobile_characters": (
            "A mobile number may only contain digits, spaces, dashes and a +86 prefix.",
            "手机号码只能包含数字、空格、短横线和+86前缀。",
        ),
        "mobile_length": (
            "A mainland China mobile number has 11 digits; this one has %(length)d.",
            "中国大陆手机号码应为11位，当前为%(length)d位。",
        ),
        "mobile_prefix": (
            "A mainland China mobile number starts with 13 to 19.",
            "中国大陆手机号码应以13至19开头。",
        ),
        # Machine-readable zone of a passport (ICAO Doc 9303, TD3: two lines of 44 characters)
        "mrz_empty": (
            "Scan or paste the two lines of the passport's machine-readable zone.",
            "请扫描或粘贴护照机读区的两行字符。",
        ),
        "mrz_shape": (
            "A passport's machine-readable zone is two lines of 44 characters; this has %(shape)s.",
            "护照机读区应为两行、每行44个字符,当前为 %(shape)s。",
        ),
        "mrz_characters": (
            "The machine-readable zone contains characters that are not allowed (%(characters)s): "
            "only A-Z, 0-9 and < are used.",
            "机读区含有不允许的字符(%(characters)s):只应有 A-Z、0-9 和 <。",
        ),
        "mrz_not_passport": (
            "This machine-readable zone is not a passport's (it starts with '%(start)s', not 'P').",
            "这不是护照的机读区(开头为“%(start)s”,护照应以 P 开头)。",
        ),
        "mrz_check_number": (
            "The check digit of the document number does not match (read %(actual)s, expected %(expected)s): "
            "scan again or type the data.",
            "机读区证件号码的校验位不符(读到 %(actual)s,应为 %(expected)s):请重新扫描或手工录入。",
        ),
        "mrz_check_birth": (
            "The check digit of the date of birth does not match (read %(actual)s, expected %(expected)s): "
            "scan again or type the data.",
            "机读区出生日期的校验位不符(读到 %(actual)s,应为 %(expected)s):请重新扫描或手工录入。",
        ),
        "mrz_check_expiry": (
            "The check digit of the date of expiry does not match (read %(actual)s, expected %(expected)s): "
            "scan again or type the data.",
            "机读区有效期至的校验位不符(读到 %(actual)s,应为 %(expected)s):请重新扫描或手工录入。",
        ),
        "mrz_check_optional": (
            "The check digit of the personal number does not match (read %(actual)s, expected %(expected)s): "
            "scan again or type the data.",
            "机读区个人号码的校验位不符(读到 %(actual)s,应为 %(expected)s):请重新扫描或手工录入。",
        ),
        "mrz_check_composite": (
            "The check digit of the whole line does not match (read %(actual)s, expected %(expected)s): "
            "scan again or type the data.",
            "机读区第二行整体的校验位不符(读到 %(actual)s,应为 %(expected)s):请重新扫描或手工录入。",
        ),
        "mrz_date_birth": (
            "The date of birth in the machine-readable zone is not a real date (%(value)s).",
            "机读区的出生日期不是有效日期(%(value)s)。",
        ),
        "mrz_date_expiry": (
            "The date of expiry in the machine-readable zone is not a real date (%(value)s).",
            "机读区的有效期至不是有效日期(%(value)s)。",
        ),
    }
)


class IdentifierError(ValueError):
    """An identifier failed validation; ``code`` says why, the messages say it to a person."""

    def __init__(self, code: str, **params: Any) -> None:
        if code not in MESSAGES:
            raise KeyError(f"unknown identifier error code: {code}")
        self.code = code
        self.params: dict[str, Any] = params
        self.template, self.template_zh = MESSAGES[code]
        self.message = self.template % params
        self.message_zh = self.template_zh % params
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Exceptions pickle as ``cls(*args)`` by default, which would pass the message as the code;
        # import jobs hand errors between processes, so rebuild from code and params instead.
        return (_restore_error, (type(self), self.code, self.params))


def _restore_error(error_class: type[IdentifierError], code: str, params: dict[str, Any]) -> IdentifierError:
    return error_class(code, **params)


class USCCError(IdentifierError):
    """An invalid 统一社会信用代码."""


class ResidentIdError(IdentifierError):
    """An invalid 居民身份证号码."""


class MrzError(IdentifierError):
    """A passport machine-readable zone that cannot be read."""


class MobileError(IdentifierError):
    """An invalid mainland China mobile number."""
