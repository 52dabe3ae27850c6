from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingxiang.core.forms import PlainTextAreaField, PlainTextField, StyledFormMixin, field_of
from jingxiang.core.timerules import TimeRulesFormMixin
from jingxiang.lab import conformance
from jingxiang.lab.models import (
    INSTRUMENT_KIND_CHOICES,
    PRODUCT_TYPE_CHOICES,
    CustodyKind,
    Instrument,
    ProductLine,
)
from jingxiang.lab.rules import RESULT_RULES
from jingxiang.organisations.models import Membership, Organisation, OrganisationKind, Role


def _labs() -> Any:
    return Organisation.objects.approved().filter(kind=OrganisationKind.TESTING_LAB)


class RequestStartForm(StyledFormMixin, forms.Form):
    """Step 1: what is tested and against which standard (the items depend on both)."""

    product_type = forms.ChoiceField(label=_("产品类型"), choices=[("", "—"), *PRODUCT_TYPE_CHOICES])


class RequestForm(StyledFormMixin, forms.Form):
    """Step 2: the request itself, with the items of the chosen standard."""

    product_type = forms.ChoiceField(
        label=_("产品类型"), choices=PRODUCT_TYPE_CHOICES, widget=forms.HiddenInput
    )
    lab = forms.ModelChoiceField(label=_("检测机构"), queryset=Organisation.objects.none(), empty_label="—")
    firm = forms.ModelChoiceField(label=_("委托企业"), queryset=Organisation.objects.none(), empty_label=None)
    product_line_name = PlainTextField(
        label=_("产品线"), max_length=100, help_text=_("如:高原护目镜 GX 系列;同名产品线的报告会归在一起")
    )
    product_name = PlainTextField(label=_("产品名称/型号"), max_length=100, required=False)
    standard = forms.ChoiceField(label=_("检测依据"))
    items = forms.MultipleChoiceField(
        label=_("检测项目"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不勾选则检测该标准适用的全部项目"),
    )
    basis = forms.ChoiceField(
        label=_("检测依据的处理方式"),
        choices=[
            ("in_force", _("按现行有效版本(或所选版本)检测")),
            ("client_named", _("委托方指定标准:按合同约定的版本检测,报告注明它不是现行有效版本")),
            ("wait", _("等待平台上传现行版本的规则文件后再检测")),
        ],
        initial="in_force",
        widget=forms.RadioSelect,
        help_text=_("现行有效版本尚无规则文件时,只能选择后两种方式之一"),
    )
    contract_reference = PlainTextField(
        label=_("合同/委托书编号"),
        max_length=100,
        required=False,
        help_text=_("委托方指定标准时必填,印在报告上"),
    )
    quantity = forms.IntegerField(label=_("样品数量"), min_value=1, max_value=50, initial=1)
    nominal_note = PlainTextField(
        label=_("标称值说明"),
        max_length=300,
        required=False,
        help_text=_("如:标称 4 类,处方、瞳距、标注内容"),
    )
    note = PlainTextAreaField(label=_("备注"), max_length=300, required=False)

    def __init__(self, *args: Any, product_type: str, firms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product_type"].initial = product_type
        field_of(self, "lab", forms.ModelChoiceField).queryset = _labs()
        field_of(self, "firm", forms.ModelChoiceField).queryset = firms
        reg = conformance.registry()
        standards = conformance.standard_choices(product_type, reg)
        field_of(self, "standard", forms.ChoiceField).choices = standards
        item_choices: dict[str, str] = {}
        for value, _label in standards:
            if value.startswith(conformance.SERIES_PREFIX):
                continue
            entries, _fields = conformance.catalogue(product_type, value, reg=reg)
            for entry in entries:
                mark = "" if entry.certainty != "U" else str(_("(参考性)"))
                item_choices.setdefault(entry.rule_id, f"{entry.rule_id} {entry.label}{mark}")
        field_of(self, "items", forms.ChoiceField).choices = sorted(item_choices.items())
        self.fields["items"].widget.attrs["class"] = "checkbox"
        self.fields["basis"].widget.attrs["class"] = "checkbox"


class SampleRegisterForm(StyledFormMixin, forms.Form):
    description = PlainTextField(label=_("样品描述"), max_length=200, required=False)
    location = PlainTextField(label=_("存放位置"), max_length=100, required=False)


def _pick(message: Any) -> dict[str, Any]:
    """One message for a missing and an unknown choice: the buttons' forms are refused by it."""
    return {"required": message, "invalid_choice": message}


class SplitForm(StyledFormMixin, forms.Form):
    parts = forms.IntegerField(label=_("分出份数"), min_value=1, max_value=10, initial=1)
    purpose = PlainTextField(label=_("分样用途"), max_length=150, help_text=_("如:抗冲击(破坏性)试验"))
    location = PlainTextField(label=_("存放位置"), max_length=100, required=False)


class CustodyForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("流转环节"), choices=CustodyKind.choices, error_messages=_pick(_("请选择流转环节。"))
    )
    location = PlainTextField(label=_("位置"), max_length=100, required=False)
    note = PlainTextField(label=_("说明"), max_length=200, required=False)


class AssignForm(StyledFormMixin, forms.Form):
    technician = forms.ModelChoiceField(
        label=_("检测人员"),
        queryset=get_user_model().objects.none(),
        error_messages=_pick(_("请选择本实验室的检测人员。")),
    )

    def __init__(self, *args: Any, lab_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_ids = (
            Membership.objects.active().filter(organisation_id=lab_id, role=Role.LAB_STAFF).values("user_id")
        )
        field_of(self, "technician", forms.ModelChoiceField).queryset = get_user_model().objects.filter(
            pk__in=user_ids
        )


class InstrumentForm(StyledFormMixin, forms.Form):
    name = PlainTextField(label=_("仪器名称"), max_length=100)
    model_number = PlainTextField(label=_("型号"), max_length=60, required=False)
    serial = PlainTextField(label=_("出厂编号"), max_length=60)
    kind = forms.ChoiceField(
        label=_("仪器类型"),
        choices=INSTRUMENT_KIND_CHOICES,
        help_text=_("决定它可测量哪些检测项目"),
        error_messages={"required": _("请选择仪器类型。"), "invalid_choice": _("请选择仪器类型。")},
    )
    calibration_due = forms.DateField(label=_("校准有效期至"), widget=forms.DateInput(attrs={"type": "date"}))


class RecalibrateForm(StyledFormMixin, forms.Form):
    calibration_due = forms.DateField(
        label=_("新的校准有效期至"), widget=forms.DateInput(attrs={"type": "date"})
    )


def chosen_test_date(value: str | None, fallback: datetime.date) -> datetime.date:
    """The test date picked before the form is built (it decides the edition): never after today;
    a garbled date falls back to today."""
    if not value:
        return fallback
    try:
        return min(datetime.date.fromisoformat(value), timezone.localdate())
    except ValueError:
        return timezone.localdate()


class ResultsForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    """Built from the engine's item catalogue: one field per value the items need."""

    time_rules = RESULT_RULES
    received_on: datetime.date | None = None

    def time_rule_values(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        return {"test_date": cleaned.get("test_date"), "received_on": self.received_on}

    test_date = forms.DateField(label=_("检测日期"), widget=forms.DateInput(attrs={"type": "date"}))
    instrument = forms.ModelChoiceField(
        label=_("所用仪器"),
        queryset=Instrument.objects.none(),
        required=False,
        help_text=_("只列出校准有效的仪器;每个检测项目须由适用类型的仪器测量"),
    )
    instruments = forms.ModelMultipleChoiceField(
        label=_("其他仪器"),
        queryset=Instrument.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("同一次测量还用到的仪器(如焦度计之外的分光光度计)"),
    )
    retest_reason = PlainTextField(
        label=_("复测原因"),
        max_length=300,
        required=False,
        help_text=_("再次提交测量时必填;之前的测量保留在历史中"),
    )
    length_unit = forms.ChoiceField(
        label=_("长度单位"), choices=[("mm", _("毫米 mm")), ("cm", _("厘米 cm"))], initial="mm"
    )
    transmittance_unit = forms.ChoiceField(
        label=_("透射比单位"),
        choices=[("percent", _("百分数 %")), ("fraction", _("比值 0–1"))],
        initial="percent",
    )

    def __init__(
        self, *args: Any, lab_id: int, entry_fields: list[conformance.EntryField], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.entry_fields = entry_fields
        usable = Instrument.objects.filter(lab_id=lab_id).usable_on(timezone.localdate())
        field_of(self, "instrument", forms.ModelChoiceField).queryset = usable
        field_of(self, "instruments", forms.ModelChoiceField).queryset = usable
        self.fields["instruments"].widget.attrs["class"] = "checkbox"
        self.fields["test_date"].initial = timezone.localdate()
        for field in entry_fields:
            side = str(conformance.SIDE_LABELS.get(field.side, ""))
            role = _("标称") if field.role == "nominal" else _("实测")
            label = f"{role}{' ' + side if side else ''} {field.label}"
            if field.is_boolean:
                self.fields[field.key] = forms.ChoiceField(
                    label=label, choices=conformance.BOOLEAN_CHOICES, required=False
                )
            else:
                unit = field.unit
                self.fields[field.key] = forms.CharField(
                    label=f"{label}{f' ({unit})' if unit else ''}",
                    required=False,
                    max_length=20,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                )
            self.fields[field.key].widget.attrs["class"] = "input" if not field.is_boolean else "select"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for field in self.entry_fields:
            value = cleaned.get(field.key)
            if isinstance(value, str):
                cleaned[field.key] = value.strip().replace(",", ".").replace("，", ".")
        return cleaned

    def groups(self) -> list[tuple[Any, list[Any]]]:
        """The fields under their headings: the test conditions, nominal values (when the items have
        any) and measured values."""
        roles = {field.key: field.role for field in self.entry_fields}
        conditions = (
            "test_date",
            "instrument",
            "instruments",
            "retest_reason",
            "length_unit",
            "transmittance_unit",
        )
        nominal = [self[key] for key, role in roles.items() if role == "nominal"]
        groups = [(_("检测条件"), [self[name] for name in conditions])]
        if nominal:
            groups.append((_("标称值(产品标注/处方)"), nominal))
        groups.append((_("实测值"), [self[key] for key, role in roles.items() if role == "measured"]))
        return groups

    def units(self) -> dict[str, str]:
        return {
            "length": self.cleaned_data["length_unit"],
            "transmittance": self.cleaned_data["transmittance_unit"],
        }


DECISION_CONFIRM = "confirm"
DECISION_EXCLUDE = "exclude"


class ReviewForm(StyledFormMixin, forms.Form):
    """Approve or return; each row failing on an indicative limit gets a decision of its own."""

    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=[("approve", _("批准签发报告")), ("return", _("退回重测"))],
        widget=forms.RadioSelect,
    )
    note = PlainTextField(label=_("审核意见"), max_length=300, required=False)

    def __init__(
        self, *args: Any, indicative: list[str], labels: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].widget.attrs["class"] = "checkbox"
        self.indicative = indicative
        for rule in indicative:
            name = f"{rule} {(labels or {}).get(rule, '')}".strip()
            self.fields[f"decide__{rule}"] = forms.ChoiceField(
                label=_("%(r)s:依据参考性限值判为不合格") % {"r": name},
                choices=[
                    ("", _("请决定")),
                    (DECISION_CONFIRM, _("已对照标准原文确认限值,计入结论")),
                    (DECISION_EXCLUDE, _("排除该项,不计入结论(须写明理由)")),
                ],
                required=False,
            )
            self.fields[f"reason__{rule}"] = PlainTextField(
                label=_("%(r)s 排除理由") % {"r": rule}, max_length=300, required=False
            )
        self.order_fields(
            ["decision", *[f for rule in indicative for f in (f"decide__{rule}", f"reason__{rule}")], "note"]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["confirmed_rules"] = [
            rule for rule in self.indicative if data.get(f"decide__{rule}") == DECISION_CONFIRM
        ]
        data["excluded_rules"] = {
            rule: data.get(f"reason__{rule}") or ""
            for rule in self.indicative
            if data.get(f"decide__{rule}") == DECISION_EXCLUDE
        }
        return data


class CorrectionForm(StyledFormMixin, forms.Form):
    reason = PlainTextField(
        label=_("更正原因"),
        max_length=300,
        error_messages={"required": _("请写明更正原因,它会印在新版本报告上。")},
    )


class RuleConfirmForm(StyledFormMixin, forms.Form):
    rule_id = forms.RegexField(label=_("规则"), regex=r"^[A-Za-z0-9_.-]{1,40}$")
    note = PlainTextField(label=_("核对依据"), max_length=300, help_text=_("标准文本的条款、页码"))


class RulesUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("规则文件(YAML 或 JSON)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 512 * 1024:
            raise forms.ValidationError(_("规则文件不能超过 512 KB。"))
        if not upload.name.lower().endswith((".yaml", ".yml", ".json")):
            raise forms.ValidationError(_("请上传 .yaml、.yml 或 .json 文件。"))
        try:
            upload.text = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("文件须为 UTF-8 编码的文本。")) from None
        return upload


class BatchUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("结果文件(Excel .xlsx 或仪器导出的 .csv)"))
    submit = forms.BooleanField(label=_("导入后直接提交审核"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("请上传 .xlsx 或 .csv 文件。"))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 5 MB。"))
        return upload


class BrandApplyForm(StyledFormMixin, forms.Form):
    product_line = forms.ModelChoiceField(
        label=_("产品线"), queryset=ProductLine.objects.none(), empty_label="—"
    )
    note = PlainTextAreaField(label=_("申请说明"), max_length=300, required=False)

    def __init__(self, *args: Any, lines: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "product_line", forms.ModelChoiceField).queryset = lines


class BrandReviewForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("审批结论"),
        choices=[("approve", _("批准授权")), ("reject", _("不予批准"))],
        widget=forms.RadioSelect,
        error_messages=_pick(_("请选择审批结论。")),
    )
    note = PlainTextField(label=_("审批意见"), max_length=300, required=False)


class FieldTestCorrectionMixin(forms.Form):
    correction_reason = PlainTextField(
        label=_("更正原因"),
        max_length=300,
        error_messages={"required": _("更正实地测试须写明原因。")},
        help_text=_("原记录保留在变更记录中"),
    )


class FieldTestForm(StyledFormMixin, forms.Form):
    site = PlainTextField(label=_("测试地点"), max_length=100, initial=_("拉萨 · 高原护目镜实践检测基地"))
    altitude_m = forms.IntegerField(label=_("海拔(米)"), min_value=0, max_value=9000, initial=3650)
    test_date = forms.DateField(label=_("测试日期"), widget=forms.DateInput(attrs={"type": "date"}))
    conditions = PlainTextField(label=_("环境条件"), max_length=300, help_text=_("天气、气温、积雪、风力等"))
    uv_index = forms.DecimalField(
        label=_("紫外线指数"), min_value=0, max_value=20, decimal_places=1, required=False
    )
    wearers = forms.IntegerField(label=_("佩戴人数"), min_value=1, max_value=1000)
    rating = forms.IntegerField(label=_("综合评分(1–5)"), min_value=1, max_value=5)
    feedback = PlainTextAreaField(label=_("佩戴反馈"), max_length=2000)


class FieldTestCorrectForm(FieldTestForm, FieldTestCorrectionMixin):
    pass
