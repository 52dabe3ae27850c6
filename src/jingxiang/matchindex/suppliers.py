"""The supply side of the index: talents and institutions of the foundation, as engine records."""

from __future__ import annotations

from typing import Any

from jingxiang.matching import Supplier as EngineSupplier

SUPPLIER_ORG_KINDS = {
    "university": "university_lab",
    "testing_lab": "testing_lab",
    "service_agency": "service_agency",
}
TALENT_KINDS = {"expert": "expert", "craftsman": "craftsman", "technician": "craftsman"}

ORGANISATION_HOURS = 160.0
"""Institutions have no personal hour limit; a nominal full-time month keeps them ranked as available."""


def talent_key(pk: int) -> str:
    return f"T-{pk}"


def organisation_key(pk: int) -> str:
    return f"O-{pk}"


def parse_key(key: str) -> tuple[str, int]:
    prefix, _sep, number = key.partition("-")
    return ("talent" if prefix == "T" else "organisation"), int(number)


def supplier_talents() -> Any:
    from jingxiang.talents.models import Talent

    return Talent.objects.filter(archived_at__isnull=True, kind__in=list(TALENT_KINDS))


def supplier_organisations() -> Any:
    from jingxiang.organisations.models import Organisation

    return Organisation.objects.approved().filter(kind__in=list(SUPPLIER_ORG_KINDS))


def talent_record(talent: Any, skill_codes: list[str]) -> EngineSupplier:
    home = talent.home_organisation
    return EngineSupplier(
        id=talent_key(talent.pk),
        kind=TALENT_KINDS[talent.kind],
        name=talent.name,
        org=home.name if home is not None else "",
        title=" ".join(part for part in (talent.title, talent.level) if part),
        skills=tuple(sorted(skill_codes)),
        description=talent.description,
        region=talent.region or (home.region if home is not None else ""),
        hours_per_month=float(talent.monthly_hours),
    )


def organisation_record(organisation: Any) -> EngineSupplier:
    description = "。".join(part for part in (organisation.main_products, organisation.description) if part)
    return EngineSupplier(
        id=organisation_key(organisation.pk),
        kind=SUPPLIER_ORG_KINDS[organisation.kind],
        name=organisation.name,
        org=organisation.name,
        title=str(organisation.get_kind_display()),
        description=description,
        region=organisation.region,
        hours_per_month=ORGANISATION_HOURS,
    )


def load_suppliers() -> dict[str, EngineSupplier]:
    """Every supplier profile as an engine record (three queries whatever the size)."""
    from jingxiang.talents.models import TalentSkill

    skills: dict[int, list[str]] = {}
    for talent_id, code in TalentSkill.objects.filter(talent__in=supplier_talents()).values_list(
        "talent_id", "skill__code"
    ):
        skills.setdefault(talent_id, []).append(code)
    records = {}
    for talent in supplier_talents().select_related("home_organisation"):
        record = talent_record(talent, skills.get(talent.pk, []))
        records[record.id] = record
    for organisation in supplier_organisations():
        record = organisation_record(organisation)
        records[record.id] = record
    return records
