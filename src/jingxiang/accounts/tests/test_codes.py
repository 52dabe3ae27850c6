"""One-time codes: hashed, single-use, expiring, a few attempts, rate-limited, every step logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from jingxiang.accounts import services
from jingxiang.accounts.models import Channel, OneTimeCode, SecurityEvent, SecurityEventKind
from jingxiang.accounts.senders import EmailSender, OutboxSender, SendError

pytestmark = pytest.mark.django_db

MOBILE = "13905761234"


def compose(code: str, minutes: int) -> tuple[str, str]:
    return "验证码", f"【镜享】验证码 {code},{minutes} 分钟内有效。"


def issue(destination: str = MOBILE, *, channel: str = Channel.SMS, purpose: str = "test", **kwargs):  # type: ignore[no-untyped-def]
    return services.otp_issue(
        purpose=purpose, channel=channel, destination=destination, message=compose, **kwargs
    )


def verify(code: str, destination: str = MOBILE, *, channel: str = Channel.SMS, purpose: str = "test", **kw):  # type: ignore[no-untyped-def]
    return services.otp_verify(purpose=purpose, channel=channel, destination=destination, code=code, **kw)


def kinds() -> list[str]:
    return list(SecurityEvent.objects.order_by("pk").values_list("kind", flat=True))


def test_a_code_is_sent_stored_hashed_and_verified_once(otp_outbox):
    row = issue("+86 139-0576-1234", ip="10.0.0.1")
    (message,) = otp_outbox
    assert message.destination == MOBILE
    assert len(message.code) == 6 and message.code.isdigit()
    assert message.code in message.text and "10 分钟" in message.text
    # Only a password hash and a digest are stored: neither the code nor the number appears in the row.
    stored = OneTimeCode.objects.values().get(pk=row.pk)
    assert message.code not in str(stored)
    assert MOBILE not in str(stored)
    assert row.destination_masked == "139****1234"
    assert verify(message.code).used_at is not None
    with pytest.raises(ValidationError) as again:
        verify(message.code)
    assert again.value.code == "code_missing"
    assert kinds() == [
        SecurityEventKind.CODE_REQUESTED,
        SecurityEventKind.CODE_SENT,
        SecurityEventKind.CODE_VERIFIED,
        SecurityEventKind.CODE_FAILED,
    ]


def test_full_width_digits_and_spaces_are_accepted(otp_outbox):
    issue()
    code = otp_outbox[-1].code
    typed = " ".join(chr(ord(d) - ord("0") + ord("０")) for d in code)
    assert verify(typed).used_at is not None


def test_a_code_is_bound_to_its_purpose_and_destination(otp_outbox):
    issue(purpose="password_reset")
    code = otp_outbox[-1].code
    with pytest.raises(ValidationError):
        verify(code, purpose="talent_claim")
    with pytest.raises(ValidationError):
        verify(code, destination="13905769999", purpose="password_reset")
    assert verify(code, purpose="password_reset")


def test_an_expired_code_is_refused(otp_outbox):
    row = issue()
    OneTimeCode.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(ValidationError) as error:
        verify(otp_outbox[-1].code)
    assert error.value.code == "code_missing"
    assert "重新获取" in error.value.messages[0]


def test_the_default_lifetime_is_ten_minutes_and_can_be_given(otp_outbox, settings):
    row = issue()
    assert row.expires_at - row.created_at == dt.timedelta(seconds=settings.JINGXIANG_OTP_TTL_SECONDS)
    longer = issue("13905760000", ttl=dt.timedelta(hours=24))
    assert longer.expires_at - longer.created_at == dt.timedelta(hours=24)
    assert "1440 分钟" in otp_outbox[-1].text


def test_wrong_codes_count_down_and_the_last_one_voids_the_code(otp_outbox, settings):
    settings.JINGXIANG_OTP_MAX_ATTEMPTS = 3
    issue()
    right = otp_outbox[-1].code
    wrong = "000000" if right != "000000" else "111111"
    with pytest.raises(ValidationError) as first:
        verify(wrong)
    assert first.value.code == "code_wrong"
    assert "还可以再试 2 次" in first.value.messages[0]
    with pytest.raises(ValidationError):
        verify(wrong)
    with pytest.raises(ValidationError) as last:
        verify(wrong)
    assert last.value.code == "code_locked"
    # Even the right code no longer works: the attempts were committed although each call was refused.
    with pytest.raises(ValidationError) as after:
        verify(right)
    assert after.value.code == "code_missing"
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.CODE_LOCKED).count() == 1


def test_a_resend_voids_the_older_code(otp_outbox, settings):
    settings.JINGXIANG_OTP_RESEND_SECONDS = 0
    issue()
    issue()
    old, new = otp_outbox[0].code, otp_outbox[1].code
    if old != new:
        with pytest.raises(ValidationError):
            verify(old)
    assert verify(new)


def test_resending_too_soon_is_refused_and_logged(otp_outbox, settings):
    settings.JINGXIANG_OTP_RESEND_SECONDS = 60
    issue()
    with pytest.raises(ValidationError) as error:
        issue()
    assert error.value.code == "throttled"
    assert "秒后再获取" in error.value.messages[0]
    assert len(otp_outbox) == 1
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.CODE_THROTTLED).count() == 1


def test_hourly_limit_per_destination_across_purposes(otp_outbox, settings):
    settings.JINGXIANG_OTP_RESEND_SECONDS = 0
    settings.JINGXIANG_OTP_PER_DESTINATION_PER_HOUR = 3
    for purpose in ("a", "b", "c"):
        issue(purpose=purpose)
    with pytest.raises(ValidationError) as error:
        issue(purpose="d")
    assert "一小时内" in error.value.messages[0]
    # Another number is not affected, and requests older than an hour no longer count.
    issue("13905760001")
    SecurityEvent.objects.update(created_at=timezone.now() - dt.timedelta(hours=2))
    issue(purpose="d")


def test_hourly_limit_per_client_address(otp_outbox, settings):
    settings.JINGXIANG_OTP_PER_IP_PER_HOUR = 2
    issue("13905760001", ip="10.1.1.1")
    issue("13905760002", ip="10.1.1.1")
    with pytest.raises(ValidationError) as error:
        issue("13905760003", ip="10.1.1.1")
    assert "网络" in error.value.messages[0]
    issue("13905760003", ip="10.1.1.2")


def test_malformed_destinations_are_refused_with_a_message(otp_outbox):
    with pytest.raises(ValidationError):
        issue("12345")
    with pytest.raises(ValidationError):
        issue("not-an-address", channel=Channel.EMAIL)
    assert otp_outbox == []


def test_a_channel_the_sender_cannot_serve_is_refused(settings):
    settings.JINGXIANG_OTP_SENDER = "jingxiang.accounts.senders.EmailSender"
    with pytest.raises(ValidationError) as error:
        issue()
    assert error.value.code == "channel_unavailable"
    assert "短信" in error.value.messages[0]


def test_email_sender_uses_django_mail(settings):
    settings.JINGXIANG_OTP_SENDER = "jingxiang.accounts.senders.EmailSender"
    issue("Lin.Gong@Example.com", channel=Channel.EMAIL)
    (sent,) = mail.outbox
    assert sent.to == ["lin.gong@example.com"]
    assert sent.subject == "验证码"
    assert OneTimeCode.objects.get().destination_masked == "l***@example.com"


class BrokenSender(OutboxSender):
    def send(self, message):  # type: ignore[no-untyped-def]
        raise SendError("gateway down")


def test_a_failed_delivery_voids_the_code_and_is_logged():
    with pytest.raises(ValidationError) as error:
        issue(sender=BrokenSender())
    assert error.value.code == "send_failed"
    assert OneTimeCode.objects.get().invalidated_at is not None
    event = SecurityEvent.objects.get(kind=SecurityEventKind.CODE_SEND_FAILED)
    assert "gateway down" in event.note


def test_email_sender_turns_a_mail_outage_into_a_send_error(settings, monkeypatch):
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("jingxiang.accounts.senders.send_mail", refuse)
    with pytest.raises(SendError):
        EmailSender().send(
            services.CodeMessage(
                purpose="x", channel=Channel.EMAIL, destination="a@b.cn", subject="s", text="t", code="1"
            )
        )


def test_console_sender_prints_the_code_to_the_log(caplog, settings):
    settings.JINGXIANG_OTP_SENDER = "jingxiang.accounts.senders.ConsoleSender"
    with caplog.at_level("WARNING", logger="jingxiang.accounts.codes"):
        issue()
    row = OneTimeCode.objects.get()
    (record,) = [r for r in caplog.records if r.name == "jingxiang.accounts.codes"]
    text = record.getMessage()
    assert "139****1234" in text
    code = text.split("验证码 ")[-1][:6]
    assert verify(code).pk == row.pk


def test_the_system_check_names_a_sender_that_does_not_import(settings):
    from jingxiang.accounts.apps import check_code_sender

    assert check_code_sender() == []
    settings.JINGXIANG_OTP_SENDER = "jingxiang.accounts.senders.NoSuchSender"
    (problem,) = check_code_sender()
    assert problem.id == "accounts.E001"
    settings.JINGXIANG_OTP_SENDER = "jingxiang.accounts.senders.ConsoleSender"
    settings.PRODUCTION = True
    (warning,) = check_code_sender()
    assert warning.id == "accounts.W001"


def test_a_checked_code_is_used_up_once_even_by_racing_requests(otp_outbox):
    issue()
    code = otp_outbox[-1].code
    first = verify(code, consume=False)
    second = verify(code, consume=False)  # another request checked the same code meanwhile
    services.otp_consume(code=first)
    with pytest.raises(ValidationError):
        services.otp_consume(code=second)
