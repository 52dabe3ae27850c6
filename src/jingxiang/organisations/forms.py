from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from jingxiang.accounts.forms import PrivacyConsentMixin
from jingxiang.core.forms import MobileField, PlainTextAreaField, PlainTextField, StyledFormMixin, USCCField
from jingxiang.organisations.models import Organisation, OrganisationKind, OrganisationSize, Role
from jingxiang.organisations.permissions import grantable_roles
from jingxiang.organisations.services import OrganisationDetails

SELF_REGISTER_KINDS = [
    (value, label)
    for value, label in OrganisationKind.choices
    # Government, union and association (secretariat) accounts carry platform powers: operators create them.
    if value in {"firm", "university", "testing_lab", "service_agency"}
]


class OrganisationFieldsForm(StyledFormMixin, forms.Form):
    name = PlainTextField(label=_("机构名称"), max_length=100)
    short_name = PlainTextField(label=_("简称"), max_length=30, required=False)
    # Typed as any field: the spreadsheet import reads kind and size as free text (organisations.imports).
    kind: forms.Field = forms.ChoiceField(label=_("机构类型"), choices=OrganisationKind.choices)
    uscc = USCCField(label=_("统一社会信用代码"), required=False, help_text=_("企业必填,18 位"))
    address = PlainTextField(label=_("地址"), max_length=200, required=False)
    region = PlainTextField(label=_("区域"), max_length=50, required=False, help_text=_("如:杜桥镇"))
    size: forms.Field = forms.ChoiceField(
        label=_("规模"), choices=[("", "—"), *OrganisationSize.choices], required=False
    )
    employee_count = forms.IntegerField(label=_("员工人数"), min_value=0, max_value=1_000_000, required=False)
    main_products = PlainTextField(label=_("主营产品"), max_length=200, required=False)
    founded_year = forms.IntegerField(label=_("成立年份"), min_value=1900, max_value=2100, required=False)
    description = PlainTextAreaField(label=_("简介"), max_length=2000, required=False)
    contact_name = PlainTextField(label=_("联系人"), max_length=50, required=False)
    contact_mobile = MobileField(label=_("联系电话"), required=False)

    def __init__(self, *args: Any, instance: Organisation | None = None, **kwargs: Any) -> None:
        self.instance = instance
        super().__init__(*args, **kwargs)

    def details(self) -> OrganisationDetails:
        """The cleaned details as the services take them (call after ``is_valid()``)."""
        data = self.cleaned_data
        return OrganisationDetails(
            name=data["name"],
            kind=data["kind"],
            uscc=data.get("uscc") or None,
            short_name=data.get("short_name") or "",
            address=data.get("address") or "",
            region=data.get("region") or "",
            size=data.get("size") or "",
            employee_count=data.get("employee_count"),
            main_products=data.get("main_products") or "",
            founded_year=data.get("founded_year"),
            description=data.get("description") or "",
            contact_name=data.get("contact_name") or "",
            # Left empty, the stored number stays (the edit form shows it masked, as a hint).
            contact_mobile=data.get("contact_mobile") or None,
        )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        clash = Organisation.objects.filter(name=name)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("已有同名机构入驻平台。"), code="duplicate_name")
        return name

    def clean_uscc(self) -> str | None:
        uscc = self.cleaned_data.get("uscc") or None
        if uscc:
            clash = Organisation.objects.filter(uscc=uscc)
            if self.instance is not None:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(
                    _("该统一社会信用代码已登记在平台上,请勿重复入驻;如需加入该机构,请联系其管理员。"),
                    code="duplicate_uscc",
                )
        return uscc

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("kind") == OrganisationKind.FIRM
            and not cleaned.get("uscc")
            and "uscc" not in self.errors
        ):
            self.add_error("uscc", _("企业必须填写统一社会信用代码。"))
        return cleaned


class RegistrationForm(PrivacyConsentMixin, OrganisationFieldsForm):
    """Public sign-up: the organisation plus its first administrator's login."""

    applicant_name = PlainTextField(label=_("申请人姓名"), max_length=50)
    applicant_mobile = MobileField(label=_("申请人手机号"))
    username = forms.RegexField(
        label=_("登录名"),
        regex=r"^(?=.*[A-Za-z])[A-Za-z0-9_.-]{3,30}$",
        error_messages={
            "invalid": _("登录名须含至少一个字母,只能包含字母、数字、下划线、点和横线,3–30 位。")
        },
    )
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = SELF_REGISTER_KINDS

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("该登录名已被使用。"), code="duplicate_username")
        return username

    def clean_applicant_mobile(self) -> str:
        mobile: str = self.cleaned_data["applicant_mobile"]
        if get_user_model().objects.filter(mobile=mobile).exists():
            raise forms.ValidationError(_("该手机号已注册,请直接登录。"), code="duplicate_mobile")
        return mobile

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif first:
            user = get_user_model()(
                username=cleaned.get("username", ""), display_name=cleaned.get("applicant_name", "")
            )
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ReviewForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=[("approve", _("通过")), ("reject", _("不通过"))],
        widget=forms.RadioSelect,
    )
    note = PlainTextField(label=_("审核意见"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "reject" and not cleaned.get("note"):
            self.add_error("note", _("不通过时必须写明原因,申请人会看到。"))
        return cleaned


class MemberAddForm(StyledFormMixin, forms.Form):
    display_name = PlainTextField(label=_("姓名"), max_length=50)
    mobile = MobileField(label=_("手机号"))
    username = forms.RegexField(
        label=_("登录名"),
        regex=r"^(?=.*[A-Za-z])[A-Za-z0-9_.-]{3,30}$",
        error_messages={
            "invalid": _("登录名须含至少一个字母,只能包含字母、数字、下划线、点和横线,3–30 位。")
        },
    )
    role = forms.ChoiceField(label=_("角色"), choices=[])
    password = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput,
        strip=False,
        help_text=_("请线下告知成员,并提醒其登录后修改。"),
    )

    def __init__(self, *args: Any, organisation: Organisation, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        allowed = set(grantable_roles(actor, organisation))
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [(value, label) for value, label in Role.choices if value in allowed]

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("该登录名已被使用。"), code="duplicate_username")
        return username

    def clean_mobile(self) -> str:
        mobile: str = self.cleaned_data["mobile"]
        if get_user_model().objects.filter(mobile=mobile).exists():
            raise forms.ValidationError(_("该手机号已注册。"), code="duplicate_mobile")
        return mobile

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password
