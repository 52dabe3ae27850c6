from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingxiang.core.forms import PlainTextField, StyledFormMixin
from jingxiang.identifiers import MrzError, PassportMrz, parse_passport_mrz
from jingxiang.organisations.models import Organisation
from jingxiang.taxfree import engine_bridge
from jingxiang.taxfree.models import (
    CreditRating,
    DocumentType,
    Good,
    LineKind,
    RefundAgency,
    Region,
    StoreDocument,
    TaxOffice,
    TravellerCategory,
    VatRate,
)


class StoreApplyForm(StyledFormMixin, forms.Form):
    firm: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("企业"), queryset=Organisation.objects.none()
    )
    code = forms.RegexField(label=_("门店编号"), regex=r"^[A-Za-z0-9-]{2,20}$")
    name = PlainTextField(label=_("门店名称"), max_length=120)
    region = forms.ChoiceField(label=_("地区"), choices=Region.choices)
    credit_rating = forms.ChoiceField(label=_("纳税信用级别"), choices=CreditRating.choices)
    general_taxpayer = forms.BooleanField(label=_("增值税一般纳税人"), required=False, initial=True)
    separate_ledger = forms.BooleanField(label=_("单独设置退税物品销售明细账"), required=False)
    uses_refund_system = forms.BooleanField(label=_("同意使用离境退税管理系统"), required=False)
    instant_refund = forms.BooleanField(label=_("提供即买即退"), required=False)
    agency = forms.ModelChoiceField(label=_("退税代理机构"), queryset=RefundAgency.objects.all())
    tax_office = forms.ModelChoiceField(label=_("主管税务机关"), queryset=TaxOffice.objects.all())

    def __init__(self, *args: Any, firms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["firm"].queryset = firms  # type: ignore[attr-defined]


class DocumentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"), choices=StoreDocument.Kind.choices)
    file = forms.FileField(label=_("文件"))


class ReviewForm(StyledFormMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审核结论"), choices=[("1", _("准予备案")), ("0", _("不予备案"))], coerce=lambda v: v == "1"
    )
    note = PlainTextField(label=_("审核意见"), max_length=300, required=False)


class GoodForm(StyledFormMixin, forms.Form):
    name = PlainTextField(label=_("品名"), max_length=120)
    name_en = PlainTextField(label=_("英文品名"), max_length=120, required=False)
    kind = forms.ChoiceField(label=_("货物/服务"), choices=LineKind.choices)
    category = forms.ChoiceField(label=_("商品类别"), choices=[])
    vat_rate = forms.ChoiceField(label=_("增值税税率"), choices=VatRate.choices)
    price = forms.DecimalField(label=_("含税单价"), max_digits=12, decimal_places=2, min_value=0.01)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = engine_bridge.category_choices()  # type: ignore[attr-defined]


class GoodEditForm(GoodForm):
    """Changing an item changes what the counter sells from now on; issued forms keep their own copy of
    each line (name, category, rate, amount), so nothing already printed moves."""

    active = forms.BooleanField(label=_("在售(取消勾选即停售,柜台不再显示)"), required=False)


class StaffForm(StyledFormMixin, forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    manager = forms.BooleanField(label=_("门店负责人"), required=False)


class VoidForm(StyledFormMixin, forms.Form):
    reason = PlainTextField(label=_("作废原因"), max_length=200)


class CounterForm(StyledFormMixin, forms.Form):
    """The visitor's document as typed at the counter (no photo is taken or kept)."""

    mrz = forms.CharField(
        label=_("扫描护照机读区 Passport MRZ"),
        required=False,
        max_length=200,
        widget=forms.Textarea(
            attrs={"rows": 2, "autocomplete": "off", "spellcheck": "false", "class": "mono"}
        ),
        help_text=_("光标放在这里,用护照阅读器扫描;姓名、国籍和证件号码自动填入。也可手工录入下面各项。"),
    )
    traveller_name = PlainTextField(label=_("旅客姓名 Name"), max_length=120)
    traveller_category = forms.ChoiceField(
        label=_("旅客身份 Traveller"), choices=TravellerCategory.choices, initial="foreigner"
    )
    document_type = forms.ChoiceField(label=_("证件类型 Document"), choices=DocumentType.choices)
    nationality = forms.RegexField(label=_("国籍 Nationality"), regex=r"^[A-Za-z]{3}$", max_length=3)
    document_number = forms.RegexField(label=_("证件号码 Document No."), regex=r"^[A-Za-z0-9 ]{5,20}$")
    last_entry_date = forms.DateField(label=_("最后入境日期 Last entry"), required=False)
    last_entry_unreadable = forms.BooleanField(
        label=_("证件上看不出最后入境日期 Last entry not readable"), required=False
    )
    invoice_number = forms.RegexField(
        label=_("发票号码 Invoice No."), regex=r"^[0-9A-Za-z-]{6,30}$", required=False
    )
    instant = forms.BooleanField(label=_("即买即退 Instant refund"), required=False)
    promised_departure_date = forms.DateField(label=_("承诺离境日 Promised departure"), required=False)
    promised_port = forms.CharField(label=_("离境口岸 Port"), max_length=10, required=False, initial="HGH")
    consent_signed = forms.BooleanField(label=_("旅客已签署协议书 Consent form signed"), required=False)
    preauth_reference = forms.CharField(
        label=_("信用卡预授权号 Pre-authorisation No."), max_length=40, required=False
    )

    #: The fields a scanned MRZ fills (the counter page swaps them in as soon as the scan is read).
    MRZ_FIELDS = ("traveller_name", "document_type", "nationality", "document_number")

    def __init__(self, *args: Any, goods: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goods: list[Good] = list(goods)
        self.mrz_read: PassportMrz | None = None
        self.mrz_error: MrzError | None = None
        scanned = str(self.data.get("mrz") or "").strip() if self.is_bound else ""
        if scanned:
            try:
                self.mrz_read = parse_passport_mrz(scanned, today=dt.date.today())
            except MrzError as error:
                self.mrz_error = error
            else:
                # What the reader read wins over what was typed: that is the point of scanning.
                data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict or a dict
                data["traveller_name"] = self.mrz_read.name
                data["document_type"] = "passport"
                data["nationality"] = self.mrz_read.nationality
                data["document_number"] = self.mrz_read.document_number
                self.data = data
        for good in self.goods:
            self.fields[f"qty_{good.pk}"] = forms.IntegerField(
                label=good.name, min_value=0, max_value=999, required=False, initial=0
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.mrz_error is not None:
            # The counter speaks both languages: the clerk reads Chinese, the visitor English.
            self.add_error("mrz", f"{self.mrz_error.message_zh} / {self.mrz_error.message}")
        elif self.mrz_read is not None and self.mrz_read.expiry_date < dt.date.today():
            self.add_error(
                "mrz",
                _("护照已于 %(date)s 过期,不能办理退税。 / The passport expired on %(date)s.")
                % {"date": self.mrz_read.expiry_date.isoformat()},
            )
        if (
            not data.get("last_entry_unreadable")
            and not data.get("last_entry_date")
            and "last_entry_date" not in self.errors
        ):
            self.add_error("last_entry_date", _("请填写最后入境日期;看不出时请勾选“看不出最后入境日期”。"))
        if data.get("last_entry_unreadable"):
            data["last_entry_date"] = None
        entry = data.get("last_entry_date")
        if entry and entry > dt.date.today() + dt.timedelta(days=1):
            self.add_error("last_entry_date", _("最后入境日期不能晚于今天。"))
        return data

    def basket(self) -> list[engine_bridge.BasketLine]:
        return [
            engine_bridge.BasketLine(good, self.cleaned_data[f"qty_{good.pk}"])
            for good in self.goods
            if self.cleaned_data.get(f"qty_{good.pk}")
        ]

    def traveller(self) -> engine_bridge.Traveller:
        data = self.cleaned_data
        return engine_bridge.Traveller(
            name=data["traveller_name"],
            category=data["traveller_category"],
            document_type=data["document_type"],
            nationality=data["nationality"].upper(),
            last_entry_date=data.get("last_entry_date"),
        )


class RecoveryForm(StyledFormMixin, forms.Form):
    as_of = forms.DateField(label=_("截至日期"))
