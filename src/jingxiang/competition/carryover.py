"""Winner → fund: what an award-winning entry brings to a talent-fund application.

The fund app keeps a carry-over registry; the lead wires :func:`carry_over_data` into it. The function
only reads: it returns plain data (no model instances) so the fund app can prefill its form and keep
the source.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jingxiang.competition.models import Entry
from jingxiang.core.links import absolute_url


def carry_over_data(entry: Entry) -> dict[str, Any]:
    """Title, summary, organisation id, team members (name, role, share if known), tags, attachment ids,
    a source label and the entry's URL."""
    award = getattr(entry, "award", None) if hasattr(entry, "award") else None
    label = f"{entry.edition.name} · {entry.number}"
    if award is not None and award.revoked_at is None:
        label = f"{label} · {award.name}"
    return {
        "title": entry.title,
        "summary": entry.summary,
        "organisation_id": entry.organisation_id,
        "organisation_name": entry.organisation_name,
        "team": [
            {"name": member.get("name", ""), "role": member.get("role", ""), "share": member.get("share")}
            for member in entry.members
        ],
        "tags": list(entry.tags),
        "attachment_ids": list(entry.attachments.order_by("pk").values_list("pk", flat=True)),
        "source_label": label,
        "source_url": absolute_url(reverse("competition:entry", args=[entry.pk])),
    }


def _award_of(entry: Entry) -> Any:
    award = getattr(entry, "award", None) if hasattr(entry, "award") else None
    return award if award is not None and award.revoked_at is None else None


def may_carry_to_fund(user: Any, entry: Entry) -> bool:
    """An award-winning entry's own team leader, or a manager of the firm it was entered for."""
    from jingxiang.organisations.permissions import managed_firm_ids

    if _award_of(entry) is None or not getattr(user, "is_authenticated", False):
        return False
    return entry.leader_id == user.pk or (
        entry.organisation_id is not None and entry.organisation_id in managed_firm_ids(user)
    )


def fund_source(entry_id: int, user: Any) -> Any:
    """The fund app's carry-over loader (``?carry=competition:<id>``): the winner's entry, as the fund's
    application form pre-fills it; None for an entry without a live award or for anybody else."""
    from decimal import Decimal, InvalidOperation

    from jingxiang.fund.carryover import CarriedOver

    entry = Entry.objects.select_related("edition").filter(pk=entry_id).first()
    if entry is None or not may_carry_to_fund(user, entry):
        return None
    data = carry_over_data(entry)
    team = []
    for member in data["team"]:
        try:
            share = Decimal(str(member["share"]).rstrip("%")) if member["share"] not in (None, "") else None
        except InvalidOperation:
            share = None
        team.append((str(member["name"]), str(member["role"]), share))
    return CarriedOver(
        source_label=data["source_label"],
        source_url=data["source_url"],
        organisation_id=data["organisation_id"],
        project_title=data["title"],
        summary=data["summary"],
        team=tuple(team),
        tags=tuple(data["tags"]),
    )


def open_fund_calls(user: Any) -> list[Any]:
    """The talent-fund calls open for applications that this person can see (the winner's invitation)."""
    from django.apps import apps

    if not apps.is_installed("jingxiang.fund"):
        return []
    from jingxiang.fund.models import CallStatus, FundCall

    return list(FundCall.objects.visible_to(user).filter(status=CallStatus.OPEN).order_by("pk")[:5])
