"""Deterministic demo cluster for 镜享: the public organisations of the Duqiao eyewear cluster,
generated firms, institutions and talents, and one demo persona per role.

Plain Python with no Django import: the Django loader (``make demo``) and the web benchmark
(``bench/web``, ``scale=10``) call ``generate_cluster`` and copy the records into the database.
People are invented; identifiers are valid-checksum test numbers, never real ones.
"""

from jingxiang.demo_data.generator import DEFAULT_SEED, PERSONAS, REFERENCE_DATE, generate_cluster
from jingxiang.demo_data.records import (
    Cluster,
    FirmSize,
    Gender,
    Organisation,
    OrganisationKind,
    Persona,
    PersonaRole,
    Product,
    Talent,
    TalentKind,
    TalentSkill,
)

__all__ = [
    "DEFAULT_SEED",
    "PERSONAS",
    "REFERENCE_DATE",
    "Cluster",
    "FirmSize",
    "Gender",
    "Organisation",
    "OrganisationKind",
    "Persona",
    "PersonaRole",
    "Product",
    "Talent",
    "TalentKind",
    "TalentSkill",
    "generate_cluster",
]
