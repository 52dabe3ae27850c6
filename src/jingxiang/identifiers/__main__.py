"""Command line: ``python -m jingxiang.identifiers check VALUE...`` or ``... generate KIND``.

``check`` guesses the kind of each value (see ``guess_kind``) and prints one JSON line per value,
so operators can check a column pasted from a spreadsheet. ``generate`` prints valid test numbers
for a seed (never real people's numbers).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Sequence

from jingxiang.identifiers.errors import IdentifierError
from jingxiang.identifiers.mobile import validate_mobile
from jingxiang.identifiers.normalisation import normalise_code
from jingxiang.identifiers.resident_id import (
    Sex,
    generate_resident_id,
    is_valid_resident_id,
    validate_resident_id,
)
from jingxiang.identifiers.uscc import generate_uscc, is_valid_uscc, validate_uscc


def guess_kind(value: str) -> str:
    """Pick the kind a value most likely is, preferring a kind under which it validates.

    An 18-character value may be either a USCC or an ID number (some USCCs are all digits), so we
    try both; if neither validates, a letter outside the final position means USCC.
    """
    compact = normalise_code(value)
    if len(compact) == 18:
        if is_valid_uscc(compact):
            return "uscc"
        if is_valid_resident_id(compact) or compact[:17].isdigit():
            return "resident_id"
        return "uscc"
    if len(compact) == 15 and compact.isdigit():
        return "resident_id"
    return "mobile"


def check_value(value: str) -> dict[str, object]:
    kind = guess_kind(value)
    try:
        if kind == "uscc":
            normalised = validate_uscc(value).code
        elif kind == "resident_id":
            normalised = validate_resident_id(value).number
        else:
            normalised = validate_mobile(value)
    except IdentifierError as error:
        return {"value": value, "kind": kind, "valid": False, "code": error.code, "message": error.message}
    return {"value": value, "kind": kind, "valid": True, "normalised": normalised}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jingxiang.identifiers", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate values and print one JSON line each")
    check.add_argument("values", nargs="+")
    generate = commands.add_parser("generate", help="print valid test numbers")
    generate.add_argument("kind", choices=("uscc", "resident_id"))
    generate.add_argument("--seed", type=int, default=1)
    generate.add_argument("--count", type=int, default=5)
    generate.add_argument("--region", default="331082")
    arguments = parser.parse_args(argv)

    if arguments.command == "check":
        results = [check_value(value) for value in arguments.values]
        for result in results:
            print(json.dumps(result, ensure_ascii=False))
        return 0 if all(result["valid"] for result in results) else 1

    rng = random.Random(arguments.seed)
    for _ in range(arguments.count):
        if arguments.kind == "uscc":
            print(generate_uscc(rng, arguments.region))
        else:
            birth_date = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(365 * 45))
            print(generate_resident_id(rng, arguments.region, birth_date, rng.choice(list(Sex))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
