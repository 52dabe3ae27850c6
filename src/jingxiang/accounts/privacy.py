"""The privacy policy as data (``privacy.yaml``, one entry per version) and who still has to agree to it.

The current version is the newest one in effect. A person who has not agreed to it is asked at their
next login (``PrivacyConsentMiddleware``); registration forms ask with a required tick box
(``PrivacyConsentField``). Each agreement is kept with the version agreed to.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language


@dataclass(frozen=True)
class PolicyVersion:
    version: str
    effective: dt.date
    raw: dict[str, Any]

    def _text(self, data: dict[str, Any], key: str) -> str:
        english = not (get_language() or "zh-hans").lower().startswith("zh")
        return str(data.get(f"{key}_en" if english else f"{key}_zh") or data.get(f"{key}_zh", ""))

    @property
    def title(self) -> str:
        return self._text(self.raw, "title")

    @property
    def summary(self) -> str:
        return self._text(self.raw, "summary")

    @property
    def sections(self) -> list[tuple[str, str]]:
        return [(self._text(s, "heading"), self._text(s, "text")) for s in self.raw.get("sections", [])]


@functools.cache
def policies() -> tuple[PolicyVersion, ...]:
    """Every version, oldest first (the file is checked: unique versions, dates in order)."""
    entries = yaml.safe_load(Path(__file__).with_name("privacy.yaml").read_text(encoding="utf-8"))
    versions = tuple(PolicyVersion(str(e["version"]), e["effective"], e) for e in entries)
    names = [v.version for v in versions]
    if len(set(names)) != len(names) or [v.effective for v in versions] != sorted(
        v.effective for v in versions
    ):
        raise ValueError("privacy.yaml: versions must be unique and in order of their dates")
    return versions


def policy(version: str) -> PolicyVersion | None:
    return next((p for p in policies() if p.version == version), None)


def current_policy(today: dt.date | None = None) -> PolicyVersion:
    """The newest version in effect (the first one before any is in effect)."""
    today = today or timezone.localdate()
    in_effect = [p for p in policies() if p.effective <= today]
    return in_effect[-1] if in_effect else policies()[0]


def needs_consent(user: Any) -> bool:
    """Whether the user has yet to agree to the current version."""
    from jingxiang.accounts.models import PrivacyConsent

    if not getattr(user, "is_authenticated", False):
        return False
    return not PrivacyConsent.objects.filter(user=user, version=current_policy().version).exists()


def asked_at_login() -> bool:
    """``PRIVACY_CONSENT_AT_LOGIN``: on in development and production; the test settings turn it off
    so other apps' tests need not agree first (the accounts tests turn it on)."""
    return bool(getattr(settings, "PRIVACY_CONSENT_AT_LOGIN", True))
