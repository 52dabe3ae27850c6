"""How personal values appear in the audit log: the same masks as everywhere else in the UI.

django-auditlog's default mask keeps the last half of a value, which together with the UI's mask
would reveal all but two digits of a mobile number.
"""

from __future__ import annotations

from jingxiang.identifiers import mask_mobile, mask_resident_id


def mask_personal_value(value: str) -> str:
    """Mask a value recorded in the audit log by its shape (mobile, ID number, anything else)."""
    text = str(value or "")
    if len(text) == 11 and text.isdigit():
        return mask_mobile(text)
    if len(text) == 18:
        return mask_resident_id(text)
    return "*" * len(text)
