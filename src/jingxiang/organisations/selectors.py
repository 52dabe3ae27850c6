"""Reads of organisations and memberships that are more than one queryset filter."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from jingxiang.organisations.models import Membership, Organisation, OrganisationStatus, Role


def operators() -> list[Any]:
    """Active platform operators, who receive joining applications."""
    return list(
        get_user_model()
        .objects.filter(
            memberships__role=Role.OPERATOR,
            memberships__is_active=True,
            memberships__organisation__status=OrganisationStatus.APPROVED,
            is_active=True,
        )
        .distinct()
    )


def pending_registrations() -> QuerySet[Organisation]:
    """Applications waiting for an operator, oldest first."""
    return Organisation.objects.filter(status=OrganisationStatus.PENDING, archived_at__isnull=True).order_by(
        "created_at"
    )


def members_of(organisation: Organisation) -> list[Membership]:
    """Everyone who acts for the organisation, current members first."""
    return list(organisation.memberships.select_related("user").order_by("-is_active", "role"))
