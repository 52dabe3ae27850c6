"""Forms of the parks; the rules they repeat for the user's sake are enforced by the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingxiang.core.forms import PlainTextField, StyledFormMixin
from jingxiang.core.pickers import PickerField
from jingxiang.core.timerules import TimeRulesFormMixin
from jingxiang.organisations.models import Organisation
from jingxiang.parks import rules
from jingxiang.parks.models import RequestKind, ReviewKind
from jingxiang.sharing.forms import DateInput


class UnitForm(StyledFormMixin, forms.Form):
    building = PlainTextField(label=_("楼栋"), max_length=50)
    code = PlainTextField(label=_("房号"), max_length=20)
    floor = forms.IntegerField(label=_("楼层"), min_value=-5, max_value=99)
    area = forms.DecimalField(label=_("面积(㎡)"), min_value=Decimal("0.01"), max_digits=9, decimal_places=2)
    monthly_rent = forms.DecimalField(
        label=_("月租金(元)"), min_value=Decimal("0"), max_digits=12, decimal_places=2
    )


class LeaseForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = rules.LEASE_RULES

    tenant = PickerField(label=_("租户"), source="parks.tenants", queryset=Organisation.objects.none())
    starts_on = forms.DateField(label=_("起租日期"), widget=DateInput())
    ends_on = forms.DateField(label=_("到期日期"), widget=DateInput())
    monthly_rent = forms.DecimalField(
        label=_("月租金(元)"),
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("留空按单元标准租金。"),
    )

    def __init__(self, *args: Any, tenants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tenant"].queryset = tenants  # type: ignore[attr-defined]


class ReviewForm(StyledFormMixin, forms.Form):
    tenant = PickerField(label=_("租户"), source="parks.tenants", queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label=_("评审类型"), choices=ReviewKind.choices)
    passed = forms.BooleanField(label=_("通过"), required=False, initial=True)
    reason = PlainTextField(label=_("意见/原因"), max_length=300)

    def __init__(self, *args: Any, tenants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tenant"].queryset = tenants  # type: ignore[attr-defined]


class RequestForm(StyledFormMixin, forms.Form):
    tenant = forms.ModelChoiceField(label=_("租户"), queryset=Organisation.objects.none(), empty_label=None)
    site = forms.ModelChoiceField(label=_("园区"), queryset=Organisation.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("类型"), choices=RequestKind.choices)
    description = PlainTextField(label=_("说明"), max_length=500)

    def __init__(self, *args: Any, tenants: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tenant"].queryset = tenants  # type: ignore[attr-defined]
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]


class ResolveForm(StyledFormMixin, forms.Form):
    resolution = PlainTextField(label=_("办理结果"), max_length=300)
