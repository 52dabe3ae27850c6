"""Reads for accounts: the account a login names, what stands in the way of an invitation or a claim, and
how a code can travel."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from jingxiang.accounts.models import Channel, InvitationStatus, LoginInvitation
from jingxiang.accounts.senders import CodeSender, configured_sender
from jingxiang.identifiers import IdentifierError, mask_email, mask_mobile, validate_mobile
from jingxiang.talents.models import Talent


def pending_login_invitation(talent: Talent) -> LoginInvitation | None:
    """The talent's open invitation to take a login (at most one: a new one voids the older)."""
    return (
        LoginInvitation.objects.filter(talent=talent, status=InvitationStatus.PENDING)
        .select_related("invited_by")
        .first()
    )


def _mobile_taken(talent: Talent) -> bool:
    return get_user_model().objects.filter(mobile=talent.mobile).exists()


def login_invitation_problem(talent: Talent) -> tuple[str, str] | None:
    """Why this talent cannot be invited to take a login now, as (code, message), or None."""
    if talent.is_archived:
        return "archived", _("该人才档案已归档,不能开通登录账号。")
    if talent.user_id is not None:
        return "has_login", _("%(name)s 已有登录账号,无需邀请;如忘记密码,可在登录页使用“忘记密码”。") % {
            "name": talent.name
        }
    if not talent.mobile:
        return "no_mobile", _("该人才档案没有手机号:账号以手机号登录,请先在档案中填写手机号再邀请。")
    if _mobile_taken(talent):
        return "mobile_taken", _(
            "手机号 %(mobile)s 已被另一个账号使用,不能用它开通新账号。请核对档案中的手机号;"
            "如这确是本人已有的账号,请联系平台运营人员关联。"
        ) % {"mobile": talent.masked_mobile}
    return None


def login_invitation_channels(talent: Talent, sender: CodeSender | None = None) -> list[tuple[str, str]]:
    """The ways a code can reach this talent: their contact details that the configured sender serves."""
    sender = sender or configured_sender()
    channels = []
    if talent.mobile and Channel.SMS in sender.channels:
        channels.append(
            (
                str(Channel.SMS),
                _("短信发送至 %(destination)s") % {"destination": mask_mobile(talent.mobile)},
            )
        )
    if talent.email and Channel.EMAIL in sender.channels:
        channels.append(
            (
                str(Channel.EMAIL),
                _("邮件发送至 %(destination)s") % {"destination": mask_email(talent.email)},
            )
        )
    return channels


def claim_problem(invitation: LoginInvitation) -> tuple[str, str] | None:
    """Why this invitation cannot be claimed (used, void, expired, or the profile changed), or None."""
    talent = invitation.talent
    if invitation.status == InvitationStatus.CLAIMED:
        return "claimed", _("该邀请已经使用过,账号已开通,请直接登录。")
    if invitation.status == InvitationStatus.REVOKED:
        return "revoked", _("该邀请已作废(可能已发出新的邀请),请使用最新收到的链接,或联系邀请人。")
    if invitation.is_expired:
        return "expired", _("邀请已过期,请联系所在单位的管理员或共享人才官重新邀请。")
    if talent.user_id is not None:
        return "has_login", _("该人才档案已开通登录账号,请直接登录;如忘记密码,可在登录页使用“忘记密码”。")
    problem = login_invitation_problem(talent)
    if problem is not None and problem[0] == "mobile_taken":
        return "mobile_taken", _(
            "手机号 %(mobile)s 已被另一个账号使用,不能用它开通新账号。请联系邀请人核对档案中的手机号。"
        ) % {"mobile": talent.masked_mobile}
    return problem


def user_for_login(identifier: str) -> Any:
    """The account a login identifier names: a mobile number is tried first, so a username cannot shadow
    someone's phone number."""
    user_model = get_user_model()
    try:
        mobile = validate_mobile(identifier)
    except IdentifierError:
        mobile = None
    if mobile:
        user = user_model._default_manager.filter(mobile=mobile).first()
        if user is not None:
            return user
    return user_model._default_manager.filter(username=identifier.strip()).first()
