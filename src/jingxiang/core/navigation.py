"""The left-hand navigation, assembled from what each app registers in its ``AppConfig.ready``.

Apps own their menu entries (and who sees them) so that adding an app never means editing a shared
template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

VisibleTo = Callable[[Any], bool]


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    section: str | Promise
    order: int = 100
    visible: VisibleTo = field(default=lambda user: user.is_authenticated)
    icon: str = "dot"  # a symbol id in core/static/jingxiang/icons.svg


_items: list[NavItem] = []
_attention_providers: list[Callable[[Any], list[dict[str, Any]]]] = []
_overview_providers: list[Callable[[Any], list[dict[str, Any]]]] = []


def register(*items: NavItem) -> None:
    for item in items:
        if item not in _items:
            _items.append(item)


def register_attention(provider: Callable[[Any], list[dict[str, Any]]]) -> None:
    """Add a provider of 'needs your attention' cards for the home page.

    A provider returns dicts with ``title``, ``count``, ``url`` and optional ``tone`` (waiting/ok/bad);
    it must use a fixed number of queries.
    """
    if provider not in _attention_providers:
        _attention_providers.append(provider)


def register_overview(provider: Callable[[Any], list[dict[str, Any]]]) -> None:
    """Add key figures for the home page (``title``, ``value``, ``url``); fixed number of queries."""
    if provider not in _overview_providers:
        _overview_providers.append(provider)


def overview_for(user: Any) -> list[dict[str, Any]]:
    figures: list[dict[str, Any]] = []
    for provider in _overview_providers:
        figures.extend(provider(user))
    return figures


_urls: dict[tuple[Any, str, str], str | None] = {}


def _url(url_name: str) -> str | None:
    """``reverse(url_name)``, remembered: the menu reverses every entry on every page otherwise."""
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), url_name)
    if key not in _urls:
        try:
            _urls[key] = reverse(url_name)
        except NoReverseMatch:
            _urls[key] = None
    return _urls[key]


def _asked(user: Any) -> list[NavItem]:
    answers: dict[VisibleTo, bool] = {}  # entries sharing a predicate ask it once per page
    shown = []
    for item in sorted(_items, key=lambda it: it.order):
        if item.visible not in answers:
            answers[item.visible] = bool(item.visible(user))
        if answers[item.visible]:
            shown.append(item)
    return shown


def _cache_key(user: Any) -> str:
    """Per person and per set of memberships: joining or leaving an organisation, or a new role in one,
    shows in the very next menu; facts the apps keep elsewhere (store staff, park managers…) show
    within ``NAV_CACHE_SECONDS``. The registry's size is in the key so a deploy that adds entries does
    not serve an old menu."""
    from jingxiang.organisations.permissions import role_fingerprint

    return f"jx:nav:{user.pk}:{int(user.is_superuser)}{int(user.is_staff)}:{role_fingerprint(user)}:{len(_items)}"


def visible_items(user: Any) -> list[NavItem]:
    """The menu entries this person sees, in order. The answers are cached for ``NAV_CACHE_SECONDS``
    (0 turns it off): several entries' predicates need a query each, and the menu is on every page."""
    seconds = getattr(settings, "NAV_CACHE_SECONDS", 0)
    if not seconds or not getattr(user, "is_authenticated", False):
        return _asked(user)
    key = _cache_key(user)
    positions = cache.get(key)
    if positions is None:
        shown = _asked(user)
        # Positions in the registry (fixed for the process; its size is in the key), not URL names:
        # two entries may share a URL.
        index = {id(item): position for position, item in enumerate(_items)}
        cache.set(key, [index[id(item)] for item in shown], seconds)
        return shown
    return [_items[position] for position in positions if position < len(_items)]


def items_for(user: Any, current_path: str = "") -> list[dict[str, Any]]:
    """The menu for this user, grouped by section; the entry with the longest matching URL is current.

    The role predicates behind ``visible`` read the roles cached on the user (one query per request),
    their answers are cached per person (``visible_items``), and the URLs are reversed once per process.
    """
    sections: dict[str, list[dict[str, Any]]] = {}
    entries: list[dict[str, Any]] = []
    for item in visible_items(user):
        url = _url(item.url_name)
        if url is None:
            continue
        entry = {"label": item.label, "url": url, "icon": item.icon, "active": False}
        entries.append(entry)
        sections.setdefault(str(item.section), []).append(entry)
    matching = [
        entry
        for entry in entries
        if current_path == entry["url"] or (entry["url"] != "/" and current_path.startswith(entry["url"]))
    ]
    if matching:
        max(matching, key=lambda entry: len(entry["url"]))["active"] = True
    return [{"title": title, "items": items} for title, items in sections.items()]


def attention_for(user: Any) -> list[dict[str, Any]]:
    cards: list[dict[str, Any]] = []
    for provider in _attention_providers:
        cards.extend(provider(user))
    return cards


def register_core_items() -> None:
    register(
        NavItem(_("工作台"), "core:home", _("常用"), order=0, icon="home"),
        NavItem(_("通知"), "core:notifications", _("常用"), order=1, icon="bell"),
        NavItem(_("后台任务"), "jobs:list", _("常用"), order=90, icon="activity"),
    )
