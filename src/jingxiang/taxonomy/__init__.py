"""The eyewear-industry skills taxonomy, kept as data (``skills.yaml``) in the repository.

Plain Python with no Django import: the matching engine reads it directly, and the talents app seeds
its editable database copy from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

TAXONOMY_FILE = Path(__file__).with_name("skills.yaml")


@dataclass(frozen=True)
class Skill:
    code: str
    name_zh: str
    name_en: str
    domain_code: str
    aliases: tuple[str, ...] = ()
    retired: bool = False


@dataclass(frozen=True)
class Domain:
    code: str
    name_zh: str
    name_en: str
    skills: tuple[Skill, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Taxonomy:
    domains: tuple[Domain, ...]

    def skills(self) -> list[Skill]:
        return [skill for domain in self.domains for skill in domain.skills]

    def skill(self, code: str) -> Skill:
        for skill in self.skills():
            if skill.code == code:
                return skill
        raise KeyError(code)


def parse_taxonomy(document: dict[str, Any]) -> Taxonomy:
    """Build a taxonomy from the YAML structure, refusing duplicate codes (they are stable keys)."""
    seen: set[str] = set()
    domains = []
    for raw_domain in document.get("domains", []):
        skills = []
        for raw in raw_domain.get("skills", []):
            code = str(raw["code"])
            if code in seen:
                raise ValueError(f"duplicate skill code: {code}")
            seen.add(code)
            skills.append(
                Skill(
                    code=code,
                    name_zh=str(raw["name_zh"]),
                    name_en=str(raw["name_en"]),
                    domain_code=str(raw_domain["code"]),
                    aliases=tuple(str(a) for a in raw.get("aliases", [])),
                    retired=bool(raw.get("retired", False)),
                )
            )
        domains.append(
            Domain(
                code=str(raw_domain["code"]),
                name_zh=str(raw_domain["name_zh"]),
                name_en=str(raw_domain["name_en"]),
                skills=tuple(skills),
            )
        )
    return Taxonomy(domains=tuple(domains))


@cache
def load_taxonomy(path: Path = TAXONOMY_FILE) -> Taxonomy:
    """Read the taxonomy shipped with the code (cached: it is read-only at run time)."""
    with path.open(encoding="utf-8") as handle:
        return parse_taxonomy(yaml.safe_load(handle))
