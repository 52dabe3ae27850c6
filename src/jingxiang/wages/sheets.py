"""Reading wage files: CSV (UTF-8 or GB18030, as Chinese Excel saves it) and .xlsx, row by row.

A reader yields ``(row number, cells)`` with the row numbers the user sees in the spreadsheet, so
that every error can name its row. Cells are text, numbers (``float``/``int`` as openpyxl gives
them), dates or ``None``.

The .xlsx reader uses openpyxl to open the workbook (sheet names and paths, shared strings, which
styles are dates, the date epoch), then walks the first sheet's XML with a lean loop of its own:
openpyxl's general cell parser costs about 10 s for 63,000 rows × 17 columns, this loop about a
third of that. If openpyxl's internals ever change shape, it falls back to openpyxl's own rows.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError, iterparse

import openpyxl
from openpyxl.utils.datetime import from_excel

Cell = str | int | float | bool | datetime.datetime | datetime.date | None

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _FORMULA, _INLINE = f"{_NS}row", f"{_NS}c", f"{_NS}v", f"{_NS}f", f"{_NS}is"


class SheetError(ValueError):
    """The file cannot be read as a table at all (not CSV/xlsx, corrupt, empty)."""


class CellError(str):
    """A cell Excel marks as an error (``#N/A``) or a formula saved without its value."""

    __slots__ = ()


def read_table(path: str | Path) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    """Rows of a .csv or .xlsx file, by extension; raises :class:`SheetError` for unreadable files."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv_bytes(_read_bytes(path))
    if suffix in {".xlsx", ".xlsm"}:
        return read_xlsx(path)
    if suffix == ".xls":
        raise SheetError(
            "old .xls workbooks are not read: save the file as .xlsx (Excel 2007 or later) or .csv"
        )
    raise SheetError(f"{path.name}: give a .csv or .xlsx file")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise SheetError(f"cannot read {path}: {error.strerror or error}") from error


def read_csv_bytes(data: bytes) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    """CSV rows; UTF-8 (with or without BOM) first, then GB18030, the encoding of a Chinese Excel's CSV."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SheetError("the CSV file is neither UTF-8 nor GB18030 text")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows() -> Iterator[tuple[int, tuple[Cell, ...]]]:
        try:
            for row in reader:
                yield reader.line_num, tuple(row)
        except csv.Error as error:
            raise SheetError(f"CSV line {reader.line_num}: {error}") from error

    return rows()


def read_xlsx(path: str | Path) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, TypeError) as error:
        raise SheetError(f"cannot open the workbook: {error}") from error
    if not workbook.worksheets:
        raise SheetError("the workbook has no worksheet")
    sheet = workbook.worksheets[0]
    try:
        source = workbook._archive.open(sheet._worksheet_path)
        shared = sheet._shared_strings
        date_styles = set(workbook._date_formats)
        epoch = workbook.epoch
    except (AttributeError, KeyError):
        return _openpyxl_rows(workbook, sheet)
    return _fast_rows(workbook, source, shared, date_styles, epoch)


def _openpyxl_rows(workbook: Any, sheet: Any) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    try:
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, tuple(row)
    finally:
        workbook.close()


def _column(reference: str) -> int:
    """0-based column index of a cell reference such as ``AB12``."""
    index = 0
    for character in reference:
        if "A" <= character <= "Z":
            index = index * 26 + ord(character) - 64
        else:
            break
    return index - 1


def _fast_rows(
    workbook: Any, source: Any, shared: list[str], date_styles: set[int], epoch: datetime.datetime
) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    row_number = 0
    cells: list[Cell] = []
    try:
        # The stdlib parser openpyxl itself uses; expat (>= 2.4) caps entity amplification and never
        # fetches external entities, so a hostile workbook cannot blow up memory or reach the network.
        for _, element in iterparse(source):  # noqa: S314
            tag = element.tag
            if tag == _CELL:
                reference = element.get("r")
                if reference:
                    column = _column(reference)
                    if column > len(cells):
                        cells.extend([None] * (column - len(cells)))
                kind = element.get("t")
                text = element.findtext(_VALUE) or None
                value: Cell
                if kind == "s":
                    value = shared[int(text)] if text else None
                elif kind == "inlineStr":
                    inline = element.find(_INLINE)
                    value = "".join(inline.itertext()) if inline is not None else None
                elif text is None:
                    value = (
                        CellError("formula without a saved value")
                        if element.find(_FORMULA) is not None
                        else None
                    )
                elif kind == "str":
                    value = text
                elif kind == "b":
                    value = text == "1"
                elif kind == "e":
                    value = CellError(text)
                elif kind == "d":
                    value = datetime.datetime.fromisoformat(text)
                else:
                    number = float(text)
                    style = element.get("s")
                    if style and int(style) in date_styles:
                        value = from_excel(number, epoch)
                    else:
                        value = (
                            int(number)
                            if number.is_integer() and "." not in text and "E" not in text
                            else number
                        )
                cells.append(value)
            elif tag == _ROW:
                reference = element.get("r")
                row_number = int(reference) if reference else row_number + 1
                yield row_number, tuple(cells)
                cells = []
                element.clear()
    except (ParseError, ValueError, IndexError, OverflowError) as error:
        raise SheetError(f"the worksheet cannot be read (row {row_number + 1}): {error}") from error
    finally:
        source.close()
        workbook.close()
