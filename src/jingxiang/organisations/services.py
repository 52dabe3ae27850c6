"""Writes for organisations and memberships. Each validates, authorises and runs in one transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.core.services import notification_send
from jingxiang.organisations import texts
from jingxiang.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Role,
)
from jingxiang.organisations.permissions import forget_roles, grantable_roles, is_operator, may_manage_members
from jingxiang.organisations.selectors import operators

ORGANISATION_FIELDS = (
    "name",
    "short_name",
    "kind",
    "uscc",
    "address",
    "region",
    "size",
    "employee_count",
    "main_products",
    "founded_year",
    "description",
    "contact_name",
    "contact_mobile",
)


_NULLABLE = {"uscc", "employee_count", "founded_year"}
# What operators checked when approving; changing it would bypass the review.
IDENTITY_FIELDS = ("name", "kind", "uscc")


def _apply(organisation: Organisation, data: dict[str, Any]) -> None:
    for field in ORGANISATION_FIELDS:
        if field in data:
            value = data[field]
            if value in (None, "") and field in _NULLABLE:
                value = None
            elif value is None:
                value = ""
            setattr(organisation, field, value)
    if organisation.kind != OrganisationKind.FIRM and not organisation.uscc:
        organisation.uscc = None
    organisation.refresh_search_text()


def _duplicate_error() -> ValidationError:
    return ValidationError(
        _("刚刚有人用相同的名称、统一社会信用代码、登录名或手机号完成了登记,请核对后重试。"), code="duplicate"
    )


def organisation_register(*, data: dict[str, Any]) -> tuple[Any, Organisation]:
    """Self-registration: a pending organisation and its first administrator, to be reviewed by operators.

    Two people may register the same firm at once: the unique constraints decide, and the loser gets
    a clear message instead of an error page.
    """
    try:
        return _organisation_register(data)
    except IntegrityError as error:
        raise _duplicate_error() from error


@transaction.atomic
def _organisation_register(data: dict[str, Any]) -> tuple[Any, Organisation]:
    user_model = get_user_model()
    user = user_model(
        username=data["username"], mobile=data["applicant_mobile"], display_name=data["applicant_name"]
    )
    user.set_password(data["password1"])
    user.full_clean(exclude=["password"])
    user.save()
    organisation = Organisation(status=OrganisationStatus.PENDING)
    _apply(organisation, data)
    organisation.full_clean(exclude=["search_text"])
    organisation.save()
    Membership.objects.create(user=user, organisation=organisation, role=Role.ORG_ADMIN)
    for operator in operators():
        notification_send(
            recipient=operator,
            message=texts.APPLICATION_RECEIVED(name=organisation.name),
            url=reverse("organisations:detail", args=[organisation.pk]),
            kind="organisation_review",
        )
    return user, organisation


@transaction.atomic
def organisation_create(
    *, actor: Any, data: dict[str, Any], status: str = OrganisationStatus.APPROVED
) -> Organisation:
    """Operators add organisations directly (e.g. public institutions); they start approved."""
    if not is_operator(actor):
        raise PermissionDenied
    organisation = Organisation(status=status, reviewed_by=actor, reviewed_at=timezone.now())
    _apply(organisation, data)
    organisation.full_clean(exclude=["search_text"])
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(*, actor: Any, organisation: Organisation, data: dict[str, Any]) -> Organisation:
    """Change an organisation's details (its admins or operators); reviewed identity stays with operators."""
    if not may_manage_members(actor, organisation):
        raise PermissionDenied
    organisation = Organisation.objects.select_for_update(of=("self",)).get(pk=organisation.pk)
    if organisation.status == OrganisationStatus.APPROVED and not is_operator(actor):
        changed = [
            f
            for f in IDENTITY_FIELDS
            if f in data and (data[f] or None) != (getattr(organisation, f) or None)
        ]
        if changed:
            raise ValidationError(
                _("已审核的名称、类型和统一社会信用代码只能由平台运营人员修改。"), code="identity_locked"
            )
    _apply(organisation, data)
    organisation.full_clean(exclude=["search_text"])
    organisation.save()
    return organisation


@transaction.atomic
def organisation_review(
    *, actor: Any, organisation: Organisation, approve: bool, note: str = ""
) -> Organisation:
    """Approve or reject a joining application; a rejection must say why, and the applicant is told."""
    if not is_operator(actor):
        raise PermissionDenied
    organisation = Organisation.objects.select_for_update(of=("self",)).get(pk=organisation.pk)
    if organisation.status != OrganisationStatus.PENDING:
        raise ValidationError(_("该申请已审核过,不能重复审核。"), code="already_reviewed")
    if not approve and not note.strip():
        raise ValidationError(_("不通过时必须写明原因。"), code="reason_required")
    organisation.status = OrganisationStatus.APPROVED if approve else OrganisationStatus.REJECTED
    organisation.reviewed_by = actor
    organisation.reviewed_at = timezone.now()
    organisation.review_note = note.strip()
    organisation.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    decision = (texts.APPLICATION_APPROVED if approve else texts.APPLICATION_REJECTED)(
        name=organisation.name, note=organisation.review_note
    )
    for membership in organisation.memberships.active().filter(role=Role.ORG_ADMIN).select_related("user"):
        notification_send(
            recipient=membership.user,
            message=decision,
            url=reverse("organisations:detail", args=[organisation.pk]),
            kind="organisation_review",
        )
    return organisation


@transaction.atomic
def organisation_resubmit(*, actor: Any, organisation: Organisation, data: dict[str, Any]) -> Organisation:
    """A rejected applicant corrects the details and asks for review again."""
    if not may_manage_members(actor, organisation):
        raise PermissionDenied
    if organisation.status != OrganisationStatus.REJECTED:
        raise ValidationError(_("只有未通过的申请可以重新提交。"), code="not_rejected")
    organisation = organisation_update(actor=actor, organisation=organisation, data=data)
    organisation.status = OrganisationStatus.PENDING
    organisation.save(update_fields=["status", "updated_at"])
    return organisation


@transaction.atomic
def organisation_archive(*, actor: Any, organisation: Organisation) -> Organisation:
    """Archive an organisation (operators only); it leaves the directory, its history stays."""
    if not is_operator(actor):
        raise PermissionDenied
    organisation.archived_at = timezone.now()
    organisation.save(update_fields=["archived_at", "updated_at"])
    return organisation


def membership_add(*, actor: Any, organisation: Organisation, data: dict[str, Any]) -> Membership:
    """An organisation admin (or an operator) creates a login for a colleague with one role."""
    try:
        return _membership_add(actor, organisation, data)
    except IntegrityError as error:
        raise _duplicate_error() from error


@transaction.atomic
def _membership_add(actor: Any, organisation: Organisation, data: dict[str, Any]) -> Membership:
    if data.get("role") not in grantable_roles(actor, organisation):
        raise PermissionDenied
    user = get_user_model()(
        username=data["username"], mobile=data["mobile"], display_name=data["display_name"]
    )
    user.set_password(data["password"])
    user.full_clean(exclude=["password"])
    user.save()
    membership = Membership.objects.create(user=user, organisation=organisation, role=data["role"])
    forget_roles(actor)
    return membership


@transaction.atomic
def membership_grant(*, actor: Any, organisation: Organisation, user: Any, role: str) -> Membership:
    """Give an existing login a role in the organisation (re-activating it if it was ended)."""
    if role not in grantable_roles(actor, organisation):
        raise PermissionDenied
    membership, _created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active", "updated_at"])
    forget_roles(user)
    return membership


@transaction.atomic
def membership_end(*, actor: Any, membership: Membership) -> Membership:
    """End a membership (kept for the record, never deleted). The last admin cannot remove themselves."""
    if not may_manage_members(actor, membership.organisation):
        raise PermissionDenied
    if membership.role == Role.ORG_ADMIN:
        # Lock the organisation's admin rows so two admins cannot remove each other at once.
        admins = len(
            Membership.objects.select_for_update(of=("self",))
            .filter(organisation=membership.organisation, role=Role.ORG_ADMIN, is_active=True)
            .values_list("pk", flat=True)
        )
        if admins <= 1:
            raise ValidationError(_("机构至少要保留一名管理员。"), code="last_admin")
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    forget_roles(membership.user)
    return membership
