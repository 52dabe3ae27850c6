"""Who may see a job and who may start which import."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from jingxiang.jobs.models import Job
from jingxiang.organisations.permissions import FIRM_MANAGERS, approved_organisation_ids, is_operator


def access_job(user: Any, pk: int) -> Job:
    """The job if the user may see it (their own, or any for operators); 404 otherwise."""
    job = Job.objects.visible_to(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def may_import(user: Any, spec_name: str) -> bool:
    """Operators import anything; organisation admins import talents of their own organisation."""
    if is_operator(user):
        return True
    return spec_name == "talents" and bool(approved_organisation_ids(user, *FIRM_MANAGERS))
