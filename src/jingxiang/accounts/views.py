from __future__ import annotations

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jingxiang.accounts import selectors, services
from jingxiang.accounts.actors import SignedInRequest
from jingxiang.accounts.forms import (
    ClaimForm,
    ContactCodeForm,
    InviteLoginForm,
    LoginForm,
    PasswordResetConfirmForm,
    PasswordResetRequestForm,
    PrivacyConsentForm,
)
from jingxiang.accounts.models import Channel, LoginInvitation
from jingxiang.accounts.permissions import access_talent_for_invitation
from jingxiang.core.forms import add_service_error, flash_refusal
from jingxiang.core.rendering import render_page
from jingxiang.core.views import client_ip_address

# The identifier typed on the first reset step, so the second step need not ask for it again.
RESET_IDENTIFIER_KEY = "jingxiang_reset_identifier"


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def locked_out(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return render(request, "accounts/locked_out.html", status=429)


# Inviting a talent to take a login ----------------------------------------------------------------


@login_required
def talent_login_invite(request: HttpRequest, talent_pk: int) -> HttpResponse:
    talent = access_talent_for_invitation(request.user, talent_pk)
    problem = selectors.login_invitation_problem(talent)
    form = InviteLoginForm(request.POST or None, channels=selectors.login_invitation_channels(talent))
    if request.method == "POST" and problem is None and form.is_valid():
        try:
            invitation = services.login_invitation_send(
                actor=request.user,
                talent=talent,
                channel=form.cleaned_data["channel"],
                ip=client_ip_address(request),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("邀请已发出:验证码已发送至 %(destination)s,邀请链接 %(date)s 前有效。")
                % {
                    "destination": invitation.destination_masked,
                    "date": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
                },
            )
            return redirect("talents:detail", pk=talent.pk)
    pending = selectors.pending_login_invitation(talent)
    return render_page(
        request,
        "accounts/invite.html",
        {
            "talent": talent,
            "form": form,
            "problem": problem[1] if problem else "",
            "pending": pending,
            "pending_url": request.build_absolute_uri(pending_path(pending)) if pending else "",
        },
    )


def pending_path(invitation: LoginInvitation) -> str:
    return reverse("accounts:claim", args=[invitation.token])


# Claiming the profile --------------------------------------------------------------------------


def _invitation_or_404(token: str) -> LoginInvitation:
    invitation = LoginInvitation.from_token(token)
    if invitation is None:
        raise Http404
    return invitation


def login_claim(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation_or_404(token)
    problem = selectors.claim_problem(invitation)
    if problem is not None:
        return render_page(
            request,
            "accounts/claim_closed.html",
            {"invitation": invitation, "problem": problem[1]},
            status=410,
        )
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_claim(
                invitation=invitation,
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password1"],
                ip=client_ip_address(request),
                privacy_version=form.cleaned_data["privacy_version"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if request.user.is_authenticated:
                # Whoever was logged in on this device is not the person who just claimed the profile.
                logout(request)
            messages.success(
                request,
                _("账号已开通。请用手机号 %(mobile)s 和刚设置的密码登录。") % {"mobile": user.masked_mobile},
            )
            return redirect("accounts:login")
    return render_page(
        request,
        "accounts/claim.html",
        {"invitation": invitation, "talent": invitation.talent, "form": form, "token": token},
    )


@require_POST
def login_claim_resend(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation_or_404(token)
    try:
        code = services.login_invitation_resend(invitation=invitation, ip=client_ip_address(request))
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(
            request, _("新的验证码已发送至 %(destination)s。") % {"destination": code.destination_masked}
        )
    return redirect("accounts:claim", token=token)


# Forgotten password ------------------------------------------------------------------------------


def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_request(
                identifier=form.cleaned_data["identifier"], ip=client_ip_address(request)
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            request.session[RESET_IDENTIFIER_KEY] = form.cleaned_data["identifier"].strip()
            messages.info(
                request,
                _("如果该手机号或邮箱是某个账号已验证的联系方式,验证码已经发出,请在 %(minutes)s 分钟内填写。")
                % {"minutes": math.ceil(settings.JINGXIANG_OTP_TTL_SECONDS / 60)},
            )
            return redirect("accounts:password_reset_confirm")
    return render_page(request, "accounts/password_reset.html", {"form": form})


def password_reset_confirm(request: HttpRequest) -> HttpResponse:
    form = PasswordResetConfirmForm(
        request.POST or None, initial={"identifier": request.session.get(RESET_IDENTIFIER_KEY, "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_confirm(
                identifier=form.cleaned_data["identifier"],
                code=form.cleaned_data["code"],
                new_password=form.cleaned_data["new_password1"],
                ip=client_ip_address(request),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            request.session.pop(RESET_IDENTIFIER_KEY, None)
            messages.success(request, _("密码已重设,请用新密码登录。"))
            return redirect("accounts:login")
    return render_page(request, "accounts/password_reset_confirm.html", {"form": form})


# Verifying one's own mobile and e-mail ------------------------------------------------------------


@login_required
def contact_verify(request: SignedInRequest) -> HttpResponse:
    user = request.user
    verify_form = None
    if request.method == "POST":
        channel = request.POST.get("channel", "")
        channel = channel if channel in Channel.values else ""
        if request.POST.get("action") == "send":
            try:
                code = services.contact_verification_send(
                    user=user, channel=channel, ip=client_ip_address(request)
                )
            except ValidationError as error:
                flash_refusal(request, error)
            else:
                messages.success(
                    request, _("验证码已发送至 %(destination)s。") % {"destination": code.destination_masked}
                )
            return redirect("accounts:contact")
        verify_form = ContactCodeForm(request.POST, auto_id=f"id_{channel}_%s")
        if verify_form.is_valid():
            try:
                services.contact_verify(
                    user=user,
                    channel=verify_form.cleaned_data["channel"],
                    code=verify_form.cleaned_data["code"],
                    ip=client_ip_address(request),
                )
            except ValidationError as error:
                add_service_error(verify_form, error)
            else:
                messages.success(request, _("已验证。忘记密码时可以用它找回。"))
                return redirect("accounts:contact")
    rows = [
        {
            "channel": Channel.SMS,
            "label": _("手机号"),
            "value": user.masked_mobile,
            "verified": user.has_verified_mobile,
        },
        {
            "channel": Channel.EMAIL,
            "label": _("电子邮箱"),
            "value": services.mask_destination(Channel.EMAIL, user.email) if user.email else "",
            "verified": user.has_verified_email,
        },
    ]
    for row in rows:
        bound = verify_form is not None and verify_form.data.get("channel") == row["channel"]
        row["form"] = (
            verify_form
            if bound
            else ContactCodeForm(initial={"channel": row["channel"]}, auto_id=f"id_{row['channel']}_%s")
        )
    return render_page(request, "accounts/contact.html", {"rows": rows})


# Privacy policy and consent (issue 21) ----------------------------------------------------------


def privacy_policy(request: HttpRequest, version: str = "") -> HttpResponse:
    """The policy's text, public: the current version, or an older one by its number."""
    from jingxiang.accounts.privacy import current_policy, policies, policy

    shown = policy(version) if version else current_policy()
    if shown is None:
        raise Http404
    return render_page(
        request,
        "accounts/privacy.html",
        {"policy": shown, "current": current_policy(), "versions": list(reversed(policies()))},
    )


@login_required
def privacy_consent(request: HttpRequest) -> HttpResponse:
    """Agree to the current version (asked at login when it is new to the person)."""
    from jingxiang.accounts.middleware import SESSION_KEY
    from jingxiang.accounts.models import ConsentSource
    from jingxiang.accounts.privacy import current_policy
    from jingxiang.core.pages import form_page, safe_next

    current = current_policy()
    done = safe_next(request, reverse("core:home"))

    def save(data: dict[str, object]) -> object:
        consent = services.privacy_consent_record(
            user=request.user,
            version=str(data["version"]),
            source=ConsentSource.LOGIN,
            ip=client_ip_address(request),
        )
        request.session.pop(SESSION_KEY, None)
        return consent

    return form_page(
        request,
        PrivacyConsentForm(request.POST or None, initial={"version": current.version}),
        save=save,
        success_url=done,
        success_message=_("已记录您对隐私政策(%(v)s 版)的同意。") % {"v": current.version},
        template="accounts/privacy_consent.html",
        context={"title": _("隐私政策已更新"), "policy": current, "hidden": {"next": done}},
    )
