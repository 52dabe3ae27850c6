"""The demo prints a login invitation that really opens, and its personas can reset their password."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from jingxiang.accounts.models import InvitationStatus, LoginInvitation
from jingxiang.accounts.privacy import current_policy


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_invitation_can_be_claimed_with_the_printed_code(monkeypatch, otp_outbox):
    from jingxiang.core import demo as core_demo

    class OnlyAccounts:
        """The foundation and this app's demo only, so another app's demo cannot break this test."""

        @staticmethod
        def get_app_configs():  # type: ignore[no-untyped-def]
            from django.apps import apps

            return [config for config in apps.get_app_configs() if config.name == "jingxiang.accounts"]

    monkeypatch.setattr(core_demo, "apps", OnlyAccounts)
    context = core_demo.load_demo()
    invitation = LoginInvitation.objects.get(status=InvitationStatus.PENDING)
    assert invitation.talent.home_organisation == context.organisations["kangbo"]
    assert invitation.invited_by == context.users["talent_officer"]
    assert otp_outbox == []  # the demo's code was captured for printing, not sent anywhere
    notes = "\n".join(context.notes)
    path = re.search(r"(/accounts/claim/[^/\s]+/)", notes).group(1)
    code = re.search(r"code: (\d{6})", notes).group(1)
    assert invitation.talent.mobile in notes
    claimed = Client().post(
        path,
        {
            "code": code,
            "password1": "Demo-pass-2026",
            "password2": "Demo-pass-2026",
            "privacy_consent": "on",
            "privacy_version": current_policy().version,
        },
    )
    assert claimed.status_code == 302
    invitation.talent.refresh_from_db()
    assert invitation.talent.user is not None
    # The personas' contact details count as verified, so "忘记密码" works for them in the demo.
    firm_admin = context.users["firm_admin"]
    firm_admin.refresh_from_db()
    assert firm_admin.has_verified_mobile


@pytest.mark.django_db
def test_load_demo_prints_the_notes(monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    from jingxiang.core import demo as core_demo

    def fake_load(**kwargs):  # type: ignore[no-untyped-def]
        from jingxiang.demo_data import generate_cluster

        context = core_demo.DemoContext(cluster=generate_cluster(seed=1, scale=1))
        context.notes.append("开通账号邀请 Login invitation: 陈师傅")
        return context

    monkeypatch.setattr("jingxiang.core.management.commands.load_demo.load_demo", fake_load)
    monkeypatch.setattr("jingxiang.core.management.commands.load_demo.demo_loaded", lambda: False)
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "开通账号邀请 Login invitation: 陈师傅" in out.getvalue()
