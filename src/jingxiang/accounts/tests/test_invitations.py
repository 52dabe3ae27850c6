"""Inviting a talent on the platform to take a login, and the talent claiming it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from jingxiang.accounts import services
from jingxiang.accounts.models import (
    Channel,
    InvitationStatus,
    LoginInvitation,
    SecurityEvent,
    SecurityEventKind,
)
from jingxiang.accounts.permissions import may_invite_login
from jingxiang.core.models import Notification
from jingxiang.testing.factories import TalentFactory, UserFactory
from jingxiang.testing.matrix import ANONYMOUS

pytestmark = pytest.mark.django_db

PASSWORD = "Jingjing-2026!"


@pytest.fixture
def craftsman(cast):  # type: ignore[no-untyped-def]
    """陈师傅 of 康波, on the platform without a login."""
    return TalentFactory(
        name="陈师傅", home_organisation=cast.firm, mobile="13867612345", email="chen@example.com", user=None
    )


def link_and_code(message):  # type: ignore[no-untyped-def]
    path = re.search(r"https?://[^/\s]+(/accounts/claim/[^/\s]+/)", message.text).group(1)
    return path, message.code


def invite(client, talent, channel="sms"):  # type: ignore[no-untyped-def]
    return client.post(f"/accounts/invite/talent/{talent.pk}/", {"channel": channel})


# Who may invite whom ----------------------------------------------------------------------------

MAY_INVITE_CRAFTSMAN = {"firm_admin", "talent_officer", "operator"}


@pytest.mark.parametrize(
    "persona",
    [
        "firm_admin",
        "talent_officer",
        "member",
        "other_firm_admin",
        "lab_staff",
        "operator",
        "union_staff",
        "expert",
        "outsider",
        ANONYMOUS,
    ],
)
def test_who_may_invite_a_talent_of_the_firm(cast, craftsman, persona):
    user = cast.by_role().get(persona)
    client = Client()
    if user is not None:
        client.force_login(user)
    page = client.get(f"/accounts/invite/talent/{craftsman.pk}/")
    allowed = persona in MAY_INVITE_CRAFTSMAN
    if persona == ANONYMOUS:
        assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    else:
        assert page.status_code == (200 if allowed else 404)
        assert may_invite_login(user, craftsman) is allowed
    if user is not None and not allowed:
        with pytest.raises(PermissionDenied):
            services.login_invitation_send(actor=user, talent=craftsman, channel=Channel.SMS)
    assert not LoginInvitation.objects.exists()


def test_another_firms_admin_invites_their_own_talent_and_independents_need_an_operator(cast):
    theirs = TalentFactory(home_organisation=cast.other_firm, user=None)
    independent = TalentFactory(home_organisation=None, user=None)
    assert may_invite_login(cast.other_firm_admin, theirs)
    assert not may_invite_login(cast.firm_admin, theirs)
    assert not may_invite_login(cast.firm_admin, independent)
    assert not may_invite_login(cast.other_firm_admin, independent)
    assert may_invite_login(cast.operator, independent)


def test_the_talent_page_offers_the_invitation_only_to_those_who_may_send_it(cast, craftsman, client):
    client.force_login(cast.talent_officer)
    assert "邀请开通账号" in client.get(f"/talents/{craftsman.pk}/").content.decode()
    client.force_login(cast.member)
    page = client.get(f"/talents/{craftsman.pk}/").content.decode()
    assert "邀请开通账号" not in page and "/accounts/invite/" not in page


# Sending -------------------------------------------------------------------------------------------


def test_the_code_goes_to_the_talents_own_phone_and_the_inviter_sees_the_link_only(
    cast, craftsman, client, otp_outbox
):
    client.force_login(cast.talent_officer)
    response = invite(client, craftsman)
    assert response.status_code == 302 and response["Location"] == f"/talents/{craftsman.pk}/"
    (message,) = otp_outbox
    assert message.destination == "13867612345"
    assert "陈师傅" in message.text and "临海市康波眼镜有限公司" in message.text
    path, code = link_and_code(message)
    invitation = LoginInvitation.objects.get()
    assert invitation.status == InvitationStatus.PENDING and invitation.invited_by == cast.talent_officer
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=7)
    page = client.get(f"/talents/{craftsman.pk}/").content.decode()
    assert path in page and "待认领" in page
    assert code not in page
    assert SecurityEvent.objects.filter(
        kind=SecurityEventKind.LOGIN_INVITED, actor=cast.talent_officer
    ).exists()


def test_an_invitation_by_email(cast, craftsman, client, otp_outbox):
    client.force_login(cast.firm_admin)
    invite(client, craftsman, channel="email")
    (message,) = otp_outbox
    assert message.channel == Channel.EMAIL and message.destination == "chen@example.com"
    assert LoginInvitation.objects.get().destination_masked == "c***@example.com"


def test_a_new_invitation_voids_the_earlier_one(cast, craftsman, client, otp_outbox, settings):
    settings.JINGXIANG_OTP_RESEND_SECONDS = 0
    client.force_login(cast.firm_admin)
    invite(client, craftsman)
    first_path, _code = link_and_code(otp_outbox[0])
    invite(client, craftsman)
    assert list(LoginInvitation.objects.order_by("pk").values_list("status", flat=True)) == [
        InvitationStatus.REVOKED,
        InvitationStatus.PENDING,
    ]
    closed = Client().get(first_path)
    assert closed.status_code == 410
    assert "已作废" in closed.content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("has_login", "已有登录账号"),
        ("no_mobile", "没有手机号"),
        ("mobile_taken", "已被另一个账号使用"),
        ("archived", "已归档"),
    ],
)
def test_talents_that_cannot_be_invited_are_refused_with_a_clear_message(
    cast, craftsman, client, otp_outbox, change, message
):
    if change == "has_login":
        craftsman.user = UserFactory()
    elif change == "no_mobile":
        craftsman.mobile = ""
    elif change == "mobile_taken":
        UserFactory(mobile=craftsman.mobile)
    else:
        craftsman.archived_at = timezone.now()
    craftsman.save()
    client.force_login(cast.firm_admin)
    page = client.get(f"/accounts/invite/talent/{craftsman.pk}/")
    assert message in page.content.decode()
    response = invite(client, craftsman)
    assert response.status_code == 200
    assert message in response.content.decode()
    with pytest.raises(ValidationError) as error:
        services.login_invitation_send(actor=cast.firm_admin, talent=craftsman, channel=Channel.SMS)
    assert error.value.code == change
    assert not LoginInvitation.objects.exists() and otp_outbox == []


def test_an_unknown_channel_is_a_field_error(cast, craftsman, client):
    craftsman.email = ""
    craftsman.save()
    client.force_login(cast.firm_admin)
    response = invite(client, craftsman, channel="email")
    assert response.status_code == 200
    assert not LoginInvitation.objects.exists()


# Claiming ---------------------------------------------------------------------------------------


@pytest.fixture
def invited(cast, craftsman, otp_outbox):  # type: ignore[no-untyped-def]
    services.login_invitation_send(actor=cast.talent_officer, talent=craftsman, channel=Channel.SMS)
    return link_and_code(otp_outbox[-1])


def claim(client, path, code, password=PASSWORD, again=None):  # type: ignore[no-untyped-def]
    from jingxiang.accounts.privacy import current_policy

    return client.post(
        path,
        {
            "code": code,
            "password1": password,
            "password2": again or password,
            "privacy_consent": "on",
            "privacy_version": current_policy().version,
        },
    )


def test_the_talent_claims_the_profile_and_logs_in_with_the_mobile(cast, craftsman, invited):
    path, code = invited
    client = Client()
    page = client.get(path)
    assert page.status_code == 200
    assert "陈师傅" in page.content.decode() and "138****2345" in page.content.decode()
    response = claim(client, path, code)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    craftsman.refresh_from_db()
    user = craftsman.user
    assert user is not None
    assert (user.mobile, user.display_name, user.email) == ("13867612345", "陈师傅", "chen@example.com")
    assert user.username == f"talent-{craftsman.pk}"
    assert user.has_verified_mobile and not user.has_verified_email
    invitation = LoginInvitation.objects.get()
    assert invitation.status == InvitationStatus.CLAIMED and invitation.user == user
    assert Notification.objects.filter(recipient=cast.talent_officer, kind="login_claimed").exists()
    login = client.post("/accounts/login/", {"username": "138 6761 2345", "password": PASSWORD})
    assert login.status_code == 302
    assert client.get("/talents/me/")["Location"] == f"/talents/{craftsman.pk}/"


def test_a_wrong_code_says_how_many_tries_are_left_and_keeps_the_form(invited):
    path, code = invited
    wrong = "000000" if code != "000000" else "111111"
    response = claim(Client(), path, wrong)
    page = response.content.decode()
    assert response.status_code == 200
    assert "还可以再试 4 次" in page
    assert not get_user_model().objects.filter(username__startswith="talent-").exists()


def test_password_rules_apply_and_a_refused_password_does_not_use_up_the_code(craftsman, invited):
    path, code = invited
    client = Client()
    weak = claim(client, path, code, password="12345678")
    assert weak.status_code == 200
    assert "password1" in weak.context["form"].errors
    mismatch = claim(client, path, code, again="Something-else-9")
    assert "两次输入的密码不一致" in mismatch.content.decode()
    assert claim(client, path, code).status_code == 302
    craftsman.refresh_from_db()
    assert craftsman.user is not None


def test_a_used_invitation_cannot_be_claimed_again(invited):
    path, code = invited
    client = Client()
    claim(client, path, code)
    again = client.get(path)
    assert again.status_code == 410
    assert "已经使用过" in again.content.decode()
    assert claim(client, path, code).status_code == 410


def test_an_expired_invitation_is_refused(invited):
    path, code = invited
    LoginInvitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = claim(Client(), path, code)
    assert response.status_code == 410
    assert "已过期" in response.content.decode()


def test_a_mobile_taken_meanwhile_is_refused(craftsman, invited):
    path, code = invited
    UserFactory(mobile=craftsman.mobile)
    response = claim(Client(), path, code)
    assert response.status_code == 410
    assert "已被另一个账号使用" in response.content.decode()
    craftsman.refresh_from_db()
    assert craftsman.user is None


def test_a_talent_linked_meanwhile_is_refused(craftsman, invited):
    path, _code = invited
    craftsman.user = UserFactory()
    craftsman.save()
    response = Client().get(path)
    assert response.status_code == 410
    assert "已开通登录账号" in response.content.decode()


@pytest.mark.parametrize("tamper", ["nonce", "signature", "garbage"])
def test_a_forged_link_is_not_found(invited, tamper):
    path, _code = invited
    token = path.split("/")[3]
    if tamper == "garbage":
        token = "abc"
    elif tamper == "signature":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    else:
        from django.core import signing

        payload = signing.Signer(salt="jingxiang.accounts.claim").unsign_object(token)
        token = signing.Signer(salt="jingxiang.accounts.other").sign_object(payload)
    assert Client().get(f"/accounts/claim/{token}/").status_code == 404


def test_a_new_code_from_the_claim_page_goes_to_the_talent_and_is_rate_limited(
    craftsman, invited, otp_outbox, settings
):
    path, old = invited
    settings.JINGXIANG_OTP_RESEND_SECONDS = 0
    client = Client()
    response = client.post(path + "resend/", follow=True)
    assert "新的验证码已发送至 138****2345" in response.content.decode()
    new = otp_outbox[-1]
    assert new.destination == craftsman.mobile
    if new.code != old:
        assert claim(client, path, old).status_code == 200
    settings.JINGXIANG_OTP_RESEND_SECONDS = 60
    throttled = client.post(path + "resend/", follow=True)
    assert "秒后再获取验证码" in throttled.content.decode()
    assert claim(client, path, new.code).status_code == 302


def test_a_logged_in_visitor_is_logged_out_after_claiming(cast, invited):
    path, code = invited
    client = Client()
    client.force_login(cast.member)
    assert claim(client, path, code).status_code == 302
    assert not client.get("/").context["user"].is_authenticated


def test_the_admin_no_longer_links_users_by_id_except_for_superusers(cast, rf):
    from django.contrib.admin.sites import site

    from jingxiang.talents.models import Talent

    talent_admin = site._registry[Talent]
    request = rf.get("/admin/")
    request.user = cast.operator
    assert "user" in talent_admin.get_readonly_fields(request, cast.expert)
    request.user = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert "user" not in talent_admin.get_readonly_fields(request, cast.expert)


def test_the_claim_and_reset_pages_speak_english_to_an_english_visitor(settings, invited):
    path, _code = invited
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    claim_page = client.get(path).content.decode()
    assert "Take your Jingxiang login" in claim_page and "Create my login" in claim_page
    reset_page = client.get("/accounts/password/reset/").content.decode()
    assert "Forgotten password" in reset_page and "Get a code" in reset_page
    assert "找回密码" not in reset_page


@pytest.mark.parametrize(
    "token", ["x" * 3000, "eyJpIjoiMSJ9:abc", "%E6%97%A0", "e30:bad", "W10:sig", "bnVsbA:x"]
)
def test_odd_tokens_are_not_found_never_an_error(token):
    client = Client(raise_request_exception=False)
    assert client.get(f"/accounts/claim/{token}/").status_code == 404
    assert client.post(f"/accounts/claim/{token}/resend/").status_code == 404


def test_odd_form_input_gets_messages(invited, cast):
    path, _code = invited
    client = Client(raise_request_exception=False)
    long = client.post(path, {"code": "9" * 500, "password1": "x" * 5000, "password2": "y"})
    assert long.status_code == 200 and long.context["form"].errors
    client.force_login(cast.firm_admin)
    assert client.get("/accounts/invite/talent/999999/").status_code == 404
    bad_channel = client.post(f"/accounts/invite/talent/{cast.expert.pk}/", {"channel": "fax"})
    assert bad_channel.status_code == 404  # 林工 belongs to another firm: not this admin's to invite
