"""What a follow-up can point to: the demand, sharing request or challenge it names, per kind.

The targets live in other apps (demands, sharing), so each kind says which model, which detail page and
how a row reads, and the rows offered or shown always come from that app's own ``visible_to``: a user
links only what they may see, and a link is shown as a link only to those who may open it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.urls import reverse

from jingxiang.events.models import FollowUpKind


@dataclass(frozen=True)
class TargetKind:
    model: str  # "app_label.ModelName"
    url_name: str
    search_fields: tuple[str, ...]


TARGETS = {
    FollowUpKind.DEMAND: TargetKind("demands.Demand", "demands:detail", ("title", "number")),
    FollowUpKind.SHARING: TargetKind("sharing.SharingRequest", "sharing:request_detail", ("title",)),
    FollowUpKind.CHALLENGE: TargetKind("demands.Challenge", "demands:challenge_detail", ("title",)),
}


def target_model(kind: str) -> type[models.Model] | None:
    spec = TARGETS.get(FollowUpKind(kind)) if kind in FollowUpKind.values else None
    if spec is None:
        return None
    try:
        return apps.get_model(spec.model)
    except LookupError:
        return None


def target_choices(kind: str, user: Any) -> models.QuerySet:
    """The rows of ``kind`` the user may see (and so may link), current ones only."""
    model = target_model(kind)
    if model is None:
        from jingxiang.events.models import FollowUp

        return FollowUp.objects.none()
    queryset = model.objects.visible_to(user)  # type: ignore[attr-defined]
    return queryset.filter(archived_at__isnull=True).order_by("-pk")


def match_targets(kind: str) -> Any:
    fields = TARGETS[FollowUpKind(kind)].search_fields

    def match(queryset: models.QuerySet, query: str) -> models.QuerySet:
        typed = query.strip()
        if not typed:
            return queryset
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": typed})
        return queryset.filter(condition)

    return match


def target_url(kind: str, target: Any) -> str:
    return reverse(TARGETS[FollowUpKind(kind)].url_name, args=[target.pk])


def target_label(target: Any) -> str:
    number = getattr(target, "number", "")
    title = getattr(target, "title", "") or str(target)
    return f"{number} {title}".strip()


def shown_target(follow_up: Any, user: Any) -> dict[str, Any] | None:
    """How the follow-up's target reads for ``user``: a link when they may see it, else a note that it
    exists without its title (the title may be another firm's private data). None when unlinked."""
    if follow_up.target_object_id is None:
        return None
    model = target_model(follow_up.kind)
    if model is None:
        return {"visible": False}
    target = target_choices(follow_up.kind, user).filter(pk=follow_up.target_object_id).first()
    if target is None:
        return {"visible": False}
    return {"visible": True, "label": target_label(target), "url": target_url(follow_up.kind, target)}
