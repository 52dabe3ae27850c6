"""The parks' picker source: the platform's approved organisations a park manager may sign as tenants."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jingxiang.core.pickers import PickerSource, register_source
from jingxiang.organisations.models import Organisation
from jingxiang.organisations.permissions import is_operator
from jingxiang.parks.permissions import is_park_manager


def tenant_choices(user: Any) -> QuerySet[Organisation] | None:
    """Approved organisations, for park managers and operators only."""
    if not (is_park_manager(user) or is_operator(user)):
        return None
    return Organisation.objects.filter(status="approved", archived_at__isnull=True)


def register_search() -> None:
    register_source(
        PickerSource(
            "parks.tenants",
            tenant_choices,
            label=lambda organisation: organisation.name,
            detail=lambda organisation: organisation.get_kind_display(),
        )
    )
