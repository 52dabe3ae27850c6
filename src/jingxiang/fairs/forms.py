"""Forms of the fairs; the rules they repeat for the user's sake are enforced by the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingxiang.core.forms import PlainTextField, StyledFormMixin
from jingxiang.core.timerules import REASON_FIELD, TimeRulesFormMixin, may_override
from jingxiang.events.models import RequestPriority
from jingxiang.fairs import rules
from jingxiang.fairs.models import Booth, BoothState, BuyerKind, country_choices
from jingxiang.organisations.models import Organisation
from jingxiang.sharing.forms import DateInput


def _metres(label: Any, *, minimum: str = "0.5") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=Decimal(minimum), max_value=Decimal("9999"), max_digits=6, decimal_places=1
    )


class FairForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = rules.FAIR_RULES

    code = PlainTextField(
        label=_("展会代码"), max_length=20, help_text=_("字母和数字,印在胸卡号前,如 TZ2027。")
    )
    title = PlainTextField(label=_("名称"), max_length=100)
    city = PlainTextField(label=_("城市"), max_length=30)
    venue = PlainTextField(label=_("展馆地点"), max_length=200)
    starts_on = forms.DateField(label=_("开幕日期"), widget=DateInput())
    ends_on = forms.DateField(label=_("闭幕日期"), widget=DateInput())
    description = PlainTextField(label=_("简介"), max_length=2000, required=False, widget=forms.Textarea)
    slot_minutes = forms.IntegerField(label=_("每场洽谈时长(分钟)"), min_value=10, max_value=60, initial=30)
    meeting_tables = forms.IntegerField(label=_("洽谈桌数"), min_value=1, max_value=200, initial=10)
    backdate_reason = PlainTextField(label=_("补录原因"), max_length=200, required=False)


class HallForm(StyledFormMixin, forms.Form):
    code = PlainTextField(label=_("展馆代码"), max_length=10)
    name = PlainTextField(label=_("展馆"), max_length=50)
    width_m = _metres(_("宽(米)"), minimum="5")
    depth_m = _metres(_("深(米)"), minimum="5")


class BoothForm(StyledFormMixin, forms.Form):
    code = PlainTextField(label=_("展位号"), max_length=20)
    width_m = _metres(_("宽(米)"))
    depth_m = _metres(_("深(米)"))
    x_m = _metres(_("横坐标(米)"), minimum="0")
    y_m = _metres(_("纵坐标(米)"), minimum="0")
    price = forms.DecimalField(label=_("价格(元)"), min_value=Decimal("0"), max_digits=10, decimal_places=2)


class BoothStateForm(StyledFormMixin, forms.Form):
    state = forms.ChoiceField(
        label=_("状态"),
        choices=[(s, label) for s, label in BoothState.choices if s != BoothState.ALLOCATED],
    )
    note = PlainTextField(label=_("原因"), max_length=200, required=False)


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Excel 文件(.xlsx)"))


class BoothChoiceField(forms.ModelChoiceField[Booth]):
    def label_from_instance(self, obj: Booth) -> str:
        return f"{obj.code} · {obj.hall.name} · {obj.width_m}×{obj.depth_m} m · ¥{obj.price:,.0f} · {obj.get_state_display()}"


class ApplicationForm(StyledFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("参展企业"), queryset=Organisation.objects.none(), empty_label=None
    )
    first = BoothChoiceField(label=_("第一志愿展位"), queryset=Booth.objects.none())
    second = BoothChoiceField(label=_("第二志愿展位"), queryset=Booth.objects.none(), required=False)
    third = BoothChoiceField(label=_("第三志愿展位"), queryset=Booth.objects.none(), required=False)
    products = PlainTextField(label=_("展品"), max_length=200)
    contact_name = PlainTextField(label=_("联系人"), max_length=50)

    def __init__(self, *args: Any, firms: Any, booths: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = firms  # type: ignore[attr-defined]
        for name in ("first", "second", "third"):
            self.fields[name].queryset = booths  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["booth_ids"] = [b.pk for b in (data.get("first"), data.get("second"), data.get("third")) if b]
        return data


class AllocateForm(StyledFormMixin, forms.Form):
    booth = BoothChoiceField(label=_("展位"), queryset=Booth.objects.none())

    def __init__(self, *args: Any, booths: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["booth"].queryset = booths  # type: ignore[attr-defined]


class ReasonForm(StyledFormMixin, forms.Form):
    reason = PlainTextField(label=_("原因"), max_length=300)


class BuyerForm(StyledFormMixin, forms.Form):
    name = PlainTextField(label=_("姓名"), max_length=50)
    company = PlainTextField(label=_("公司"), max_length=100)
    country = forms.ChoiceField(label=_("国家/地区"), choices=())
    kind = forms.ChoiceField(label=_("采购商类型"), choices=BuyerKind.choices)
    mobile = PlainTextField(
        label=_("手机号"),
        max_length=20,
        help_text=_("境外手机请带国际区号,如 +39 …"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("电子邮箱"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    interests = PlainTextField(label=_("采购意向"), max_length=200, required=False)
    organisation = forms.TypedChoiceField(
        label=_("代表平台上的机构(可在线预约洽谈)"), required=False, coerce=int, empty_value=None, choices=()
    )

    def __init__(self, *args: Any, profiles: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()  # type: ignore[attr-defined]
        if profiles:
            self.fields["organisation"].choices = [("", _("不关联(只领取胸卡)")), *profiles]  # type: ignore[attr-defined]
        else:
            del self.fields["organisation"]


class MeetingRequestForm(StyledFormMixin, forms.Form):
    priority = forms.ChoiceField(
        label=_("优先级"),
        choices=RequestPriority.choices,
        initial=RequestPriority.NICE,
        widget=forms.RadioSelect,
    )
    message = PlainTextField(label=_("留言"), max_length=300, required=False)


class LeadForm(StyledFormMixin, forms.Form):
    code = PlainTextField(
        label=_("胸卡号"),
        max_length=200,
        help_text=_("扫描胸卡上的二维码,或输入胸卡号(如 TZ2027-00012)。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}
        ),
    )
    note = PlainTextField(label=_("备注"), max_length=300, required=False)
    method = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, actor: Any = None, late: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Outside the fair's dates only an operator records a lead, with the reason core's time rules
        # ask for (checked by the service with ``LEAD_RULES``; stored as an override).
        if late and may_override(actor):
            self.fields[REASON_FIELD] = PlainTextField(
                label=_("补录原因"),
                max_length=500,
                required=False,
                help_text=_("展期外补录线索须写明原因,原因会记入审计日志。"),
            )
