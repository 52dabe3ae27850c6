"""Who may manage a review round and who may score. Default deny; "not found" and "forbidden" both 404.

The block does not know who runs a competition or a fund call: the owning app registers a
:class:`ScopePolicy` for its ``scope`` (``register_scope``) saying who manages the rounds of one of its
objects. A round of a scope nobody registered is managed by nobody. Reviewers see only their own
assignments (``Assignment.objects.visible_to``), never the other reviewers' scores.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404

from jingxiang.reviewing.models import Assignment, Round


@dataclass(frozen=True)
class ScopePolicy:
    """How an owning app governs its rounds.

    ``may_manage(user, object_id)`` decides who creates rounds, adds reviewers and submissions, starts
    the assignment and sees the ranking; ``label`` names the owner on pages; ``owner_url(object_id)``
    links back to the owner's page (or ``""``).
    """

    scope: str
    may_manage: Callable[[Any, int | None], bool]
    label: Any = ""
    owner_url: Callable[[int | None], str] | None = None


_policies: dict[str, ScopePolicy] = {}


def register_scope(policy: ScopePolicy) -> ScopePolicy:
    _policies[policy.scope] = policy
    return policy


def scope_policy(scope: str) -> ScopePolicy | None:
    return _policies.get(scope)


def may_manage(user: Any, scope: str, object_id: int | None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    policy = _policies.get(scope)
    return bool(policy is not None and policy.may_manage(user, object_id))


def may_manage_round(user: Any, round: Round) -> bool:
    return may_manage(user, round.scope, round.object_id)


def access_round(user: Any, pk: int) -> Round:
    """A round's management pages: only those its owner app lets manage it."""
    found: Round | None = Round.objects.filter(pk=pk).first()
    if found is None or not may_manage_round(user, found):
        raise Http404
    return found


def access_assignment(user: Any, pk: int) -> Assignment:
    """A score sheet: only the reviewer it was assigned to opens it."""
    found: Assignment | None = (
        Assignment.objects.visible_to(user)
        .select_related("round", "submission", "reviewer")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def is_reviewer(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cached: bool | None = getattr(user, "_reviewing_is_reviewer", None)
    if cached is None:
        cached = Assignment.objects.visible_to(user).exists()
        user._reviewing_is_reviewer = cached
    return cached


def standalone_may_manage(user: Any, object_id: int | None) -> bool:
    """Rounds of the built-in ``reviewing.standalone`` scope (ad-hoc reviews) are run by operators."""
    from jingxiang.organisations.permissions import is_operator

    return is_operator(user)
