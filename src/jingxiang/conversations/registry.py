"""The subjects a conversation can be about, registered by kind.

Each kind says how to load a subject, who its parties are (``Side``), its title and page, and whether
operators may read its threads (a rule in ``rules.yaml``; by default they may not). The kinds of the
existing apps are registered in ``subjects.py``; a new app registers its own in its ``ready()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: The operators' side of a sharing request, stored by its Chinese msgid and shown in the reader's language.
STATION = _("人才共享驿站")


def role_pairs(user: Any) -> set[tuple[int, str]]:
    """(organisation id, role) for the user's roles in approved organisations (cached, no query)."""
    from jingxiang.organisations.models import Role
    from jingxiang.organisations.permissions import approved_organisation_ids

    if not getattr(user, "is_authenticated", False):
        return set()
    return {(org, str(role)) for role in Role.values for org in approved_organisation_ids(user, role)}


@dataclass(frozen=True)
class Side:
    """One party of a subject: a person (``user_id``), the people acting for an organisation in one of
    ``roles``, or the platform's operators (the sharing station) as a party of their own."""

    label: str | Promise
    organisation_id: int | None = None
    roles: tuple[str, ...] = ()
    user_id: int | None = None
    operators: bool = False

    def includes(self, user: Any) -> bool:
        from jingxiang.organisations.permissions import is_operator

        if not getattr(user, "is_authenticated", False):
            return False
        if self.user_id is not None and self.user_id == user.pk:
            return True
        if self.operators and is_operator(user):
            return True
        if self.organisation_id is not None:
            pairs = role_pairs(user)
            return any((self.organisation_id, role) in pairs for role in self.roles)
        return False

    @property
    def roles_text(self) -> str:
        return "," + ",".join(self.roles) + "," if self.roles else ""


@dataclass(frozen=True)
class SubjectKind:
    """How conversations find and describe one kind of subject.

    ``key`` goes into URLs (``sharing-invitation``); ``load(pk)`` returns the subject with what
    ``parties``, ``title`` and ``url`` need, or None; ``related(obj)`` lists sub-subjects (kind key,
    object) whose threads the subject's page lists (a request's invitations, a demand's proposals).
    """

    key: str
    label: str | Promise
    model: type
    load: Callable[[int], Any]
    parties: Callable[[Any], list[Side]]
    title: Callable[[Any], str]
    url: Callable[[Any], str]


@dataclass(frozen=True)
class Host:
    """A page model that lists the threads of its sub-subjects (a demand lists its proposals' threads)."""

    model: type
    related: Callable[[Any], Iterable[tuple[str, Any]]]


_kinds: dict[str, SubjectKind] = {}
_hosts: dict[type, Host] = {}


def register(kind: SubjectKind) -> None:
    _kinds[kind.key] = kind


def register_host(host: Host) -> None:
    _hosts[host.model] = host


def kinds() -> list[SubjectKind]:
    return list(_kinds.values())


def kind_or_none(key: str) -> SubjectKind | None:
    return _kinds.get(key)


def kind(key: str) -> SubjectKind:
    found = _kinds.get(key)
    if found is None:
        raise Http404
    return found


def kind_of(obj: Any) -> SubjectKind | None:
    """The kind registered for an object's model (None when it is no conversation subject)."""
    for candidate in _kinds.values():
        if type(obj) is candidate.model:
            return candidate
    return None


def host_of(obj: Any) -> Host | None:
    return _hosts.get(type(obj))
