"""JSON Lines in and out, with errors that name the file and line.

Import files come from spreadsheets and other systems; a bad line must be reported precisely and must
never be skipped silently.  ``read_*`` therefore collect *every* problem and raise one
``JsonlError`` listing them all, so a user fixes the file in one go (the command line exits with 2).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from jingxiang import strictjson
from jingxiang.matching.model import SUPPLIER_KINDS, Demand, Outcome, Ranking, Supplier

T = TypeVar("T")
MAX_LINE_CHARS = 200_000


@dataclass(frozen=True)
class LineError:
    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


class JsonlError(ValueError):
    """One or more lines of a JSONL file are invalid; ``errors`` has all of them."""

    def __init__(self, errors: list[LineError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


def _text(record: dict[str, Any], key: str, *, required: bool = False) -> str:
    value = record.get(key)
    if value is None:
        if required:
            raise ValueError(f"missing required field {key!r}")
        return ""
    if isinstance(value, (dict, list)):
        raise ValueError(f"field {key!r} must be a string")
    return str(value)


def _hours(record: dict[str, Any], key: str) -> float:
    value = record.get(key, 0)
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool):
        raise ValueError(f"field {key!r} must be a number")
    try:
        hours = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"field {key!r} must be a number, got {value!r}") from None
    if hours != hours or hours < 0 or hours > 10_000:
        raise ValueError(f"field {key!r} must be between 0 and 10000, got {value!r}")
    return hours


def supplier_from_dict(record: dict[str, Any]) -> Supplier:
    """Validate one supplier record (the issue's line format); raises ValueError naming the field."""
    kind = _text(record, "kind", required=True)
    if kind not in SUPPLIER_KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(SUPPLIER_KINDS)}")
    skills = record.get("skills", [])
    if skills is None:
        skills = []
    if not isinstance(skills, list) or not all(isinstance(skill, str) for skill in skills):
        raise ValueError("field 'skills' must be a list of strings")
    supplier_id = _text(record, "id", required=True).strip()
    if not supplier_id:
        raise ValueError("field 'id' must not be empty")
    return Supplier(
        id=supplier_id,
        kind=kind,
        name=_text(record, "name"),
        org=_text(record, "org"),
        title=_text(record, "title"),
        skills=tuple(skills),
        description=_text(record, "description"),
        region=_text(record, "region"),
        hours_per_month=_hours(record, "hours_per_month"),
    )


def demand_from_dict(record: dict[str, Any]) -> Demand:
    """Validate one demand record.  Unknown categories are accepted (the ranking notes them)."""
    demand_id = _text(record, "id", required=True).strip()
    if not demand_id:
        raise ValueError("field 'id' must not be empty")
    return Demand(
        id=demand_id,
        enterprise=_text(record, "enterprise"),
        title=_text(record, "title"),
        description=_text(record, "description"),
        category=_text(record, "category"),
        region=_text(record, "region"),
        hours_needed=_hours(record, "hours_needed"),
    )


def outcome_from_dict(record: dict[str, Any]) -> Outcome:
    kind = _text(record, "kind", required=True)
    if kind not in ("accepted", "declined", "rated"):
        raise ValueError(f"unknown outcome kind {kind!r}; expected accepted, declined or rated")
    rating = record.get("rating")
    if kind == "rated" and (isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5):
        raise ValueError("a rated outcome needs an integer 'rating' from 1 to 5")
    return Outcome(
        demand_id=_text(record, "demand_id", required=True),
        supplier_id=_text(record, "supplier_id", required=True),
        kind=kind,  # type: ignore[arg-type]
        rating=rating if kind == "rated" else None,
    )


def parse_lines(
    lines: Iterable[str], parse: Callable[[dict[str, Any]], T], source: str, *, unique_ids: bool = True
) -> list[T]:
    """Parse every line; blank lines are allowed, anything else that is wrong is collected and raised."""
    records: list[T] = []
    errors: list[LineError] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if len(line) > MAX_LINE_CHARS:
            errors.append(LineError(source, number, f"line longer than {MAX_LINE_CHARS} characters"))
            continue
        try:
            raw = strictjson.loads(line)
        except json.JSONDecodeError as error:
            errors.append(LineError(source, number, f"invalid JSON ({error.msg} at column {error.colno})"))
            continue
        if not isinstance(raw, dict):
            errors.append(LineError(source, number, "each line must be a JSON object"))
            continue
        try:
            record = parse(raw)
        except ValueError as error:
            errors.append(LineError(source, number, str(error)))
            continue
        identifier = getattr(record, "id", None)
        if unique_ids and identifier is not None:
            if identifier in seen:
                errors.append(
                    LineError(
                        source, number, f"duplicate id {identifier!r} (first on line {seen[identifier]})"
                    )
                )
                continue
            seen[identifier] = number
        records.append(record)
    if errors:
        raise JsonlError(errors)
    return records


def _read(path: Path | str, parse: Callable[[dict[str, Any]], T], *, unique_ids: bool = True) -> list[T]:
    source = str(path)
    try:
        with open(path, encoding="utf-8") as handle:
            return parse_lines(handle, parse, source, unique_ids=unique_ids)
    except UnicodeDecodeError as error:
        raise JsonlError([LineError(source, 0, f"not UTF-8 text ({error.reason})")]) from None
    except OSError as error:
        raise JsonlError([LineError(source, 0, f"cannot read file ({error.strerror})")]) from None


def read_suppliers(path: Path | str) -> list[Supplier]:
    return _read(path, supplier_from_dict)


def read_demands(path: Path | str) -> list[Demand]:
    return _read(path, demand_from_dict)


def read_outcomes(path: Path | str) -> list[Outcome]:
    return _read(path, outcome_from_dict, unique_ids=False)


def ranking_to_dict(
    ranking: Ranking, *, query_key: str = "demand_id", item_key: str = "supplier_id"
) -> dict[str, Any]:
    """The issue's output line: ``{"demand_id", "ranking": [{"supplier_id", "score", "why"}]}``."""
    line: dict[str, Any] = {
        query_key: ranking.query_id,
        "ranking": [
            {item_key: match.id, "score": match.score, "why": list(match.why)} for match in ranking.matches
        ],
    }
    if ranking.notes:
        line["notes"] = list(ranking.notes)
    return line


def write_jsonl(records: Iterable[dict[str, Any]], stream: IO[str]) -> int:
    """Write one JSON object per line (UTF-8 text, Chinese kept readable); returns the count."""
    count = 0
    for record in records:
        stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def read_json_objects(path: Path | str) -> list[tuple[int, dict[str, Any]]]:
    """Raw objects with their line numbers, for files of other shapes (e.g. relevance labels)."""
    numbered: list[tuple[int, dict[str, Any]]] = []
    source = str(path)
    errors: list[LineError] = []
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    value = strictjson.loads(line)
                except json.JSONDecodeError as error:
                    errors.append(
                        LineError(source, number, f"invalid JSON ({error.msg} at column {error.colno})")
                    )
                    continue
                if not isinstance(value, dict):
                    errors.append(LineError(source, number, "each line must be a JSON object"))
                    continue
                numbered.append((number, value))
    except (OSError, UnicodeDecodeError) as error:
        raise JsonlError([LineError(source, 0, f"cannot read file ({error})")]) from None
    if errors:
        raise JsonlError(errors)
    return numbered
