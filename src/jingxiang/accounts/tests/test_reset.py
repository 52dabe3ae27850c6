"""Forgotten password: a code to the account's verified mobile or e-mail, the same answer for everyone."""

from __future__ import annotations

import pytest
from django.test import Client

from jingxiang.accounts.models import OneTimeCode, SecurityEvent, SecurityEventKind
from jingxiang.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW = "Jingjing-2026!"
MOBILE = "13905760101"


@pytest.fixture
def account(db):  # type: ignore[no-untyped-def]
    """A login whose mobile and e-mail were verified (as after claiming a profile)."""
    return UserFactory(
        username="chen",
        mobile=MOBILE,
        verified_mobile=MOBILE,
        email="Chen@Example.com",
        verified_email="chen@example.com",
    )


def ask(client, identifier):  # type: ignore[no-untyped-def]
    return client.post("/accounts/password/reset/", {"identifier": identifier}, follow=True)


def confirm(client, identifier, code, password=NEW, again=None):  # type: ignore[no-untyped-def]
    return client.post(
        "/accounts/password/reset/confirm/",
        {
            "identifier": identifier,
            "code": code,
            "new_password1": password,
            "new_password2": again or password,
        },
    )


def answer_of(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(m) for m in response.context["messages"])


def test_the_login_page_links_to_the_reset():
    assert "/accounts/password/reset/" in Client().get("/accounts/login/").content.decode()


def test_a_verified_mobile_gets_a_code_and_sets_a_new_password(account, otp_outbox):
    client = Client()
    asked = ask(client, "139 0576 0101")
    assert asked.redirect_chain[-1][0] == "/accounts/password/reset/confirm/"
    (message,) = otp_outbox
    assert message.destination == MOBILE and "找回" in message.text
    # The second step already knows what was typed in the first.
    assert asked.context["form"]["identifier"].value() == "139 0576 0101"
    done = confirm(client, "139 0576 0101", message.code)
    assert done.status_code == 302 and done["Location"] == "/accounts/login/"
    account.refresh_from_db()
    assert account.check_password(NEW)
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.PASSWORD_RESET, user=account).exists()
    assert Client().post("/accounts/login/", {"username": MOBILE, "password": NEW}).status_code == 302
    # The code works once.
    assert confirm(Client(), MOBILE, message.code, password="Another-pass-77").status_code == 200
    account.refresh_from_db()
    assert account.check_password(NEW)


def test_a_verified_email_gets_the_code_by_email(account, otp_outbox):
    ask(Client(), "chen@EXAMPLE.com")
    (message,) = otp_outbox
    assert message.channel == "email" and message.destination == "chen@example.com"
    assert confirm(Client(), "chen@example.com", message.code).status_code == 302


@pytest.mark.parametrize("identifier", ["13905769999", "nobody@example.com", "13905760202"])
def test_the_answer_is_the_same_whether_or_not_an_account_can_be_reset(account, otp_outbox, identifier):
    UserFactory(username="unverified", mobile="13905760202")  # an account, but its mobile never verified
    known, unknown = (
        ask(Client(REMOTE_ADDR="10.0.0.1"), MOBILE),
        ask(Client(REMOTE_ADDR="10.0.0.2"), identifier),
    )
    assert answer_of(known) == answer_of(unknown)
    assert known.redirect_chain == unknown.redirect_chain
    assert [m.destination for m in otp_outbox] == [MOBILE]
    # A wrong code reads the same for the real account and for the one that does not exist.
    wrong_known = confirm(Client(), MOBILE, "000000" if otp_outbox[0].code != "000000" else "111111")
    wrong_unknown = confirm(Client(), identifier, "123456")
    assert wrong_known.context["form"].errors == wrong_unknown.context["form"].errors
    # Both requests were logged for the operators.
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.CODE_REQUESTED).count() == 2


def test_rate_limits_per_account_and_per_address_look_the_same_for_unknown_accounts(
    account, otp_outbox, settings
):
    settings.JINGXIANG_OTP_RESEND_SECONDS = 60
    client = Client(REMOTE_ADDR="10.0.0.5")
    ask(client, MOBILE)
    again = ask(client, MOBILE)
    unknown_client = Client(REMOTE_ADDR="10.0.0.6")
    ask(unknown_client, "13905769999")
    unknown_again = ask(unknown_client, "13905769999")
    assert again.redirect_chain == unknown_again.redirect_chain == []
    assert again.context["form"].non_field_errors() == unknown_again.context["form"].non_field_errors()
    assert "秒后再获取验证码" in again.content.decode()
    assert len(otp_outbox) == 1

    settings.JINGXIANG_OTP_RESEND_SECONDS = 0
    settings.JINGXIANG_OTP_PER_IP_PER_HOUR = 3
    crowd = Client(REMOTE_ADDR="10.0.0.7")
    for number in ("13905761001", "13905761002", "13905761003"):
        ask(crowd, number)
    refused = ask(crowd, MOBILE)
    assert "网络一小时内" in refused.content.decode()
    assert len(otp_outbox) == 1


def test_a_rejected_password_keeps_the_code_usable(account, otp_outbox):
    ask(Client(), MOBILE)
    code = otp_outbox[-1].code
    weak = confirm(Client(), MOBILE, code, password="12345678")
    assert weak.status_code == 200 and "new_password1" in weak.context["form"].errors
    # Rules that need the account (too close to its e-mail) apply too, once the code is known right.
    similar = confirm(Client(), MOBILE, code, password="chen@example")
    assert "new_password1" in similar.context["form"].errors
    mismatch = confirm(Client(), MOBILE, code, again="Not-the-same-1")
    assert "new_password2" in mismatch.context["form"].errors
    assert confirm(Client(), MOBILE, code).status_code == 302


def test_the_code_format_is_checked_before_any_attempt_is_spent(account, otp_outbox):
    ask(Client(), MOBILE)
    response = confirm(Client(), MOBILE, "12ab")
    assert "6 位数字验证码" in response.content.decode()
    assert OneTimeCode.objects.get().attempts == 0


def test_a_successful_reset_lifts_the_lockout_and_ends_old_sessions(account, otp_outbox, settings):
    settings.AXES_FAILURE_LIMIT = 3
    attacker = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(3):
        attacker.post("/accounts/login/", {"username": MOBILE, "password": "wrong"})
    assert (
        attacker.post("/accounts/login/", {"username": MOBILE, "password": "correct-horse-9"}).status_code
        == 429
    )
    old_session = Client()
    old_session.force_login(account)
    ask(attacker, MOBILE)
    assert confirm(attacker, MOBILE, otp_outbox[-1].code).status_code == 302
    assert attacker.post("/accounts/login/", {"username": MOBILE, "password": NEW}).status_code == 302
    assert not old_session.get("/").context["user"].is_authenticated


def test_a_deactivated_account_cannot_be_reset(account, otp_outbox):
    account.is_active = False
    account.save()
    ask(Client(), MOBILE)
    assert otp_outbox == []


def test_bad_input_gets_a_message_not_an_error_page():
    for identifier in ("", "12345", "no@", "<script>"):
        response = Client().post("/accounts/password/reset/", {"identifier": identifier})
        assert response.status_code == 200
        assert response.context["form"].errors


# Verifying one's own contact details, so that a reset becomes possible -----------------------------


def test_a_user_verifies_the_mobile_and_can_then_reset(cast, otp_outbox):
    user = cast.member
    assert not user.has_verified_mobile
    client = Client()
    client.force_login(user)
    page = client.get("/accounts/contact/").content.decode()
    assert "未验证" in page
    client.post("/accounts/contact/", {"action": "send", "channel": "sms"})
    (message,) = otp_outbox
    assert message.destination == user.mobile
    wrong = client.post(
        "/accounts/contact/",
        {"action": "verify", "channel": "sms", "code": "000000" if message.code != "000000" else "111111"},
    )
    assert "还可以再试" in wrong.content.decode()
    done = client.post("/accounts/contact/", {"action": "verify", "channel": "sms", "code": message.code})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.has_verified_mobile
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.CONTACT_VERIFIED, user=user).exists()
    # Changing the mobile makes it unverified again, without anyone clearing a flag.
    user.mobile = "13905769876"
    assert not user.has_verified_mobile


def test_contact_page_refuses_what_cannot_be_verified(cast, otp_outbox):
    user = cast.member
    user.email = ""
    user.save()
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/contact/", {"action": "send", "channel": "email"}, follow=True)
    assert "没有登记电子邮箱" in response.content.decode()
    bogus = client.post("/accounts/contact/", {"action": "send", "channel": "fax"}, follow=True)
    assert bogus.status_code == 200
    assert otp_outbox == []
