"""Invented Chinese personal names, unique within one cluster and never a famous real person's.

Names are built from a weighted surname table and given-name characters typical of the person's
generation (a 1960s 建华 and a 2000s 梓涵 read very differently), so directories look like the
real cluster without naming anyone real.
"""

from __future__ import annotations

import random

from jingxiang.demo_data.records import Gender
from jingxiang.demo_data.tables import people

# Born before this year: given names mostly in the older style.
GENERATION_BOUNDARY_YEAR = 1975
_MAX_ATTEMPTS = 10_000


class NamePool:
    """Hands out unique invented names; ``reserve`` fixed names (personas) before drawing."""

    def __init__(self) -> None:
        self._tables = people()
        self._used: set[str] = set()

    def is_famous(self, name: str) -> bool:
        return name in self._tables.famous_names

    def reserve(self, name: str) -> str:
        if self.is_famous(name):
            raise ValueError(f"{name} is on the famous-names guard list")
        if name in self._used:
            raise ValueError(f"{name} is already used")
        self._used.add(name)
        return name

    def draw(self, rng: random.Random, gender: Gender, birth_year: int) -> str:
        tables = self._tables
        older = birth_year < GENERATION_BOUNDARY_YEAR
        for _ in range(_MAX_ATTEMPTS):
            surname = rng.choices(tables.surnames, weights=tables.surname_weights)[0]
            own_generation = "older" if older else "younger"
            other_generation = "younger" if older else "older"
            sex_key = "male" if gender is Gender.MALE else "female"
            generation = own_generation if rng.random() < 0.8 else other_generation
            characters = tables.given_name_characters[f"{sex_key}_{generation}"]
            two_characters = rng.random() < (0.6 if older else 0.78)
            given = rng.choice(characters)
            if two_characters:
                second = rng.choice(tables.given_name_characters[f"{sex_key}_{own_generation}"])
                if second == given:
                    continue
                given += second
            if given in surname:
                continue
            name = surname + given
            if name in self._used or self.is_famous(name):
                continue
            self._used.add(name)
            return name
        raise RuntimeError("name space exhausted; extend people.yaml")
