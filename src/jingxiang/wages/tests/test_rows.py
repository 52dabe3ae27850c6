"""Bad wage rows are refused with the row and field named; nothing is checked when any row is bad."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from jingxiang.wages import RowsRejectedError, check_file, parse_rows, read_csv_bytes, read_table
from jingxiang.wages.rows import COLUMNS, MAX_LISTED_PROBLEMS
from jingxiang.wages.tests.conftest import HEADER, agreement, check, csv_bytes, wage

D = Decimal


def rejected(rows: list[dict], header: tuple[str, ...] = HEADER) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(RowsRejectedError) as raised:
        parse_rows(agreement(), read_csv_bytes(csv_bytes(rows, header)))
    return [(problem.row, problem.field, problem.code) for problem in raised.value.problems]


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"overtime_weekday_hours": "-2"}, "overtime_weekday_hours", "negative"),
        ({"base_wage": "-0.01"}, "base_wage", "negative"),
        ({"post": "喷漆"}, "post", "unknown_post"),
        ({"level": ""}, "level", "required"),
        ({"level": "大师"}, "level", "unknown_level"),
        ({"month": "2025-09"}, "month", "month_outside_agreement"),
        ({"month": "2024-13"}, "month", "month"),
        ({"month": ""}, "month", "required"),
        ({"worker_id": ""}, "worker_id", "required"),
        ({"base_wage": ""}, "base_wage", "required"),
        ({"base_wage": "abc"}, "base_wage", "not_a_number"),
        ({"base_wage": "NaN"}, "base_wage", "not_a_number"),
        ({"base_wage": "Infinity"}, "base_wage", "not_a_number"),
        ({"base_wage": "2373.001"}, "base_wage", "precision"),
        ({"base_wage": "1e400"}, "base_wage", "too_large"),
        ({"base_wage": "9" * 5000}, "base_wage", "too_large"),
        ({"overtime_holiday_hours": "745"}, "overtime_holiday_hours", "too_large"),
        (
            {"normal_hours": "600", "overtime_weekday_hours": "200"},
            "overtime_weekday_hours",
            "too_many_hours",
        ),
        ({"process": "抛光", "pieces": "10;20"}, "pieces", "pieces_mismatch"),
        ({"process": "喷漆", "pieces": "10"}, "process", "unknown_process"),
        ({"process": "抛光", "pieces": "-10"}, "pieces", "negative"),
    ],
)
def test_bad_row_names_row_and_field(values: dict, field: str, code: str) -> None:
    problems = rejected([wage(worker_id="W0"), wage(**values)])
    assert (3, field, code) in problems, problems


def test_every_bad_row_is_listed_and_no_row_is_checked() -> None:
    problems = rejected(
        [
            wage(worker_id="A", post="喷漆"),
            wage(worker_id="B"),
            wage(worker_id="C", overtime_weekday_hours="-1"),
        ]
    )
    assert [(row, field) for row, field, _ in problems] == [(2, "post"), (4, "overtime_weekday_hours")]


def test_the_same_worker_twice_in_a_month_is_refused() -> None:
    assert (3, "worker_id", "duplicate_row") in rejected([wage(), wage()])
    check([wage(), wage(month="2023-12", base_wage="2373")])  # other months are fine


def test_a_missing_required_column_is_named() -> None:
    header = tuple(name for name in HEADER if name != "level")
    assert rejected([wage()], header) == [(1, "level", "missing_column")]


def test_a_process_without_a_rate_in_the_term_is_refused() -> None:
    data = agreement()
    term = data.terms[0]
    rates = dict(term.piece_rates)
    rates.pop("edge")
    object.__setattr__(term, "piece_rates", rates)
    with pytest.raises(RowsRejectedError) as raised:
        parse_rows(data, read_csv_bytes(csv_bytes([wage(process="磨边", pieces="5")])))
    assert raised.value.problems[0].code == "no_piece_rate"


def test_contract_basis_needs_the_contract_wage_when_there_is_overtime() -> None:
    from jingxiang.wages.tests.conftest import agreement_data

    target = agreement(agreement_data(term={"overtime": {"basis": "contract"}}))
    with pytest.raises(RowsRejectedError) as raised:
        parse_rows(target, read_csv_bytes(csv_bytes([wage(overtime_weekday_hours="3", overtime_pay="100")])))
    assert [(problem.field, problem.code) for problem in raised.value.problems] == [
        ("contract_wage", "required")
    ]


def test_problem_list_is_capped_but_counted() -> None:
    rows = [wage(worker_id=f"W{index}", post="喷漆") for index in range(MAX_LISTED_PROBLEMS + 5)]
    with pytest.raises(RowsRejectedError) as raised:
        parse_rows(agreement(), read_csv_bytes(csv_bytes(rows)))
    assert len(raised.value.problems) == MAX_LISTED_PROBLEMS + 1
    assert "5 more problems" in raised.value.problems[-1].message


def test_empty_files_are_refused() -> None:
    with pytest.raises(RowsRejectedError):
        parse_rows(agreement(), read_csv_bytes(b""))
    with pytest.raises(RowsRejectedError):
        parse_rows(agreement(), read_csv_bytes(csv_bytes([])))


def test_chinese_header_gb18030_thousands_separators_and_unknown_columns() -> None:
    header = ("工号", "月份", "岗位", "认定等级", "基本工资", "技能津贴", "备注")
    text = "\n".join([",".join(header), 'W1,2024-01,装配,初级工,"2,400.00",¥100,新员工'])
    rows, warnings = parse_rows(agreement(), read_csv_bytes(text.encode("gb18030")))
    assert rows[0].base_wage == D("2400.00") and rows[0].skill_allowance == D("100")
    assert [warning.code for warning in warnings] == ["unknown_column"]


def test_documented_header_matches_the_columns() -> None:
    from jingxiang.wages import header_text

    assert header_text().split(",") == [column.label_zh for column in COLUMNS]
    assert header_text().startswith("企业,工号,月份,岗位,认定等级,基本工资")


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_xlsx_reader_matches_openpyxl_with_dates_numbers_and_gaps(tmp_path: Path) -> None:
    rows = [
        ["工号", "月份", "岗位", "认定等级", "基本工资", "技能津贴", "工作日加班小时"],
        ["W1", datetime.datetime(2024, 1, 1), "装配", "中级工", 2700, 0.1, None],
        [1002, "2024-01", "验光", "技师", 3900.5, None, 7.25],
        [],
        ["W3", "2024-01", "装配", "学徒工", 2373, True, 1e-7],
    ]
    path = _workbook(tmp_path / "wages.xlsx", rows)
    fast = [cells for _, cells in read_table(path)]
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    reference = [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()

    def trimmed(row: tuple) -> tuple:
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        return tuple(values)

    assert [trimmed(row) for row in fast] == [
        trimmed(row) for row in reference if any(cell is not None for cell in row)
    ]


def test_xlsx_file_is_checked_like_csv(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "wages.xlsx",
        [
            ["企业", "工号", "月份", "岗位", "认定等级", "基本工资", "加班工资", "工作日加班小时"],
            ["康波", "W1", "2024-01", "装配", "学徒工", 2373, 20.46, 1],
            ["康波", "W2", datetime.date(2024, 1, 1), "装配", "学徒工", 2372.99, 0, None],
        ],
    )
    report = check_file(agreement(), path)
    assert [result.passed for result in report.results] == [True, False]
    assert report.results[1].row.row == 3


def test_xlsx_formula_without_a_saved_value_is_an_error(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "wages.xlsx",
        [["工号", "月份", "岗位", "认定等级", "基本工资"], ["W1", "2024-01", "装配", "学徒工", "=2000+373"]],
    )
    with pytest.raises(RowsRejectedError) as raised:
        check_file(agreement(), path)
    assert [(problem.row, problem.field, problem.code) for problem in raised.value.problems] == [
        (2, "base_wage", "cell_error")
    ]


def test_unreadable_files_are_refused_cleanly(tmp_path: Path) -> None:
    broken = tmp_path / "wages.xlsx"
    broken.write_bytes(b"not a zip")
    old = tmp_path / "wages.xls"
    old.write_bytes(b"x")
    for path in (broken, old, tmp_path / "missing.csv", tmp_path / "wages.txt"):
        with pytest.raises(RowsRejectedError) as raised:
            check_file(agreement(), path)
        assert raised.value.problems[0].code == "file"
