"""Excel import of organisations (operators)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jingxiang.core.imports import (
    ImportColumn,
    ImportSpec,
    ProgressCallback,
    RowError,
    ValidRow,
    choice_value,
)
from jingxiang.core.texts import IMPORT_ROWS_SAVED
from jingxiang.organisations.forms import OrganisationFieldsForm
from jingxiang.organisations.models import Organisation, OrganisationKind, OrganisationStatus


class OrganisationRowForm(OrganisationFieldsForm):
    """One spreadsheet row. Kind and size may be written in Chinese, English or as codes."""

    kind = forms.CharField(label=_lazy("机构类型"))
    size = forms.CharField(label=_lazy("规模"), required=False)

    def clean_kind(self) -> str:
        return choice_value(self.cleaned_data["kind"], OrganisationKind.choices, _("机构类型"))

    def clean_size(self) -> str:
        from jingxiang.organisations.models import OrganisationSize

        value = self.cleaned_data.get("size", "")
        return choice_value(value, OrganisationSize.choices, _("规模")) if value else ""


class OrganisationImport(ImportSpec):
    name = "organisations"
    title = _lazy("机构")
    columns = (
        ImportColumn("name", _lazy("机构名称"), "Name", required=True, example="临海市示例眼镜有限公司"),
        ImportColumn("kind", _lazy("机构类型"), "Kind", required=True, example="企业"),
        ImportColumn("uscc", _lazy("统一社会信用代码"), "USCC", example="91331082MA3AGYGL5C"),
        ImportColumn("short_name", _lazy("简称"), "Short name"),
        ImportColumn("address", _lazy("地址"), "Address", example="临海市杜桥镇眼镜城"),
        ImportColumn("region", _lazy("区域"), "Region", example="杜桥镇"),
        ImportColumn("size", _lazy("规模"), "Size", example="小型"),
        ImportColumn("employee_count", _lazy("员工人数"), "Employees", example="45"),
        ImportColumn("main_products", _lazy("主营产品"), "Main products", example="太阳镜"),
        ImportColumn("founded_year", _lazy("成立年份"), "Founded", example="2012"),
        ImportColumn("contact_name", _lazy("联系人"), "Contact"),
        ImportColumn("contact_mobile", _lazy("联系电话"), "Contact mobile"),
        ImportColumn("description", _lazy("简介"), "Description"),
    )
    form_class = OrganisationRowForm

    def check_rows(self, rows: list[ValidRow], actor: Any) -> list[RowError]:
        errors: list[RowError] = []
        for key, message in (
            ("uscc", _("与文件中其他行的统一社会信用代码重复。")),
            ("name", _("与文件中其他行的机构名称重复。")),
        ):
            counts = Counter(row.cleaned.get(key) for row in rows if row.cleaned.get(key))
            for row in rows:
                if row.cleaned.get(key) and counts[row.cleaned[key]] > 1:
                    errors.append(RowError(row.row, self.header_for(key), message))
        return errors

    def save(self, rows: list[ValidRow], actor: Any, progress: ProgressCallback) -> int:
        now = timezone.now()
        created = 0
        for index, row in enumerate(rows, start=1):
            data = row.cleaned
            organisation = Organisation(
                status=OrganisationStatus.APPROVED,
                reviewed_by=actor,
                reviewed_at=now,
                review_note=_("批量导入"),
            )
            for field in (
                "name",
                "short_name",
                "kind",
                "address",
                "region",
                "size",
                "employee_count",
                "main_products",
                "founded_year",
                "description",
                "contact_name",
                "contact_mobile",
            ):
                value = data.get(field)
                setattr(organisation, field, value if value is not None else "")
            organisation.employee_count = data.get("employee_count")
            organisation.founded_year = data.get("founded_year")
            organisation.uscc = data.get("uscc") or None
            organisation.refresh_search_text()
            organisation.save()
            created += 1
            if index % 50 == 0:
                progress(40 + int(60 * index / len(rows)), IMPORT_ROWS_SAVED(n=index))
        return created
