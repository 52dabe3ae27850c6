"""Reads of background jobs."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jingxiang.jobs.models import Job


def job_list(user: Any) -> QuerySet[Job]:
    """The jobs the user may see, newest first, with who started them."""
    return Job.objects.visible_to(user).select_related("created_by")
