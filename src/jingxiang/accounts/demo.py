"""Demo content for accounts: verified contact details for the personas, and one open login invitation.

The personas' (generated) mobiles and e-mails count as verified, so "忘记密码" works for them in the
demo with the code printed on the server console. One talent of 康波 without a login has a pending
invitation from the firm's 共享人才官; ``load_demo`` prints its link and code so the claim can be tried.
"""

from __future__ import annotations

from typing import Any

from jingxiang.accounts import services
from jingxiang.accounts.models import Channel, User
from jingxiang.accounts.senders import CodeMessage, OutboxSender
from jingxiang.talents.models import Talent


def load(context: Any) -> None:
    for user in context.users.values():
        user.verified_mobile = user.mobile or ""
        user.verified_email = user.email or ""
    User.objects.bulk_update(list(context.users.values()), ["verified_mobile", "verified_email"])

    firm = context.organisations["kangbo"]
    taken = set(User.objects.exclude(mobile=None).values_list("mobile", flat=True))
    talent = (
        Talent.objects.filter(home_organisation=firm, user__isnull=True, archived_at__isnull=True)
        .exclude(mobile="")
        .exclude(mobile__in=taken)
        .order_by("pk")
        .first()
    )
    if talent is None:
        return
    sent: list[CodeMessage] = []
    invitation = services.login_invitation_send(
        actor=context.users["talent_officer"], talent=talent, channel=Channel.SMS, sender=OutboxSender(sent)
    )
    code = sent[-1].code if sent else "—"
    context.notes.append(
        f"开通账号邀请 Login invitation: {talent.name}({firm.name}),手机号 mobile {talent.mobile}"
    )
    context.notes.append(f"  认领链接 claim link: {services.claim_url(invitation)}")
    context.notes.append(
        f"  验证码 code: {code}(24 小时内有效 valid 24 h;过期后在认领页重新获取,新验证码打印在服务器控制台 / "
        "after that ask for a new one on the claim page: it is printed on the server console)"
    )
