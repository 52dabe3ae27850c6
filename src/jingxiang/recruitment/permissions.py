"""Who may see and do what in campus recruitment; default deny, "not found" and "forbidden" both 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from jingxiang.organisations.permissions import approved_organisation_ids, is_operator, managed_firm_ids
from jingxiang.recruitment.models import Application, Fair, FairFirm, FairStatus, Student


def access_fair(user: Any, pk: int, *, write: bool = False) -> Fair:
    """A fair the user may see (operators: also change)."""
    if write and not is_operator(user):
        raise Http404
    fair: Fair | None = Fair.objects.visible_to(user).filter(pk=pk).first()
    if fair is None:
        raise Http404
    return fair


def public_fair(code: str) -> Fair:
    """The public page of a fair past preparation, by its code (what the poster's QR code holds)."""
    fair: Fair | None = (
        Fair.objects.filter(public_code=code, archived_at__isnull=True)
        .exclude(status=FairStatus.DRAFT)
        .first()
    )
    if fair is None:
        raise Http404
    return fair


def access_fair_firm(user: Any, pk: int) -> FairFirm:
    """A firm's place at a fair: its own managers (and operators)."""
    row = FairFirm.objects.select_related("fair", "firm").filter(pk=pk).first()
    if row is None or not (is_operator(user) or row.firm_id in managed_firm_ids(user)):
        raise Http404
    return row


def access_application(user: Any, pk: int) -> Application:
    """An application: the student themself, the managers of the firm whose job it is, operators."""
    app: Application | None = (
        Application.objects.visible_to(user)
        .select_related("student__user", "job__fair_firm__firm", "job__fair_firm__fair", "slot")
        .filter(pk=pk)
        .first()
    )
    if app is None:
        raise Http404
    return app


def student_of(user: Any) -> Student | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Student.objects.filter(user=user).first()


def may_see_firm_side(user: Any, app: Application) -> bool:
    return is_operator(user) or app.job.fair_firm.firm_id in managed_firm_ids(user)


def may_reveal_student(user: Any, student: Student) -> bool:
    """Operators, and managers of a firm the student applied to, may see the full mobile or ID number."""
    if is_operator(user):
        return True
    firms = managed_firm_ids(user)
    return bool(firms) and student.applications.filter(job__fair_firm__firm_id__in=firms).exists()


def career_office_fair_ids(user: Any) -> set[int]:
    """Fairs held at a university the user works for (its career office sees their totals)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    universities = approved_organisation_ids(user)
    if not universities:
        return set()
    return set(Fair.objects.filter(university_id__in=universities).values_list("pk", flat=True))


def may_see_recruitment(user: Any) -> bool:
    return is_operator(user) or bool(managed_firm_ids(user)) or bool(career_office_fair_ids(user))
