"""Issue 10's required journey: a talent invited, claims the login, signs an agreement.

Everything the talent does goes through the pages (claim, login, reply to the sharing invitation,
sign); the firms' steps use the sharing services, as the sharing tests do.
"""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from jingxiang.accounts.privacy import current_policy
from jingxiang.sharing import services as sharing
from jingxiang.sharing.models import AgreementStatus, InvitationStatus
from jingxiang.sharing.tests.builders import open_all_week, request_data, terms
from jingxiang.testing.factories import TalentFactory

pytestmark = pytest.mark.django_db


def test_a_talent_invited_claims_the_login_and_signs_an_agreement(cast, otp_outbox):
    talent = TalentFactory(
        name="陈师傅", home_organisation=cast.other_firm, mobile="13867610001", user=None, shares_talent=True
    )
    open_all_week(talent)
    request = sharing.request_file(actor=cast.talent_officer, firm=cast.firm, data=request_data())
    # Before: the station cannot invite someone who cannot log in to answer.
    with pytest.raises(ValidationError) as no_login:
        sharing.invitation_send(actor=cast.operator, request=request, talents=[talent])
    assert no_login.value.code == "no_login"

    # The home firm's admin invites the talent from the talent's page.
    admin = Client()
    admin.force_login(cast.other_firm_admin)
    assert "邀请开通账号" in admin.get(f"/talents/{talent.pk}/").content.decode()
    assert admin.post(f"/accounts/invite/talent/{talent.pk}/", {"channel": "sms"}).status_code == 302
    (message,) = otp_outbox
    path = re.search(r"(/accounts/claim/[^/\s]+/)", message.text).group(1)

    # The talent opens the link on their phone, enters the code and a password, and logs in.
    phone = Client()
    claimed = phone.post(
        path,
        {
            "code": message.code,
            "password1": "Jingjing-2026!",
            "password2": "Jingjing-2026!",
            "privacy_consent": "on",
            "privacy_version": current_policy().version,
        },
    )
    assert claimed.status_code == 302
    logged_in = phone.post("/accounts/login/", {"username": "13867610001", "password": "Jingjing-2026!"})
    assert logged_in.status_code == 302
    talent.refresh_from_db()
    user = talent.user
    assert phone.get("/").context["user"] == user

    # Now the station can invite them, and they answer from their own page.
    (invitation,) = sharing.invitation_send(actor=cast.operator, request=request, talents=[talent])
    assert phone.get("/sharing/me/").status_code == 200
    replied = phone.post(f"/sharing/invitations/{invitation.pk}/respond/", {"decision": "accept"})
    assert replied.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED

    # The firms draw up and sign the three-party agreement; the talent signs it on the agreement page.
    agreement = sharing.agreement_create(
        actor=cast.talent_officer, invitation=invitation, data=terms(period_start=timezone.localdate())
    )
    sharing.agreement_sign(actor=cast.other_firm_admin, agreement=agreement, party="home")
    sharing.agreement_sign(actor=cast.talent_officer, agreement=agreement, party="host")
    page = phone.get(f"/sharing/agreements/{agreement.pk}/")
    assert page.status_code == 200
    signed = phone.post(
        f"/sharing/agreements/{agreement.pk}/sign/", {"party": "talent", "consent": "on"}, follow=True
    )
    assert "已签署" in signed.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert agreement.signatures.get(party="talent").signed_by == user
