from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.http import QueryDict
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from jingxiang.accounts.models import Channel
from jingxiang.accounts.services import CODE_LENGTH
from jingxiang.core.forms import StyledFormMixin


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("手机号或登录名"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "class": "input"}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "input"}),
    )
    error_messages = {
        "invalid_login": _("手机号/登录名或密码不正确。连续多次输错将被暂时锁定。"),
        "inactive": _("该账号已停用。"),
    }


PASSWORD_HELP = _("至少 8 位,不能全是数字,不要用常见密码,也不要与姓名、手机号相近。")


class CodeField(forms.CharField):
    """A six-digit one-time code; full-width digits and spaces (as some phones paste them) are accepted."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("验证码"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "class": "input"}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        code = unicodedata.normalize("NFKC", value or "").replace(" ", "")
        if code and not (len(code) == CODE_LENGTH and code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("请输入收到的 6 位数字验证码。"), code="code_format")
        return code


if TYPE_CHECKING:
    # The mixins below are used with a Form (they call its clean and add_error); mypy sees that base.
    _FormBase = forms.Form
else:
    _FormBase = object


class NewPasswordMixin(_FormBase):
    """Two password fields that must match; the strength rules run in the service, which knows the user."""

    password_fields = ("password1", "password2")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        first, second = (cleaned.get(name) for name in self.password_fields)
        if first and second and first != second:
            self.add_error(self.password_fields[1], _("两次输入的密码不一致。"))
        return cleaned


def _new_password_field(label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "class": "input"}),
    )


class InviteLoginForm(StyledFormMixin, forms.Form):
    # A class of its own, so the house "input" style (full-width boxes) is not put on the radio buttons.
    channel = forms.ChoiceField(
        label=_("验证码发送方式"), widget=forms.RadioSelect(attrs={"class": "choice"})
    )

    def __init__(self, *args: Any, channels: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        channel = self.fields["channel"]
        assert isinstance(channel, forms.ChoiceField)
        channel.choices = channels
        if channels:
            self.fields["channel"].initial = channels[0][0]


class PrivacyConsentField(forms.BooleanField):
    """The required "I agree to the privacy policy" tick box of a registration form. The form carries
    the version shown (``privacy_version``, a hidden field) so a policy changed meanwhile is noticed."""

    def __init__(self, **kwargs: Any) -> None:
        from django.urls import reverse_lazy

        kwargs.setdefault("label", _("我已阅读并同意《镜享平台隐私政策》"))
        kwargs.setdefault("error_messages", {"required": _("请阅读并勾选同意隐私政策,否则无法注册。")})
        kwargs.setdefault(
            "help_text",
            format_lazy(_("政策全文:{url}"), url=reverse_lazy("accounts:privacy")),
        )
        super().__init__(required=True, **kwargs)


class PrivacyConsentMixin(_FormBase):
    """Adds ``privacy_consent`` and the hidden ``privacy_version`` to a registration form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from jingxiang.accounts.privacy import current_policy

        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["privacy_consent"] = PrivacyConsentField()
        fields["privacy_consent"].widget.attrs.setdefault("class", "checkbox")
        fields["privacy_version"] = forms.CharField(
            widget=forms.HiddenInput, initial=current_policy().version
        )

    def clean(self) -> dict[str, Any]:
        from jingxiang.accounts.privacy import current_policy

        data: dict[str, Any] = super().clean() or {}
        current = current_policy()
        if data.get("privacy_consent") and data.get("privacy_version") != current.version:
            # The policy changed while the form was open: the person agreed to a text no longer in force.
            self.add_error(
                "privacy_consent",
                _("隐私政策已更新为 %(v)s 版,请阅读新版本后再勾选同意。") % {"v": current.version},
            )
            # A copy that can change: a request's QueryDict (or the dict a test binds) is read-only.
            fresh = self.data.copy() if isinstance(self.data, QueryDict | dict) else dict(self.data)
            fresh["privacy_version"] = current.version
            self.data = fresh
        return data


class ClaimForm(PrivacyConsentMixin, NewPasswordMixin, StyledFormMixin, forms.Form):
    code = CodeField(help_text=_("短信或邮件中的 6 位数字。"))
    password1 = _new_password_field(_("设置登录密码"), PASSWORD_HELP)
    password2 = _new_password_field(_("再次输入密码"))


class PrivacyConsentForm(StyledFormMixin, forms.Form):
    """Agreeing to a new version of the policy at login."""

    version = forms.CharField(widget=forms.HiddenInput)
    agree = forms.BooleanField(
        label=_("我已阅读并同意以上隐私政策"),
        error_messages={"required": _("请勾选同意后继续;如不同意,可退出登录。")},
    )


class PasswordResetRequestForm(StyledFormMixin, forms.Form):
    identifier = forms.CharField(
        label=_("手机号或电子邮箱"),
        max_length=254,
        help_text=_("填写账号已验证的手机号或电子邮箱,验证码将发送到那里。"),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True, "class": "input"}),
    )


class PasswordResetConfirmForm(NewPasswordMixin, StyledFormMixin, forms.Form):
    password_fields = ("new_password1", "new_password2")

    identifier = forms.CharField(
        label=_("手机号或电子邮箱"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "class": "input"}),
    )
    code = CodeField()
    new_password1 = _new_password_field(_("新密码"), PASSWORD_HELP)
    new_password2 = _new_password_field(_("再次输入新密码"))


class ContactCodeForm(StyledFormMixin, forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices, widget=forms.HiddenInput)
    code = CodeField()
