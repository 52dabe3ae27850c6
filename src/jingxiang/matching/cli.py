"""Command line: ``python -m jingxiang.matching {rank,rank-demands,evaluate,check-knowledge}``.

Exit codes: 0 success; 2 bad input (every malformed line is listed on stderr as ``file:line: problem``,
and nothing is ranked, so a partial result is never mistaken for a complete one).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from jingxiang.matching.engine import MatchingIndex
from jingxiang.matching.evaluation import evaluate_rankings
from jingxiang.matching.jsonl import (
    JsonlError,
    LineError,
    ranking_to_dict,
    read_demands,
    read_json_objects,
    read_outcomes,
    read_suppliers,
    write_jsonl,
)
from jingxiang.matching.knowledge import KnowledgeError, load_knowledge

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m jingxiang.matching", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--suppliers", required=True, type=Path, help="supplier profiles, JSONL")
        sub.add_argument("--demands", required=True, type=Path, help="demands, JSONL")
        sub.add_argument("--top", type=int, default=20, help="results per query (default 20)")
        sub.add_argument(
            "--feedback", type=Path, help="outcomes JSONL {demand_id, supplier_id, kind, rating}"
        )
        sub.add_argument("--knowledge", type=Path, help="directory with edited lexicon/synonym/symptom YAML")
        sub.add_argument("--workers", type=int, default=1, help="processes for building the index")

    rank = commands.add_parser("rank", help="rank suppliers for every demand (JSONL to stdout)")
    common(rank)
    reverse = commands.add_parser("rank-demands", help="rank demands for suppliers (JSONL to stdout)")
    common(reverse)
    reverse.add_argument(
        "--supplier-id",
        action="append",
        dest="supplier_ids",
        help="supplier to rank for (repeatable; default all)",
    )
    evaluate = commands.add_parser("evaluate", help="nDCG@10 and recall@20 against graded labels")
    common(evaluate)
    evaluate.add_argument(
        "--qrels", required=True, type=Path, help="labels JSONL {demand_id, supplier_id, grade}"
    )
    check = commands.add_parser("check-knowledge", help="validate the knowledge tables")
    check.add_argument("--knowledge", type=Path)
    return parser


def _read_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    errors = []
    for number, record in read_json_objects(path):
        grade = record.get("grade")
        if not isinstance(record.get("demand_id"), str) or not isinstance(record.get("supplier_id"), str):
            errors.append(LineError(str(path), number, "needs string demand_id and supplier_id"))
        elif isinstance(grade, bool) or not isinstance(grade, int) or not 0 <= grade <= 3:
            errors.append(LineError(str(path), number, "grade must be an integer 0-3"))
        else:
            qrels.setdefault(record["demand_id"], {})[record["supplier_id"]] = grade
    if errors:
        raise JsonlError(errors)
    return qrels


Record = TypeVar("Record")


def _collect(
    read: Callable[[Path], list[Record]], path: Path | None, problems: list[LineError]
) -> list[Record]:
    """Read one input file, adding its bad lines to ``problems`` so that every file's are reported."""
    if path is None:
        return []
    try:
        return read(path)
    except JsonlError as error:
        problems.extend(error.errors)
        return []


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _run(argv)
    except BrokenPipeError:
        # The reader went away (``... | head``): not an error of ours; silence the final flush too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _run(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    try:
        knowledge = load_knowledge(args.knowledge) if args.knowledge else load_knowledge()
        if args.command == "check-knowledge":
            print(f"ok: {len(knowledge.groups)} synonym groups, {len(knowledge.symptoms)} symptoms")
            return EXIT_OK
        problems: list[LineError] = []
        suppliers = _collect(read_suppliers, args.suppliers, problems)
        demands = _collect(read_demands, args.demands, problems)
        outcomes = _collect(read_outcomes, args.feedback, problems)
        qrels = {}
        if args.command == "evaluate":
            try:
                qrels = _read_qrels(args.qrels)
            except JsonlError as error:
                problems.extend(error.errors)
        if problems:
            raise JsonlError(problems)
    except (JsonlError, KnowledgeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT

    index = MatchingIndex.build(suppliers, knowledge=knowledge, workers=args.workers)
    if outcomes:
        index.apply_feedback(outcomes, {demand.id: demand for demand in demands})
    top = max(0, args.top)
    if args.command == "rank":
        write_jsonl((ranking_to_dict(index.rank(demand, top)) for demand in demands), sys.stdout)
    elif args.command == "rank-demands":
        wanted = args.supplier_ids or [supplier.id for supplier in suppliers]
        unknown = [supplier_id for supplier_id in wanted if supplier_id not in index]
        if unknown:
            print(f"error: unknown supplier id(s): {', '.join(unknown)}", file=sys.stderr)
            return EXIT_BAD_INPUT
        for demand in demands:
            index.upsert_demand(demand)
        write_jsonl(
            (
                ranking_to_dict(
                    index.rank_demands(supplier_id, top=top), query_key="supplier_id", item_key="demand_id"
                )
                for supplier_id in wanted
            ),
            sys.stdout,
        )
    else:
        rankings = {
            demand.id: [match.id for match in index.rank(demand, max(top, 20)).matches] for demand in demands
        }
        print(json.dumps(evaluate_rankings(rankings, qrels), ensure_ascii=False))
    return EXIT_OK
