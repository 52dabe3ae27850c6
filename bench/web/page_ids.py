"""Print, as JSON, the records the benchmark's detail and verification pages open (middle of each table)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")

import django

django.setup()

from django.apps import apps  # noqa: E402


def middle(label: str, field: str = "pk") -> object:
    values = apps.get_model(label).objects.order_by("pk")
    if field != "pk":
        values = values.exclude(**{field: ""}).exclude(**{f"{field}__isnull": True})
    values = values.values_list(field, flat=True)
    count = values.count()
    return values[count // 2] if count else None


print(
    json.dumps(
        {
            "talent": middle("talents.Talent"),
            "organisation": middle("organisations.Organisation"),
            "demand": middle("demands.Demand"),
            "event": middle("events.Event"),
            "course": middle("academy.Course"),
            "cohort": middle("academy.Cohort"),
            "report": middle("lab.Report"),
            "agreement": middle("sharing.Agreement"),
            "v_certificate": middle("academy.Certificate", "verify_code"),
            "v_report": middle("lab.Report", "verify_code"),
            "v_brand": middle("lab.BrandAuthorisation", "verify_code"),
            "v_agreement": middle("sharing.Agreement", "verification_code"),
            "v_statement": middle("sharing.Statement", "verification_code"),
            "v_agenda": middle("events.Participant", "agenda_code"),
            "alliance": middle("alliance.Alliance"),
            "fair_code": middle("recruitment.Fair", "public_code"),
        }
    )
)
