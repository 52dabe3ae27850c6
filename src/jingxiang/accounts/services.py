"""Writes for accounts: one-time codes, login invitations for talents, password reset, contact checks.

One-time codes are a building block for every app that has to prove a person holds a mobile number or
mailbox (a talent claiming a profile, a forgotten password, a student registering by mobile):
``otp_issue`` sends a code through the configured sender, ``otp_verify`` checks it. Codes are stored as
password hashes, expire, allow a few attempts, and are rate-limited per destination and per client
address; every request, delivery, success and failure is written to ``SecurityEvent``.

``otp_verify`` commits its own transaction so that a wrong guess is counted even when the caller then
refuses the request; callers therefore call it outside ``transaction.atomic`` and do their own writes
afterwards in a transaction of their own (``otp_consume`` inside it makes the code single-use).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import unicodedata
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import get_random_string, salted_hmac
from django.utils.translation import gettext as _

from jingxiang.accounts import texts
from jingxiang.accounts.models import (
    Channel,
    CodePurpose,
    InvitationStatus,
    LoginInvitation,
    OneTimeCode,
    SecurityEvent,
    SecurityEventKind,
)
from jingxiang.accounts.permissions import may_invite_login
from jingxiang.accounts.selectors import claim_problem, login_invitation_channels, login_invitation_problem
from jingxiang.accounts.senders import CodeMessage, CodeSender, SendError, configured_sender
from jingxiang.core.links import absolute_url
from jingxiang.core.validators import clean_mobile
from jingxiang.identifiers import mask_email, mask_mobile
from jingxiang.talents.models import Talent

logger = logging.getLogger("jingxiang.accounts.codes")

CODE_LENGTH = 6
CODE_DIGITS = "0123456789"
_DIGEST_SALT = "jingxiang.accounts.destination"

# An invitation's code may sit in an SMS inbox for a day before the talent gets round to it; with five
# attempts at a six-digit code the longer life still leaves a guess at one in 200,000.
INVITATION_CODE_TTL = dt.timedelta(hours=24)

Composer = Callable[[str, int], tuple[str, str]]
"""Builds (subject, text) for a message from the code and its lifetime in minutes."""


# Destinations -------------------------------------------------------------------------------------


def normalise_destination(channel: str, destination: str) -> str:
    """The normal form of a mobile number (11 digits) or an e-mail address (lower case)."""
    if channel == Channel.SMS:
        return clean_mobile(destination or "")
    if channel == Channel.EMAIL:
        value = (destination or "").strip()
        validate_email(value)
        return value.lower()
    raise ValidationError(_("不支持的发送方式。"), code="channel")


def destination_digest(channel: str, destination: str) -> str:
    """A keyed digest of a normalised destination: lookups and rate limits without storing numbers."""
    return salted_hmac(_DIGEST_SALT, f"{channel}:{destination}", algorithm="sha256").hexdigest()


def mask_destination(channel: str, destination: str) -> str:
    return mask_email(destination) if channel == Channel.EMAIL else mask_mobile(destination)


def parse_identifier(identifier: str) -> tuple[str, str]:
    """What a person typed in "mobile or e-mail": the channel and the normalised destination."""
    value = (identifier or "").strip()
    if not value:
        raise ValidationError(_("请输入手机号或电子邮箱。"), code="required")
    channel = Channel.EMAIL if "@" in value else Channel.SMS
    try:
        return channel, normalise_destination(channel, value)
    except ValidationError as error:
        if channel == Channel.EMAIL:
            raise ValidationError(_("电子邮箱格式不正确,请检查后重试。"), code="invalid_email") from error
        raise


def _event(
    kind: str,
    *,
    purpose: str = "",
    channel: str = "",
    destination: str = "",
    code: OneTimeCode | None = None,
    user: Any = None,
    actor: Any = None,
    ip: str | None = None,
    note: str = "",
) -> SecurityEvent:
    return SecurityEvent.objects.create(
        kind=kind,
        purpose=purpose,
        destination_digest=destination_digest(channel, destination) if destination else "",
        destination_masked=mask_destination(channel, destination) if destination else "",
        code=code,
        user=user if getattr(user, "pk", None) else None,
        actor=actor if getattr(actor, "pk", None) else None,
        ip_address=ip or None,
        note=note[:200],
    )


# Rate limits --------------------------------------------------------------------------------------


def _throttle_reason(*, digest: str, ip: str | None) -> str | None:
    """Why a new code may not be sent now, or None.

    Counted from the admitted requests in the event log, whichever purpose they were for, so that a
    phone cannot be flooded by alternating purposes; refused requests do not count, so a flood does not
    keep the rightful owner locked out for longer.
    """
    now = timezone.now()
    recent = SecurityEvent.objects.filter(
        kind=SecurityEventKind.CODE_REQUESTED, created_at__gte=now - dt.timedelta(hours=1)
    )
    for_destination = recent.filter(destination_digest=digest)
    last = for_destination.order_by("-created_at").values_list("created_at", flat=True).first()
    if last is not None:
        wait = settings.JINGXIANG_OTP_RESEND_SECONDS - (now - last).total_seconds()
        if wait > 0:
            return _("操作过于频繁,请 %(seconds)s 秒后再获取验证码。") % {"seconds": math.ceil(wait)}
    if for_destination.count() >= settings.JINGXIANG_OTP_PER_DESTINATION_PER_HOUR:
        return _("这个手机号或邮箱一小时内获取验证码的次数已达上限,请稍后再试。")
    if ip and recent.filter(ip_address=ip).count() >= settings.JINGXIANG_OTP_PER_IP_PER_HOUR:
        return _("您所在的网络一小时内获取验证码的次数过多,请稍后再试。")
    return None


def _admit(
    *,
    purpose: str,
    channel: str,
    destination: str,
    ip: str | None,
    actor: Any,
    user: Any,
    ttl: dt.timedelta | None,
    code: str | None,
) -> OneTimeCode | None:
    """Check the rate limits and record the request; with ``code``, store it (replacing older ones).

    Raises the refusal after its own transaction has committed, so the refused attempt stays logged.
    """
    digest = destination_digest(channel, destination)
    with transaction.atomic():
        reason = _throttle_reason(digest=digest, ip=ip)
        row = None
        if reason:
            _event(
                SecurityEventKind.CODE_THROTTLED,
                purpose=purpose,
                channel=channel,
                destination=destination,
                user=user,
                actor=actor,
                ip=ip,
                note=reason,
            )
        else:
            now = timezone.now()
            if code is not None:
                # Only the newest code of a purpose works: a resend makes the older message useless.
                OneTimeCode.objects.live().filter(purpose=purpose, destination_digest=digest).update(
                    invalidated_at=now
                )
                row = OneTimeCode.objects.create(
                    purpose=purpose,
                    channel=channel,
                    destination_digest=digest,
                    destination_masked=mask_destination(channel, destination),
                    code_hash=make_password(code),
                    created_at=now,
                    expires_at=now + (ttl or dt.timedelta(seconds=settings.JINGXIANG_OTP_TTL_SECONDS)),
                    max_attempts=settings.JINGXIANG_OTP_MAX_ATTEMPTS,
                    ip_address=ip or None,
                    requested_by=actor if getattr(actor, "pk", None) else None,
                )
            _event(
                SecurityEventKind.CODE_REQUESTED,
                purpose=purpose,
                channel=channel,
                destination=destination,
                code=row,
                user=user,
                actor=actor,
                ip=ip,
                note="" if code is not None else "no code sent: no account with this verified address",
            )
    if reason:
        raise ValidationError(reason, code="throttled")
    return row


# One-time codes -----------------------------------------------------------------------------------


def otp_issue(
    *,
    purpose: str,
    channel: str,
    destination: str,
    message: Composer,
    ip: str | None = None,
    actor: Any = None,
    user: Any = None,
    ttl: dt.timedelta | None = None,
    sender: CodeSender | None = None,
) -> OneTimeCode:
    """Send a new one-time code for ``purpose`` to a mobile number or mailbox and return its record.

    ``message(code, minutes)`` returns the (subject, text) to send, in whatever language the caller
    chose. Refused with a clear ``ValidationError`` when the sender cannot use the channel, the
    destination is malformed, a rate limit applies (code ``throttled``) or delivery fails (code
    ``send_failed``; the code is then void). The plain code exists only in the message.
    """
    sender = sender or configured_sender()
    if channel not in Channel.values:
        raise ValidationError(_("不支持的发送方式。"), code="channel")
    if channel not in sender.channels:
        raise ValidationError(
            _("平台尚未开通通过%(channel)s发送验证码,请选择其他方式。") % {"channel": Channel(channel).label},
            code="channel_unavailable",
        )
    destination = normalise_destination(channel, destination)
    code = get_random_string(CODE_LENGTH, allowed_chars=CODE_DIGITS)
    row = _admit(
        purpose=purpose,
        channel=channel,
        destination=destination,
        ip=ip,
        actor=actor,
        user=user,
        ttl=ttl,
        code=code,
    )
    assert row is not None  # a code was given, so a row was stored or the request refused
    minutes = math.ceil((row.expires_at - row.created_at).total_seconds() / 60)
    subject, text = message(code, minutes)
    try:
        sender.send(
            CodeMessage(
                purpose=purpose,
                channel=channel,
                destination=destination,
                subject=subject,
                text=text,
                code=code,
            )
        )
    except SendError as error:
        logger.warning("one-time code %s could not be delivered: %s", row.pk, error)
        row.invalidated_at = timezone.now()
        row.save(update_fields=["invalidated_at"])
        _event(
            SecurityEventKind.CODE_SEND_FAILED,
            purpose=purpose,
            channel=channel,
            destination=destination,
            code=row,
            user=user,
            actor=actor,
            ip=ip,
            note=str(error),
        )
        raise ValidationError(_("验证码发送失败,请稍后再试。"), code="send_failed") from error
    _event(
        SecurityEventKind.CODE_SENT,
        purpose=purpose,
        channel=channel,
        destination=destination,
        code=row,
        user=user,
        actor=actor,
        ip=ip,
    )
    return row


def _missing_code_error() -> ValidationError:
    return ValidationError(_("验证码已失效或尚未获取,请重新获取验证码。"), code="code_missing")


def otp_verify(
    *,
    purpose: str,
    channel: str,
    destination: str,
    code: str,
    ip: str | None = None,
    user: Any = None,
    consume: bool = True,
) -> OneTimeCode:
    """Check a code typed by a person against the newest live code for ``purpose`` and destination.

    A wrong code costs one attempt; the last allowed attempt voids the code. With ``consume`` the code
    is used up at once; without it the caller checks the rest of its request first and then calls
    ``otp_consume`` inside its own transaction. Refusals are ``ValidationError`` with the codes
    ``code_missing``, ``code_wrong`` or ``code_locked``. Call outside ``transaction.atomic``: the
    attempt counter must be committed even though the caller's request is refused.
    """
    try:
        destination = normalise_destination(channel, destination)
    except ValidationError:
        raise _missing_code_error() from None
    digest = destination_digest(channel, destination)
    entered = unicodedata.normalize("NFKC", code or "").replace(" ", "").strip()
    failure: ValidationError | None = None
    event: dict[str, Any] = {
        "purpose": purpose,
        "channel": channel,
        "destination": destination,
        "user": user,
        "ip": ip,
    }
    with transaction.atomic():
        row = (
            OneTimeCode.objects.select_for_update(of=("self",))
            .live()
            .filter(purpose=purpose, destination_digest=digest)
            .order_by("-created_at", "-pk")
            .first()
        )
        if row is None:
            _event(SecurityEventKind.CODE_FAILED, note="no live code", **event)
            failure = _missing_code_error()
        elif entered and check_password(entered, row.code_hash):
            if consume:
                row.used_at = timezone.now()
                row.save(update_fields=["used_at"])
            _event(SecurityEventKind.CODE_VERIFIED, code=row, **event)
        else:
            row.attempts += 1
            if row.attempts >= row.max_attempts:
                row.invalidated_at = timezone.now()
                _event(SecurityEventKind.CODE_LOCKED, code=row, **event)
                failure = ValidationError(
                    _("验证码错误次数过多,已作废,请重新获取验证码。"), code="code_locked"
                )
            else:
                _event(SecurityEventKind.CODE_FAILED, code=row, note="wrong code", **event)
                failure = ValidationError(
                    _("验证码不正确,还可以再试 %(count)s 次。") % {"count": row.attempts_left},
                    code="code_wrong",
                )
            row.save(update_fields=["attempts", "invalidated_at"])
    if failure is not None:
        raise failure
    assert row is not None
    return row


def otp_consume(*, code: OneTimeCode) -> None:
    """Use up a code that ``otp_verify(consume=False)`` accepted; call inside the caller's transaction.

    A conditional update, so of two requests racing with the same code only one gets through.
    """
    if not OneTimeCode.objects.live().filter(pk=code.pk).update(used_at=timezone.now()):
        raise _missing_code_error()


def _as_field_error(error: ValidationError, field: str) -> ValidationError:
    return ValidationError({field: error.error_list})


# Password reset -----------------------------------------------------------------------------------


def _uniform_reset_error() -> ValidationError:
    # One message for every failure, so the form does not tell whether the account exists.
    return ValidationError({"code": _("验证码不正确或已失效。请核对后重试,或重新获取验证码。")})


def _reset_account(channel: str, destination: str) -> Any:
    """The one active account whose *verified* mobile or e-mail this is, or None."""
    users = get_user_model().objects.filter(is_active=True)
    if channel == Channel.SMS:
        return users.filter(mobile=destination, verified_mobile=destination).first()
    matches = list(users.filter(email__iexact=destination, verified_email__iexact=destination)[:2])
    return matches[0] if len(matches) == 1 else None


def _reset_message(code: str, minutes: int) -> tuple[str, str]:
    return (
        _("镜享平台找回密码验证码"),
        _(
            "【镜享】您正在找回镜享平台的登录密码,验证码 %(code)s,%(minutes)s 分钟内有效。"
            "如非本人操作请忽略,不要把验证码告诉任何人。"
        )
        % {"code": code, "minutes": minutes},
    )


def password_reset_request(*, identifier: str, ip: str | None = None) -> None:
    """Send a reset code to a mobile number or e-mail if an account has it verified; say nothing else.

    The answer, the rate limits and the work done are the same whether or not such an account exists:
    the request is logged and counted either way, and a failed delivery is only logged.
    """
    try:
        channel, destination = parse_identifier(identifier)
    except ValidationError as error:
        raise _as_field_error(error, "identifier") from None
    user = _reset_account(channel, destination)
    if user is None:
        _admit(
            purpose=CodePurpose.PASSWORD_RESET,
            channel=channel,
            destination=destination,
            ip=ip,
            actor=None,
            user=None,
            ttl=None,
            code=None,
        )
        make_password(get_random_string(CODE_LENGTH, allowed_chars=CODE_DIGITS))  # the same hashing work
        return
    try:
        otp_issue(
            purpose=CodePurpose.PASSWORD_RESET,
            channel=channel,
            destination=destination,
            message=_reset_message,
            ip=ip,
            user=user,
        )
    except ValidationError as error:
        if getattr(error, "code", None) == "throttled":
            raise
        # Delivery failures are logged and audited by otp_issue; telling the visitor would reveal the account.


def password_reset_confirm(*, identifier: str, code: str, new_password: str, ip: str | None = None) -> Any:
    """Set a new password for the account whose verified mobile or e-mail received ``code``.

    Every failure of the code reads the same. The password is checked against the validators only
    once the code is known to be right (it could otherwise hint at the account's name), and the code is
    used up only when the password is accepted, so a rejected password does not cost a new code. A
    successful reset ends the django-axes lockout of the account and, because the password hash
    changes, every session still open with the old password.
    """
    try:
        channel, destination = parse_identifier(identifier)
    except ValidationError as error:
        raise _as_field_error(error, "identifier") from None
    user = _reset_account(channel, destination)
    if user is None:
        make_password(code or "")  # the same hashing work as checking a real code
        _event(
            SecurityEventKind.CODE_FAILED,
            purpose=CodePurpose.PASSWORD_RESET,
            channel=channel,
            destination=destination,
            ip=ip,
            note="no account with this verified address",
        )
        raise _uniform_reset_error()
    try:
        row = otp_verify(
            purpose=CodePurpose.PASSWORD_RESET,
            channel=channel,
            destination=destination,
            code=code,
            ip=ip,
            user=user,
            consume=False,
        )
    except ValidationError:
        raise _uniform_reset_error() from None
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as error:
        raise _as_field_error(error, "new_password1") from None
    with transaction.atomic():
        try:
            otp_consume(code=row)
        except ValidationError:
            raise _uniform_reset_error() from None
        user = get_user_model().objects.select_for_update(of=("self",)).get(pk=user.pk)
        user.set_password(new_password)
        user.save(update_fields=["password"])
        # A code sent to the account's other address is of no use any more.
        digests = [destination_digest(Channel.SMS, user.mobile)] if user.mobile else []
        if user.email:
            digests.append(destination_digest(Channel.EMAIL, user.email.lower()))
        OneTimeCode.objects.live().filter(
            purpose=CodePurpose.PASSWORD_RESET, destination_digest__in=digests
        ).update(invalidated_at=timezone.now())
        _event(
            SecurityEventKind.PASSWORD_RESET,
            purpose=CodePurpose.PASSWORD_RESET,
            channel=channel,
            destination=destination,
            code=row,
            user=user,
            actor=user,
            ip=ip,
        )
    from axes.utils import reset as axes_reset

    from jingxiang.accounts.backends import lockout_key

    axes_reset(username=lockout_key(None, {"username": user.username}))
    return user


# Verifying one's own contact details ------------------------------------------------------------


def _own_destination(user: Any, channel: str) -> str:
    value = user.mobile if channel == Channel.SMS else user.email
    if channel not in Channel.values:
        raise ValidationError(_("不支持的发送方式。"), code="channel")
    if not value:
        raise ValidationError(
            _("账号没有登记手机号。") if channel == Channel.SMS else _("账号没有登记电子邮箱。"),
            code="no_destination",
        )
    return str(value)


def _contact_message(code: str, minutes: int) -> tuple[str, str]:
    return (
        _("镜享平台验证码"),
        _("【镜享】您正在验证镜享平台账号的联系方式,验证码 %(code)s,%(minutes)s 分钟内有效。")
        % {"code": code, "minutes": minutes},
    )


def contact_verification_send(*, user: Any, channel: str, ip: str | None = None) -> OneTimeCode:
    """Send a code to the logged-in user's own mobile or e-mail, so it can be used to recover the account."""
    destination = _own_destination(user, channel)
    if (channel == Channel.SMS and user.has_verified_mobile) or (
        channel == Channel.EMAIL and user.has_verified_email
    ):
        raise ValidationError(_("已经验证过,无需重复验证。"), code="already_verified")
    return otp_issue(
        purpose=CodePurpose.CONTACT_VERIFY,
        channel=channel,
        destination=destination,
        message=_contact_message,
        ip=ip,
        actor=user,
        user=user,
    )


def contact_verify(*, user: Any, channel: str, code: str, ip: str | None = None) -> Any:
    """Mark the user's mobile or e-mail verified once they typed the code sent there."""
    destination = _own_destination(user, channel)
    try:
        row = otp_verify(
            purpose=CodePurpose.CONTACT_VERIFY,
            channel=channel,
            destination=destination,
            code=code,
            ip=ip,
            user=user,
        )
    except ValidationError as error:
        raise _as_field_error(error, "code") from None
    with transaction.atomic():
        user = get_user_model().objects.select_for_update(of=("self",)).get(pk=user.pk)
        if channel == Channel.SMS:
            user.verified_mobile = user.mobile or ""
            user.save(update_fields=["verified_mobile"])
        else:
            user.verified_email = user.email
            user.save(update_fields=["verified_email"])
        _event(
            SecurityEventKind.CONTACT_VERIFIED,
            purpose=CodePurpose.CONTACT_VERIFY,
            channel=channel,
            destination=destination,
            code=row,
            user=user,
            actor=user,
            ip=ip,
        )
    return user


# Login invitations for talents ------------------------------------------------------------------


def _claim_destination(invitation: LoginInvitation) -> str:
    talent = invitation.talent
    return talent.mobile if invitation.channel == Channel.SMS else talent.email


def claim_url(invitation: LoginInvitation, base_url: str | None = None) -> str:
    """The claim link: on ``base_url`` when given, else the public address (core.links)."""
    path = reverse("accounts:claim", args=[invitation.token])
    return base_url.rstrip("/") + path if base_url else absolute_url(path)


def _send_claim_code(
    invitation: LoginInvitation,
    *,
    ip: str | None,
    actor: Any = None,
    sender: CodeSender | None = None,
    base_url: str | None = None,
) -> OneTimeCode:
    talent = invitation.talent
    organisation = talent.home_organisation.name if talent.home_organisation else _("镜享平台")
    link = claim_url(invitation, base_url)

    def compose(code: str, minutes: int) -> tuple[str, str]:
        # The recipient's language is unknown: the platform's own language, as on official documents.
        with translation.override(settings.LANGUAGE_CODE):
            hours = max(minutes // 60, 1)
            return (
                _("邀请您开通镜享平台账号"),
                _(
                    "【镜享】%(organisation)s 邀请 %(name)s 开通镜享平台账号。验证码 %(code)s,%(hours)s 小时内有效。"
                    "请打开 %(link)s 输入验证码并设置密码,之后用本人手机号登录。如非本人,请忽略。"
                )
                % {
                    "organisation": organisation,
                    "name": talent.name,
                    "code": code,
                    "hours": hours,
                    "link": link,
                },
            )

    return otp_issue(
        purpose=CodePurpose.TALENT_CLAIM,
        channel=invitation.channel,
        destination=_claim_destination(invitation),
        message=compose,
        ip=ip,
        actor=actor,
        ttl=INVITATION_CODE_TTL,
        sender=sender,
    )


def login_invitation_send(
    *,
    actor: Any,
    talent: Talent,
    channel: str,
    ip: str | None = None,
    sender: CodeSender | None = None,
    base_url: str | None = None,
) -> LoginInvitation:
    """Invite a talent on the platform without a login to take one: a link plus a code to their own phone.

    The talent's home organisation's admins and 共享人才官, and operators, may invite. An earlier pending
    invitation of the same talent is void from now on. The invitation is stored before the code goes
    out; if delivery is refused (rate limit, outage) the refusal is raised and the talent can ask for a
    new code from the link.
    """
    if not may_invite_login(actor, talent):
        raise PermissionDenied(_("只有该人才所在单位的管理员、共享人才官或平台运营人员可以邀请其开通账号。"))
    sender = sender or configured_sender()
    with transaction.atomic():
        talent = (
            Talent.objects.select_for_update(of=("self",))
            .select_related("home_organisation")
            .get(pk=talent.pk)
        )
        problem = login_invitation_problem(talent)
        if problem is not None:
            raise ValidationError(problem[1], code=problem[0])
        if channel not in dict(login_invitation_channels(talent, sender)):
            raise ValidationError({"channel": _("请选择一种可用的发送方式。")})
        now = timezone.now()
        for earlier in LoginInvitation.objects.filter(talent=talent, status=InvitationStatus.PENDING):
            earlier.status = InvitationStatus.REVOKED
            earlier.save(update_fields=["status", "updated_at"])
        destination = talent.mobile if channel == Channel.SMS else talent.email
        invitation = LoginInvitation.objects.create(
            talent=talent,
            invited_by=actor,
            channel=channel,
            destination_masked=mask_destination(channel, destination),
            nonce=get_random_string(32),
            created_at=now,
            expires_at=now + dt.timedelta(days=settings.JINGXIANG_LOGIN_INVITATION_DAYS),
        )
        _event(
            SecurityEventKind.LOGIN_INVITED,
            purpose=CodePurpose.TALENT_CLAIM,
            channel=channel,
            destination=normalise_destination(channel, destination),
            actor=actor,
            ip=ip,
            note=f"talent {talent.pk}, invitation {invitation.pk}",
        )
    _send_claim_code(invitation, ip=ip, actor=actor, sender=sender, base_url=base_url)
    return invitation


def login_invitation_resend(
    *, invitation: LoginInvitation, ip: str | None = None, base_url: str | None = None
) -> OneTimeCode:
    """Send a fresh code for an open invitation (to the talent's own phone or mailbox, never elsewhere)."""
    problem = claim_problem(invitation)
    if problem is not None:
        raise ValidationError(problem[1], code=problem[0])
    return _send_claim_code(invitation, ip=ip, base_url=base_url)


def _username_for(talent: Talent) -> str:
    base = f"talent-{talent.pk}"
    taken = set(get_user_model().objects.filter(username__startswith=base).values_list("username", flat=True))
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


def _prospective_user(talent: Talent) -> Any:
    return get_user_model()(
        username=_username_for(talent),
        mobile=talent.mobile,
        email=talent.email,
        display_name=talent.name,
    )


def login_claim(
    *, invitation: LoginInvitation, code: str, password: str, ip: str | None = None, privacy_version: str = ""
) -> Any:
    """The invited talent proves the code, sets a password, and gets a login linked to the profile.

    The talent's mobile becomes the login (with a generated username beside it); the address the code
    went to counts as verified, so the account can later recover a forgotten password. The inviter is
    told. Refused with a clear message when the invitation was used, replaced or expired, the talent
    already has a login, or the mobile belongs to another account (also when that happens meanwhile).
    """
    problem = claim_problem(invitation)
    if problem is not None:
        raise ValidationError(problem[1], code=problem[0])
    if privacy_version:
        from jingxiang.accounts.privacy import current_policy

        if privacy_version != current_policy().version:
            raise ValidationError(
                {"privacy_consent": _("隐私政策已更新,请阅读新版本后再同意。")}, code="stale_version"
            )
    try:
        password_validation.validate_password(password, _prospective_user(invitation.talent))
    except ValidationError as error:
        raise _as_field_error(error, "password1") from None
    try:
        row = otp_verify(
            purpose=CodePurpose.TALENT_CLAIM,
            channel=invitation.channel,
            destination=_claim_destination(invitation),
            code=code,
            ip=ip,
            consume=False,
        )
    except ValidationError as error:
        raise _as_field_error(error, "code") from None
    try:
        return _claim(
            invitation_pk=invitation.pk, code=row, password=password, ip=ip, privacy_version=privacy_version
        )
    except IntegrityError:
        # Someone registered the same mobile between our check and the insert.
        raise ValidationError(
            _("手机号 %(mobile)s 已被另一个账号使用,不能用它开通新账号。请联系邀请人核对档案中的手机号。")
            % {"mobile": invitation.talent.masked_mobile},
            code="mobile_taken",
        ) from None


@transaction.atomic
def _claim(
    *, invitation_pk: int, code: OneTimeCode, password: str, ip: str | None, privacy_version: str = ""
) -> Any:
    from jingxiang.core.services import notification_send

    invitation = LoginInvitation.objects.select_for_update(of=("self",)).get(pk=invitation_pk)
    talent = (
        Talent.objects.select_for_update(of=("self",))
        .select_related("home_organisation")
        .get(pk=invitation.talent_id)
    )
    invitation.talent = talent
    problem = claim_problem(invitation)
    if problem is not None:
        raise ValidationError(problem[1], code=problem[0])
    otp_consume(code=code)
    user = _prospective_user(talent)
    user.set_password(password)
    if invitation.channel == Channel.SMS:
        user.verified_mobile = talent.mobile
    else:
        user.verified_email = talent.email
    user.full_clean(exclude=["password"])
    user.save()
    talent.user = user
    talent.save(update_fields=["user", "updated_at"])
    if privacy_version:
        from jingxiang.accounts.models import ConsentSource, PrivacyConsent

        PrivacyConsent.objects.create(user=user, version=privacy_version, source=ConsentSource.CLAIM, ip=ip)
    now = timezone.now()
    invitation.status = InvitationStatus.CLAIMED
    invitation.claimed_at = now
    invitation.user = user
    invitation.save(update_fields=["status", "claimed_at", "user", "updated_at"])
    for other in LoginInvitation.objects.filter(talent=talent, status=InvitationStatus.PENDING):
        other.status = InvitationStatus.REVOKED
        other.save(update_fields=["status", "updated_at"])
    _event(
        SecurityEventKind.LOGIN_CLAIMED,
        purpose=CodePurpose.TALENT_CLAIM,
        channel=invitation.channel,
        destination=normalise_destination(invitation.channel, _claim_destination(invitation)),
        code=code,
        user=user,
        actor=user,
        ip=ip,
        note=f"talent {talent.pk}, invitation {invitation.pk}",
    )
    notification_send(
        recipient=invitation.invited_by,
        message=texts.LOGIN_CLAIMED(name=talent.name),
        url=reverse("talents:detail", args=[talent.pk]),
        kind="login_claimed",
    )
    return user


# Privacy consent (issue 21) ---------------------------------------------------------------------


def privacy_consent_record(*, user: Any, version: str, source: str, ip: str | None = None) -> Any:
    """Record that ``user`` agreed to ``version`` of the privacy policy (once per version; agreeing
    again keeps the first record). Only the version in force may be agreed to."""
    from jingxiang.accounts.models import PrivacyConsent
    from jingxiang.accounts.privacy import current_policy

    if not getattr(user, "is_authenticated", False) or user.pk is None:
        raise PermissionDenied
    current = current_policy().version
    if version != current:
        raise ValidationError(
            _("隐私政策已更新为 %(v)s 版,请阅读新版本后再同意。") % {"v": current}, code="stale_version"
        )
    with transaction.atomic():
        consent, _created = PrivacyConsent.objects.get_or_create(
            user=user, version=version, defaults={"source": source, "ip": ip or None}
        )
    return consent
