"""The conversation rules (``rules.yaml``): which kinds operators may read, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings
from django.utils.translation import get_language

RULES_FILE = Path(__file__).with_name("rules.yaml")

#: Limits on what one message carries.
BODY_MAX = 2000
ATTACHMENTS_MAX = 3


@dataclass(frozen=True)
class ReadRule:
    operators_read: bool = False
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """The reason in the reader's language (Chinese when the file has none in it)."""
        return self.reasons.get(get_language() or "", "") or self.reasons.get(settings.LANGUAGE_CODE, "")


@cache
def _rules() -> dict[str, ReadRule]:
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8")) or {}
    rules: dict[str, ReadRule] = {}
    for key, entry in (data.get("kinds") or {}).items():
        entry = entry or {}
        if not isinstance(entry.get("operators_read", False), bool):
            raise ValueError(f"{RULES_FILE.name}: {key}.operators_read must be true or false")
        reasons = entry.get("reason") or {}
        if not isinstance(reasons, dict):
            raise ValueError(f"{RULES_FILE.name}: {key}.reason must give the text per language (zh-hans, en)")
        rules[str(key)] = ReadRule(
            bool(entry.get("operators_read", False)), {str(k): str(v) for k, v in reasons.items()}
        )
    return rules


def read_rule(kind_key: str) -> ReadRule:
    """The rule for a kind; a kind the file does not name is private to its parties."""
    return _rules().get(kind_key, ReadRule())
