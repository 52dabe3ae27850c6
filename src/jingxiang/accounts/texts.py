"""What the accounts app tells people (stored as message ids, rendered in the reader's language)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jingxiang.core.texts import message

LOGIN_CLAIMED = message(
    "accounts.login_claimed", gettext_lazy("%(name)s 已开通平台账号,可以接收共享邀请、签署协议和签到了")
)
