"""Record sources of the craftsman academy for the insights indicators (see insights/registry.py).

Trainees count for the firm that sponsored them, certificates for the holder's home organisation and
order-based hires for the firm that hired them. Names of people are not shown in the drill-down.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from jingxiang.academy.models import Certificate, CertificateStatus, Enrolment
from jingxiang.insights.registry import Column, RecordSource, register_source

register_source(
    RecordSource(
        key="academy.graduated",
        label=gettext_lazy("结业学员"),
        queryset=lambda: Enrolment.objects.filter(graduated_at__isnull=False),
        date_field="graduated_at",
        organisation_field="sponsor",
        visible=lambda user: Enrolment.objects.visible_to(user),
        url=lambda e: reverse("academy:enrolment_detail", args=[e.pk]),
        columns=[Column(gettext_lazy("培训班"), lambda e: str(e.cohort))],
        select_related=("cohort", "sponsor"),
    )
)
register_source(
    RecordSource(
        key="academy.certified",
        label=gettext_lazy("技能等级证书"),
        queryset=lambda: Certificate.objects.filter(status=CertificateStatus.VALID),
        date_field="issued_at",
        organisation_field="talent__home_organisation",
        visible=lambda user: Certificate.objects.visible_to(user),
        url=lambda c: reverse("academy:certificate_detail", args=[c.pk]),
        columns=[
            Column(gettext_lazy("证书编号"), lambda c: c.number),
            Column(gettext_lazy("等级"), lambda c: str(c.occupation_level)),
        ],
        select_related=("occupation_level", "talent__home_organisation"),
    )
)
register_source(
    RecordSource(
        key="academy.order_hires",
        label=gettext_lazy("订单培养入职"),
        queryset=lambda: Enrolment.objects.filter(hired_on__isnull=False),
        date_field="hired_on",
        organisation_field="offer_firm",
        visible=lambda user: Enrolment.objects.visible_to(user),
        url=lambda e: reverse("academy:enrolment_detail", args=[e.pk]),
        columns=[Column(gettext_lazy("培训班"), lambda e: str(e.cohort))],
        select_related=("cohort", "offer_firm"),
    )
)
