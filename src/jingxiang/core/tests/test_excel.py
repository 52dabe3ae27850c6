from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from jingxiang.core.excel import build_workbook, safe_cell


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", '=HYPERLINK("http://x")', "＝1+1"])
def test_formula_triggers_are_neutralised(value):
    assert safe_cell(value) == "'" + value
    workbook = load_workbook(io.BytesIO(build_workbook(["h"], [[value]])))
    cell = workbook.active["A2"]
    assert cell.data_type == "s"
    assert not str(cell.value).startswith(("=", "+", "-", "@", "＝"))


def test_plain_values_pass_through():
    assert safe_cell("康波") == "康波"
    assert safe_cell(12) == 12
    assert safe_cell(None) == ""
