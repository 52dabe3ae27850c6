"""Booth plans from Excel: one row per booth (hall, booth number, size, position, price), validated as a
whole. An unknown hall, a booth number used twice (in the file or already on the plan), a booth outside
its hall or overlapping another: the whole file is refused with every bad row, nothing is imported."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingxiang.core.imports import ImportColumn, ImportSpec, ProgressCallback, RowError, ValidRow
from jingxiang.fairs import services
from jingxiang.fairs.models import Booth, Fair, Hall


def _metres(label: Any, minimum: str = "0.5") -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=Decimal(minimum), max_digits=6, decimal_places=1)


class BoothRowForm(forms.Form):
    hall = forms.CharField(label=gettext_lazy("展馆代码"), max_length=10)
    code = forms.CharField(label=gettext_lazy("展位号"), max_length=20)
    width_m = _metres(gettext_lazy("宽(米)"))
    depth_m = _metres(gettext_lazy("深(米)"))
    x_m = _metres(gettext_lazy("横坐标(米)"), "0")
    y_m = _metres(gettext_lazy("纵坐标(米)"), "0")
    price = forms.DecimalField(
        label=gettext_lazy("价格(元)"), min_value=Decimal("0"), max_digits=10, decimal_places=2
    )

    def clean_hall(self) -> str:
        return str(self.cleaned_data["hall"]).strip().upper()

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()


class BoothImport(ImportSpec):
    """One fair's booths; the spec is built per fair (the job carries the fair's id)."""

    name = "fairs_booths"
    title = gettext_lazy("展位")
    columns = (
        ImportColumn("hall", gettext_lazy("展馆代码"), "Hall", required=True, example="1"),
        ImportColumn("code", gettext_lazy("展位号"), "Booth", required=True, example="1A01"),
        ImportColumn("width_m", gettext_lazy("宽(米)"), "Width (m)", required=True, example="3"),
        ImportColumn("depth_m", gettext_lazy("深(米)"), "Depth (m)", required=True, example="3"),
        ImportColumn("x_m", gettext_lazy("横坐标(米)"), "X (m)", required=True, example="2"),
        ImportColumn("y_m", gettext_lazy("纵坐标(米)"), "Y (m)", required=True, example="2"),
        ImportColumn("price", gettext_lazy("价格(元)"), "Price (CNY)", required=True, example="9800"),
    )
    form_class = BoothRowForm

    def __init__(self, fair: Fair) -> None:
        self.fair = fair
        self.halls: dict[str, Hall] = {}

    def prepare(self, actor: Any) -> None:
        self.halls = {hall.code: hall for hall in Hall.objects.filter(fair=self.fair)}

    def check_rows(self, rows: list[ValidRow], actor: Any) -> list[RowError]:
        errors: list[RowError] = []
        existing = set(Booth.objects.filter(fair=self.fair).values_list("code", flat=True))
        seen: dict[str, int] = {}
        footprints = {code: services.hall_footprints(hall) for code, hall in self.halls.items()}
        for row in rows:
            data = row.cleaned
            hall = self.halls.get(data["hall"])
            if hall is None:
                names = _("、").join(sorted(self.halls)) or "—"
                errors.append(
                    RowError(
                        row.row,
                        self.header_for("hall"),
                        _("本届展会没有展馆 %(h)s(已有:%(names)s)。") % {"h": data["hall"], "names": names},
                    )
                )
                continue
            code = data["code"]
            if code in seen:
                errors.append(
                    RowError(row.row, self.header_for("code"), _("与第 %(r)s 行重复。") % {"r": seen[code]})
                )
                continue
            seen[code] = row.row
            if code in existing:
                errors.append(
                    RowError(row.row, self.header_for("code"), _("展位号 %(c)s 已在展位图上。") % {"c": code})
                )
                continue
            problem = services.booth_geometry_problem(
                hall,
                x_m=data["x_m"],
                y_m=data["y_m"],
                width_m=data["width_m"],
                depth_m=data["depth_m"],
                others=footprints[hall.code],
            )
            if problem:
                errors.append(RowError(row.row, self.header_for("x_m"), problem))
                continue
            footprints[hall.code].append((code, data["x_m"], data["y_m"], data["width_m"], data["depth_m"]))
        return errors

    def save(self, rows: list[ValidRow], actor: Any, progress: ProgressCallback) -> int:
        for row in rows:
            data = row.cleaned
            services.booth_add(
                actor=actor,
                hall=self.halls[data["hall"]],
                code=data["code"],
                width_m=data["width_m"],
                depth_m=data["depth_m"],
                x_m=data["x_m"],
                y_m=data["y_m"],
                price=data["price"],
            )
        return len(rows)
