"""Record sources of campus recruitment for the insights indicators (see insights/registry.py).

A hire counts for the firm that hired, in the month the recruit started; students' names and mobiles are
never shown in the drill-down, only the post and the degree.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy

from jingxiang.insights.registry import Column, RecordSource, register_source
from jingxiang.recruitment.models import Application, ApplicationStatus

_COLUMNS = [
    Column(gettext_lazy("岗位"), lambda a: a.job.post),
    Column(gettext_lazy("学历"), lambda a: a.student.get_degree_display()),
]


def _hires() -> QuerySet[Application]:
    return Application.objects.filter(status=ApplicationStatus.HIRED, hired_on__isnull=False)


register_source(
    RecordSource(
        key="recruitment.hires",
        label=gettext_lazy("校园招聘入职"),
        queryset=_hires,
        date_field="hired_on",
        organisation_field="job__fair_firm__firm",
        visible=lambda user: Application.objects.visible_to(user),
        url=lambda a: reverse("recruitment:application", args=[a.pk]),
        columns=_COLUMNS,
        select_related=("job__fair_firm__firm", "student"),
    )
)
register_source(
    RecordSource(
        key="recruitment.high_level_hires",
        label=gettext_lazy("引进高层次人才"),
        queryset=lambda: _hires().filter(high_level=True),
        date_field="hired_on",
        organisation_field="job__fair_firm__firm",
        visible=lambda user: Application.objects.visible_to(user),
        url=lambda a: reverse("recruitment:application", args=[a.pk]),
        columns=_COLUMNS,
        select_related=("job__fair_firm__firm", "student"),
    )
)
