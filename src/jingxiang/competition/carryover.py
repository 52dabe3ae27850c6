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
