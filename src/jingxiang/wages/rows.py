"""Wage rows: the documented header, and turning spreadsheet rows into typed, validated :class:`WageRow`.

A file is refused as a whole when any row is bad (the platform imports nothing on error), with
every bad row and field named. Bad means: a required column or value missing, a number that is
not a number, negative or has more than two decimals (fen), hours beyond what a month holds, a
post, level or process the agreement does not know, a month outside every term of the agreement,
the same worker twice in one month.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from jingxiang.wages.agreement import Agreement, Post, Process, Term
from jingxiang.wages.amounts import (
    FEN,
    MAX_AMOUNT,
    MAX_HOURS,
    MAX_PIECES,
    ZERO,
    NotAnAmountError,
    month_text,
    parse_month,
    plain,
    to_decimal,
)
from jingxiang.wages.model import WARNING, Problem, RowsRejectedError, collector_paused
from jingxiang.wages.reference import Level, find_level, reference
from jingxiang.wages.sheets import Cell, CellError

# Past this many problems the rest are counted, not listed: a file with one systematic mistake
# would otherwise bury the reader under 63,000 identical lines.
MAX_LISTED_PROBLEMS = 1000


@dataclass(frozen=True)
class Column:
    name: str
    label_zh: str
    kind: str
    required: bool = False
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("firm", "企业", "text", aliases=("企业名称", "单位", "用人单位")),
    Column("worker_id", "工号", "text", True, ("职工编号", "员工编号", "worker")),
    Column("month", "月份", "month", True, ("工资月份", "所属月份")),
    Column("post", "岗位", "post", True, ("岗位名称",)),
    Column("level", "认定等级", "level", True, ("技能等级", "等级", "职业技能等级")),
    Column("base_wage", "基本工资", "amount", True, ("计时工资", "岗位工资")),
    Column("piece_pay", "计件工资", "amount"),
    Column("skill_allowance", "技能津贴", "amount"),
    Column("other_pay", "其他工资", "amount", aliases=("奖金", "其他")),
    Column("overtime_pay", "加班工资", "amount", aliases=("加班费",)),
    Column("overtime_weekday_hours", "工作日加班小时", "hours", aliases=("延长工作时间小时", "延时加班小时")),
    Column("overtime_rest_day_hours", "休息日加班小时", "hours"),
    Column("overtime_holiday_hours", "法定节假日加班小时", "hours", aliases=("节假日加班小时",)),
    Column("normal_hours", "正常工作小时", "hours", aliases=("出勤小时",)),
    Column("contract_wage", "合同月工资", "amount", aliases=("劳动合同约定月工资", "约定月工资")),
    Column("process", "工序", "list"),
    Column("pieces", "件数", "list", aliases=("产量",)),
)
_BY_NAME = {column.name: column for column in COLUMNS}
_SPACES = re.compile(r"[\s_\-/()\uff08\uff09:\uff1a]+")
_LIST_SEPARATORS = re.compile("[;\uff1b]")


def _key(text: str) -> str:
    return _SPACES.sub("", text).casefold()


_HEADER_INDEX = {
    _key(name): column.name for column in COLUMNS for name in (column.name, column.label_zh, *column.aliases)
}


@dataclass(frozen=True, slots=True)
class WageRow:
    """One worker-month, parsed and resolved against the agreement (post, level, process, term)."""

    row: int
    firm: str
    worker_id: str
    month: datetime.date
    post: Post
    level: Level
    term: Term
    base_wage: Decimal
    piece_pay: Decimal = ZERO
    skill_allowance: Decimal = ZERO
    other_pay: Decimal = ZERO
    overtime_pay: Decimal = ZERO
    overtime_weekday_hours: Decimal = ZERO
    overtime_rest_day_hours: Decimal = ZERO
    overtime_holiday_hours: Decimal = ZERO
    normal_hours: Decimal | None = None
    contract_wage: Decimal | None = None
    pieces: tuple[tuple[Process, Decimal], ...] = ()


def header_text() -> str:
    """The documented header, Chinese labels in file order (what the template's first row holds)."""
    return ",".join(column.label_zh for column in COLUMNS)


def parse_rows(
    agreement: Agreement, table: Iterable[tuple[int, Sequence[Cell]]]
) -> tuple[list[WageRow], list[Problem]]:
    """Typed rows and warnings, or :class:`RowsRejectedError` with every bad row and field."""
    with collector_paused():
        return _RowParser(agreement).parse(table)


class _RowParser:
    def __init__(self, agreement: Agreement) -> None:
        self.agreement = agreement
        self.problems: list[Problem] = []
        self.error_count = 0
        self.warnings: list[Problem] = []
        self._months: dict[object, datetime.date | str] = {}
        self._posts: dict[str, Post | None] = {}
        self._levels: dict[str, Level | None] = {}
        self._terms: dict[datetime.date, Term | None] = {}
        self._reported: set[tuple[int, str]] = set()

    # -- problems --------------------------------------------------------------------------------

    def bad(self, row: int, field: str, message: str, code: str) -> None:
        # One problem per cell: a cell holding an Excel error is not also "missing".
        if (row, field) in self._reported:
            return
        self._reported.add((row, field))
        self.error_count += 1
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            label = _BY_NAME[field].label_zh if field in _BY_NAME else field
            self.problems.append(
                Problem(
                    f"row {row} / {field}",
                    f"row {row}, {label} ({field}): {message}",
                    code,
                    row=row,
                    field=field,
                )
            )

    # -- header -----------------------------------------------------------------------------------

    def header(self, row: int, cells: Sequence[Cell]) -> dict[str, int] | None:
        positions: dict[str, int] = {}
        for index, cell in enumerate(cells):
            if cell is None or str(cell).strip() == "":
                continue
            name = _HEADER_INDEX.get(_key(str(cell)))
            if name is None:
                self.warnings.append(
                    Problem(
                        f"row {row}",
                        f"column {str(cell).strip()!r} is not part of the header and is ignored",
                        "unknown_column",
                        WARNING,
                        row=row,
                    )
                )
            elif name in positions:
                self.bad(
                    row,
                    name,
                    f"the column appears twice (columns {positions[name] + 1} and {index + 1})",
                    "duplicate_column",
                )
            else:
                positions[name] = index
        for column in COLUMNS:
            if column.required and column.name not in positions:
                self.bad(row, column.name, "required column missing from the header", "missing_column")
        if ("process" in positions) != ("pieces" in positions):
            present = "process" if "process" in positions else "pieces"
            missing = "pieces" if present == "process" else "process"
            self.bad(row, missing, f"needed together with the {present} column", "missing_column")
        return None if self.error_count else positions

    # -- rows -------------------------------------------------------------------------------------

    def parse(self, table: Iterable[tuple[int, Sequence[Cell]]]) -> tuple[list[WageRow], list[Problem]]:
        positions: dict[str, int] | None = None
        rows: list[WageRow] = []
        seen: dict[tuple[str, str, datetime.date], int] = {}
        for number, cells in table:
            if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
                continue
            if positions is None:
                positions = self.header(number, cells)
                if positions is None:
                    break
                continue
            parsed = self.row(number, cells, positions)
            if parsed is None:
                continue
            key = (parsed.firm, parsed.worker_id, parsed.month)
            if key in seen:
                self.bad(
                    number,
                    "worker_id",
                    f"worker {parsed.worker_id} already has a row for {month_text(parsed.month)} (row {seen[key]})",
                    "duplicate_row",
                )
                continue
            seen[key] = number
            rows.append(parsed)
        if positions is None and not self.error_count:
            self.bad(1, "header", "the file has no header row and no data", "empty")
        elif not rows and not self.error_count:
            self.bad(1, "header", "the file has a header but no wage rows", "empty")
        if self.error_count:
            problems = list(self.problems)
            if self.error_count > len(problems):
                problems.append(
                    Problem(
                        "",
                        f"{self.error_count - len(problems)} more problems not listed ({self.error_count} in all)",
                        "more",
                    )
                )
            raise RowsRejectedError(problems)
        return rows, self.warnings

    def row(self, number: int, cells: Sequence[Cell], positions: dict[str, int]) -> WageRow | None:
        errors_before = self.error_count
        size = len(cells)

        def cell(name: str) -> Cell:
            index = positions.get(name)
            if index is None or index >= size:
                return None
            value = cells[index]
            if isinstance(value, CellError):
                self.bad(number, name, f"the cell holds an error ({value}); enter the value", "cell_error")
                return None
            return value

        worker_id = self.text(number, "worker_id", cell("worker_id"))
        firm = "" if (raw_firm := cell("firm")) is None else str(raw_firm).strip()
        month = self.month(number, cell("month"))
        post = self.post(number, cell("post"))
        level = self.level(number, cell("level"))
        term = self.term(number, month) if month is not None else None
        amounts = {}
        for name in ("base_wage", "piece_pay", "skill_allowance", "other_pay", "overtime_pay"):
            amounts[name] = self.number(number, name, cell(name), MAX_AMOUNT, required=name == "base_wage")
        hours = {}
        for name in ("overtime_weekday_hours", "overtime_rest_day_hours", "overtime_holiday_hours"):
            hours[name] = self.number(number, name, cell(name), MAX_HOURS)
        normal_raw = cell("normal_hours")
        normal_hours = (
            None if _blank(normal_raw) else self.number(number, "normal_hours", normal_raw, MAX_HOURS)
        )
        contract_raw = cell("contract_wage")
        contract_wage = (
            None if _blank(contract_raw) else self.number(number, "contract_wage", contract_raw, MAX_AMOUNT)
        )
        total_hours = sum((value for value in hours.values() if value is not None), ZERO) + (
            normal_hours or ZERO
        )
        if total_hours > MAX_HOURS:
            self.bad(
                number,
                "overtime_weekday_hours",
                f"{plain(total_hours)} hours in all is more than a month has ({plain(MAX_HOURS)})",
                "too_many_hours",
            )
        pieces = self.pieces(number, cell("process"), cell("pieces"), term)
        if (
            term is not None
            and term.overtime.basis == "contract"
            and contract_wage is None
            and any(value for value in hours.values())
        ):
            self.bad(
                number,
                "contract_wage",
                f"term {term.id} pays overtime on the contract wage: give it for rows with overtime",
                "required",
            )
        if self.error_count != errors_before:
            return None
        assert (
            worker_id is not None
            and month is not None
            and post is not None
            and level is not None
            and term is not None
        )
        return WageRow(
            row=number,
            firm=firm,
            worker_id=worker_id,
            month=month,
            post=post,
            level=level,
            term=term,
            base_wage=amounts["base_wage"] or ZERO,
            piece_pay=amounts["piece_pay"] or ZERO,
            skill_allowance=amounts["skill_allowance"] or ZERO,
            other_pay=amounts["other_pay"] or ZERO,
            overtime_pay=amounts["overtime_pay"] or ZERO,
            overtime_weekday_hours=hours["overtime_weekday_hours"] or ZERO,
            overtime_rest_day_hours=hours["overtime_rest_day_hours"] or ZERO,
            overtime_holiday_hours=hours["overtime_holiday_hours"] or ZERO,
            normal_hours=normal_hours,
            contract_wage=contract_wage,
            pieces=pieces,
        )

    # -- fields -----------------------------------------------------------------------------------

    def text(self, number: int, field: str, value: Cell) -> str | None:
        if _blank(value):
            self.bad(number, field, "missing", "required")
            return None
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    def month(self, number: int, value: Cell) -> datetime.date | None:
        if _blank(value):
            self.bad(number, "month", "missing", "required")
            return None
        key = value if isinstance(value, str | datetime.date) else repr(value)
        cached = self._months.get(key)
        if cached is None:
            try:
                cached = parse_month(value)
            except ValueError as error:
                cached = str(error)
            self._months[key] = cached
        if isinstance(cached, str):
            self.bad(number, "month", cached, "month")
            return None
        return cached

    def post(self, number: int, value: Cell) -> Post | None:
        if _blank(value):
            self.bad(number, "post", "missing", "required")
            return None
        text = str(value).strip()
        if text not in self._posts:
            self._posts[text] = self.agreement.find_post(text)
        post = self._posts[text]
        if post is None:
            known = "、".join(item.name_zh for item in self.agreement.posts)
            self.bad(
                number,
                "post",
                f"post {text!r} is not in agreement {self.agreement.id} (posts: {known})",
                "unknown_post",
            )
        return post

    def level(self, number: int, value: Cell) -> Level | None:
        if _blank(value):
            self.bad(
                number,
                "level",
                "missing: give the worker's certified skill level (学徒工 for none)",
                "required",
            )
            return None
        text = str(value).strip()
        if text not in self._levels:
            self._levels[text] = find_level(text)
        level = self._levels[text]
        if level is None:
            names = "、".join(item.name_zh for item in reference().levels)
            self.bad(number, "level", f"unknown skill level {text!r} (levels: {names})", "unknown_level")
        return level

    def term(self, number: int, month: datetime.date) -> Term | None:
        if month not in self._terms:
            self._terms[month] = self.agreement.term_for(month)
        term = self._terms[month]
        if term is None:
            self.bad(
                number,
                "month",
                f"{month_text(month)} is outside every term of agreement {self.agreement.id} ({self.agreement.coverage_text()})",
                "month_outside_agreement",
            )
            return None
        period = self.agreement.statutory.period_for(month)
        if period is None or self.agreement.region_tier not in period.monthly:
            self.bad(
                number,
                "month",
                f"no statutory minimum for {month_text(month)} in table {self.agreement.statutory.id}",
                "no_statutory_minimum",
            )
            return None
        return term

    def number(
        self, number: int, field: str, value: Cell, maximum: Decimal, *, required: bool = False
    ) -> Decimal | None:
        """A non-negative amount or count with at most two decimals; blank is 0 unless required."""
        if _blank(value):
            if required:
                self.bad(number, field, "missing", "required")
                return None
            return ZERO
        try:
            if isinstance(value, str):
                try:
                    result = Decimal(value)
                except InvalidOperation:
                    result = to_decimal(value)
            else:
                result = to_decimal(value)
        except NotAnAmountError as error:
            self.bad(number, field, str(error), "not_a_number")
            return None
        if not result.is_finite():
            self.bad(number, field, f"expected a finite number, got {value!r}", "not_a_number")
            return None
        if result < 0:
            self.bad(number, field, f"{_short(result)} is negative", "negative")
            return None
        if result > maximum:
            self.bad(
                number,
                field,
                f"{_short(result)} is above the plausible maximum {plain(maximum)}",
                "too_large",
            )
            return None
        exponent = result.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2 and result != result.quantize(FEN):
            self.bad(
                number, field, f"{_short(result)} has more than two decimals (fen / hundredths)", "precision"
            )
            return None
        return result

    def pieces(
        self, number: int, process_cell: Cell, pieces_cell: Cell, term: Term | None
    ) -> tuple[tuple[Process, Decimal], ...]:
        if _blank(process_cell) and _blank(pieces_cell):
            return ()
        names = [part.strip() for part in _LIST_SEPARATORS.split(str(process_cell or "")) if part.strip()]
        counts_text = [
            part.strip() for part in _LIST_SEPARATORS.split(_cell_text(pieces_cell)) if part.strip()
        ]
        if len(names) != len(counts_text):
            self.bad(
                number,
                "pieces",
                f"{len(names)} processes but {len(counts_text)} counts: give one count per process, separated by ';'",
                "pieces_mismatch",
            )
            return ()
        result = []
        for name, count_text in zip(names, counts_text, strict=True):
            process = self.agreement.find_process(name)
            count = self.number(number, "pieces", count_text, MAX_PIECES)
            if process is None:
                known = "、".join(item.name_zh for item in self.agreement.processes) or "none"
                self.bad(
                    number,
                    "process",
                    f"process {name!r} is not in agreement {self.agreement.id} (processes: {known})",
                    "unknown_process",
                )
                continue
            if term is not None and process.id not in term.piece_rates:
                self.bad(
                    number,
                    "process",
                    f"term {term.id} agrees no piece rate for {process.name_zh}",
                    "no_piece_rate",
                )
                continue
            if count is not None:
                result.append((process, count))
        return tuple(result)


def _blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _short(value: Decimal) -> str:
    text = plain(value)
    return text if len(text) <= 24 else f"{value:.6E}"
