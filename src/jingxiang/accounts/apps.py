from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jingxiang.accounts"
    verbose_name = _("账号")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.contrib.auth.signals import user_logged_in
        from django.core import checks

        from jingxiang.accounts.middleware import mark_if_due
        from jingxiang.accounts.models import LoginInvitation, PrivacyConsent

        auditlog.register(LoginInvitation, exclude_fields=["nonce", "updated_at"])
        auditlog.register(PrivacyConsent)
        user_logged_in.connect(mark_if_due, dispatch_uid="accounts.privacy_consent_due")
        checks.register(check_code_sender)


def check_code_sender(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """The configured one-time-code sender must import, and must not print codes in production."""
    from django.conf import settings
    from django.core import checks
    from django.utils.module_loading import import_string

    path = getattr(settings, "JINGXIANG_OTP_SENDER", "")
    try:
        sender = import_string(path)
    except ImportError as error:
        return [
            checks.Error(f"JINGXIANG_OTP_SENDER={path!r} cannot be imported: {error}", id="accounts.E001")
        ]
    if not getattr(sender, "channels", None) or not callable(getattr(sender, "send", None)):
        return [checks.Error(f"{path} has no 'channels' and 'send'", id="accounts.E002")]
    if getattr(settings, "PRODUCTION", False) and path.endswith((".ConsoleSender", ".OutboxSender")):
        return [
            checks.Warning(
                f"JINGXIANG_OTP_SENDER={path} does not deliver codes to people in production",
                id="accounts.W001",
            )
        ]
    return []
