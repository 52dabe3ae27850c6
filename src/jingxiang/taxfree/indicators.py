"""Record sources of the departure tax refund for the insights indicators (see insights/registry.py).

A refund application form counts for the store's firm on its purchase date unless it was voided; the
drill-down shows the form number and the amounts, never the traveller's name or document.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from jingxiang.insights.registry import Column, Count, RecordSource, Sum, register_source
from jingxiang.taxfree.models import RefundForm
from jingxiang.taxfree.permissions import visible_forms

_COLUMNS = [
    Column(gettext_lazy("申请单号"), lambda form: form.number),
    Column(gettext_lazy("门店"), lambda form: form.store.name),
    Column(gettext_lazy("实退金额"), lambda form: form.net_refund),
    Column(gettext_lazy("即买即退"), lambda form: gettext("是") if form.instant else gettext("否")),
]

for key, label, measure in (
    ("taxfree.forms", gettext_lazy("离境退税申请单"), Count()),
    ("taxfree.refunded", gettext_lazy("离境退税实退金额"), Sum("net_refund")),
):
    register_source(
        RecordSource(
            key=key,
            label=label,
            queryset=lambda: RefundForm.objects.active(),
            date_field="purchase_date",
            organisation_field="store__firm",
            visible=visible_forms,
            url=lambda form: reverse("taxfree:form_detail", args=[form.pk]),
            measure=measure,
            columns=_COLUMNS,
            select_related=("store__firm",),
        )
    )
