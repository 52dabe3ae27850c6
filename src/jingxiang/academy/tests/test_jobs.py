"""Batch certification runs as a background job with progress; ineligible trainees are skipped with reasons."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingxiang.academy import services
from jingxiang.academy.models import Attendance, Certificate
from jingxiang.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_batch_certification_job(cast, academy, workers):
    academy.cohort.capacity = 3
    academy.cohort.save()
    enrolments = []
    for worker, years in zip(workers, ("2", "0", "3"), strict=True):
        enrolments += services.enrolment_create(
            actor=cast.firm_admin,
            cohort=academy.cohort,
            talents=[worker],
            sponsor=cast.firm,
            years_experience=Decimal(years),
        )
    for enrolment in enrolments:
        for session in academy.sessions:
            Attendance.objects.create(
                session=session, enrolment=enrolment, method="qr", marked_by=academy.school_staff
            )
    with pytest.raises(ValidationError) as error:
        services.cohort_certify_start(actor=academy.school_staff, cohort=academy.cohort)
    assert error.value.code == "nothing_to_certify"
    for enrolment, score in zip(enrolments, ("80", "80", "40"), strict=True):
        services.assessment_record(
            actor=academy.school_staff,
            enrolment=enrolment,
            theory_score=Decimal(score),
            practical_score=Decimal("80"),
        )
    with pytest.raises(PermissionDenied):
        services.cohort_certify_start(actor=cast.firm_admin, cohort=academy.cohort)
    job = services.cohort_certify_start(actor=academy.school_staff, cohort=academy.cohort)
    job = Job.objects.get(pk=job.pk)  # ran after commit (ImmediateBackend)
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100
    assert job.result["issued"] == [Certificate.objects.get().number]
    assert [s["name"] for s in job.result["skipped"]] == [
        "王美玲"
    ]  # passed, but not eligible (0 years, 10 h)
    assert job.result_url.endswith(f"/academy/cohorts/{academy.cohort.pk}/")
