"""Background work of the academy: issuing a whole cohort's certificates with a progress bar."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jingxiang.academy import services, texts
from jingxiang.academy.models import Cohort, EnrolmentStatus
from jingxiang.jobs.registry import JobFailed, ProgressCallback, register_handler

CERTIFY_COHORT = "academy_certify_cohort"


# Issued trainees leave the "passed, enrolled" set, so a run cut short continues where it stopped.
@register_handler(CERTIFY_COHORT, retryable=True)
def certify_cohort(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    """Issue certificates to every trainee of the cohort who passed; each one in its own transaction,
    so one ineligible trainee never blocks the others (they are listed with the reason)."""
    cohort = Cohort.objects.get(pk=job.params["cohort_id"])
    job.result_url = reverse("academy:cohort_detail", args=[cohort.pk])
    job.save(update_fields=["result_url"])
    candidates = list(
        cohort.enrolments.filter(status=EnrolmentStatus.ENROLLED, assessment__passed=True)
        .select_related("talent")
        .order_by("created_at", "pk")
    )
    issued: list[str] = []
    skipped: list[dict[str, str]] = []
    for index, enrolment in enumerate(candidates, start=1):
        try:
            issued.append(services.certificate_issue(actor=job.created_by, enrolment=enrolment).number)
        except ValidationError as error:
            skipped.append({"name": enrolment.talent.name, "reason": " ".join(error.messages)})
        except PermissionDenied as error:
            raise JobFailed(texts.CERTIFY_FORBIDDEN(), {"issued": issued}) from error
        progress(index * 100 // len(candidates), texts.CERTIFY_PROGRESS(i=index, n=len(candidates)))
    return {
        "message": texts.CERTIFY_DONE(n=len(issued), m=len(skipped)),
        "issued": issued,
        "skipped": skipped,
    }


IMPORT_QUESTIONS = "academy_import_questions"


# All-or-nothing like every import: a run cut short saved nothing and may run again.
@register_handler(IMPORT_QUESTIONS, retryable=True)
def import_questions(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    """Job handler (thin): read the file, run the whole-file-first import into the course's bank."""
    from jingxiang.academy.imports import QuestionImport
    from jingxiang.academy.models import Course
    from jingxiang.academy.permissions import may_teach
    from jingxiang.core.imports import errors_in_every_language, run_import

    course = Course.objects.get(pk=job.params["course_id"])
    if not may_teach(job.created_by, course):
        raise JobFailed(texts.QUESTIONS_FORBIDDEN(), {})
    with job.input_file.open("rb") as handle:
        data = handle.read()
    spec = QuestionImport(course)
    result = run_import(spec, data, job.created_by, progress)
    if not result.ok:
        outcome = result.as_dict()
        outcome["errors_by_language"] = errors_in_every_language(spec, data, job.created_by, result)
        raise JobFailed(texts.QUESTIONS_REFUSED(n=len(result.errors)), outcome)
    job.result_url = reverse("academy:question_list", args=[course.pk])
    job.save(update_fields=["result_url"])
    outcome = result.as_dict()
    outcome["message"] = texts.QUESTIONS_DONE(n=result.created)
    return outcome
