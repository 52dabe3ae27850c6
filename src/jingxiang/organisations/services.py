"""Writes for organisations and memberships. Each validates, authorises and runs in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.accounts.actors import Actor
from jingxiang.accounts.models import User
from jingxiang.core.services import notification_send
from jingxiang.organisations import texts
from jingxiang.organisations.models import (
    Membership,
    Organisation,
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


# What operators checked when approving; changing it would bypass the review.
IDENTITY_FIELDS = ("name", "kind", "uscc")


@dataclass(frozen=True, kw_only=True)
class OrganisationDetails:
    """An organisation's own details, as its forms give them (``OrganisationFieldsForm.details()``)."""

    name: str
    kind: str
    uscc: str | None = None
    short_name: str = ""
    address: str = ""
    region: str = ""
    size: str = ""
    employee_count: int | None = None
    main_products: str = ""
    founded_year: int | None = None
    description: str = ""
    contact_name: str = ""
    contact_mobile: str | None = None
    """``None`` keeps the stored number (the edit form never shows it in full); a new one starts empty."""

    @classmethod
    def of(cls, organisation: Organisation) -> OrganisationDetails:
        """The organisation's details as they are (change some with ``dataclasses.replace``)."""
        return cls(**{field: getattr(organisation, field) for field in ORGANISATION_FIELDS})


def _apply(organisation: Organisation, details: OrganisationDetails) -> None:
    for field in ORGANISATION_FIELDS:
        value = getattr(details, field)
        if field == "contact_mobile" and value is None:
            continue
        setattr(organisation, field, value)
    # No number is NULL, never "": the column is unique when given (and only firms must give one).
    organisation.uscc = organisation.uscc or None
    organisation.refresh_search_text()


def _duplicate_error() -> ValidationError:
    return ValidationError(
        _("刚刚有人用相同的名称、统一社会信用代码、登录名或手机号完成了登记,请核对后重试。"), code="duplicate"
    )


def organisation_register(
    *, details: OrganisationDetails, username: str, mobile: str, display_name: str, password: str
) -> tuple[User, Organisation]:
    """Self-registration: a pending organisation and its first administrator, to be reviewed by operators.

    Two people may register the same firm at once: the unique constraints decide, and the loser gets
    a clear message instead of an error page.
    """
    try:
        return _organisation_register(details, username, mobile, display_name, password)
    except IntegrityError as error:
        raise _duplicate_error() from error


@transaction.atomic
def _organisation_register(
    details: OrganisationDetails, username: str, mobile: str, display_name: str, password: str
) -> tuple[User, Organisation]:
    user = User(username=username, mobile=mobile, display_name=display_name)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    organisation = Organisation(status=OrganisationStatus.PENDING)
    _apply(organisation, details)
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
    *, actor: Actor, details: OrganisationDetails, status: str = OrganisationStatus.APPROVED
) -> Organisation:
    """Operators add organisations directly (e.g. public institutions); they start approved."""
    if not is_operator(actor):
        raise PermissionDenied
    organisation = Organisation(status=status, reviewed_by=actor, reviewed_at=timezone.now())
    _apply(organisation, details)
    organisation.full_clean(exclude=["search_text"])
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: Actor, organisation: Organisation, details: OrganisationDetails
) -> Organisation:
    """Change an organisation's details (its admins or operators); reviewed identity stays with operators."""
    if not may_manage_members(actor, organisation):
        raise PermissionDenied
    organisation = Organisation.objects.select_for_update(of=("self",)).get(pk=organisation.pk)
    if organisation.status == OrganisationStatus.APPROVED and not is_operator(actor):
        changed = [
            f for f in IDENTITY_FIELDS if (getattr(details, f) or None) != (getattr(organisation, f) or None)
        ]
        if changed:
            raise ValidationError(
                _("已审核的名称、类型和统一社会信用代码只能由平台运营人员修改。"), code="identity_locked"
            )
    _apply(organisation, details)
    organisation.full_clean(exclude=["search_text"])
    organisation.save()
    return organisation


@transaction.atomic
def organisation_review(
    *, actor: Actor, organisation: Organisation, approve: bool, note: str = ""
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
def organisation_resubmit(
    *, actor: Actor, organisation: Organisation, details: OrganisationDetails
) -> Organisation:
    """A rejected applicant corrects the details and asks for review again."""
    if not may_manage_members(actor, organisation):
        raise PermissionDenied
    if organisation.status != OrganisationStatus.REJECTED:
        raise ValidationError(_("只有未通过的申请可以重新提交。"), code="not_rejected")
    organisation = organisation_update(actor=actor, organisation=organisation, details=details)
    organisation.status = OrganisationStatus.PENDING
    organisation.save(update_fields=["status", "updated_at"])
    return organisation


@transaction.atomic
def organisation_archive(*, actor: Actor, organisation: Organisation) -> Organisation:
    """Archive an organisation (operators only); it leaves the directory, its history stays."""
    if not is_operator(actor):
        raise PermissionDenied
    organisation.archived_at = timezone.now()
    organisation.save(update_fields=["archived_at", "updated_at"])
    return organisation


def membership_add(
    *,
    actor: Actor,
    organisation: Organisation,
    username: str,
    mobile: str,
    display_name: str,
    password: str,
    role: str,
) -> Membership:
    """An organisation admin (or an operator) creates a login for a colleague with one role."""
    try:
        return _membership_add(actor, organisation, username, mobile, display_name, password, role)
    except IntegrityError as error:
        raise _duplicate_error() from error


@transaction.atomic
def _membership_add(
    actor: Actor,
    organisation: Organisation,
    username: str,
    mobile: str,
    display_name: str,
    password: str,
    role: str,
) -> Membership:
    if role not in grantable_roles(actor, organisation):
        raise PermissionDenied
    user = User(username=username, mobile=mobile, display_name=display_name)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    forget_roles(actor)
    return membership


@transaction.atomic
def membership_grant(*, actor: Actor, organisation: Organisation, user: User, role: str) -> Membership:
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
def membership_end(*, actor: Actor, membership: Membership) -> Membership:
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
