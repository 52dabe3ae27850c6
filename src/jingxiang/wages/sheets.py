"""Reading wage files: CSV (UTF-8 or GB18030, as Chinese Excel saves it) and .xlsx, row by row.

A reader yields ``(row number, cells)`` with the row numbers the user sees in the spreadsheet, so
that every error can name its row. Cells are text, numbers (``float``/``int`` as openpyxl gives
them), dates or ``None``.

The .xlsx reader uses openpyxl to open the workbook (sheet names and paths, shared strings, which
styles are dates, the date epoch), then walks the first sheet's XML with expat callbacks of its
own: openpyxl's general cell parser costs about 10 s for 63,000 rows × 17 columns, this about a
tenth of that. If openpyxl's internals ever change shape, it falls back to openpyxl's own rows.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.parsers import expat

import openpyxl
from openpyxl.utils.datetime import from_excel

from jingxiang.wages.model import collector_paused

Cell = str | int | float | bool | datetime.datetime | datetime.date | None


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
        source = workbook._archive.open(sheet._worksheet_path)  # type: ignore[attr-defined]  # openpyxl read-only internals, for speed; AttributeError falls back
        shared = sheet._shared_strings  # type: ignore[attr-defined]  # openpyxl read-only internals, for speed; AttributeError falls back
        date_styles = set(workbook._date_formats)  # type: ignore[attr-defined]  # openpyxl read-only internals, for speed; AttributeError falls back
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


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_C, _ROW_TAG, _V, _T, _F = (f"{_MAIN}|{name}" for name in ("c", "row", "v", "t", "f"))
_DIGITS = "0123456789"


def _column_index(letters: str) -> int:
    """0-based column index of a column's letters (``A`` → 0, ``AB`` → 27)."""
    index = 0
    for character in letters:
        index = index * 26 + ord(character) - 64
    return index - 1


class _SheetHandler:
    """Expat callbacks collecting a worksheet's rows.

    expat's callbacks build no element objects, which makes this about twice as fast as
    ``ElementTree.iterparse`` on a 63,000-row sheet. Tags are matched with their namespace, so a
    sheet written with a prefix (``x:c``) reads the same as one written without.
    """

    def __init__(self, shared: list[str], date_styles: set[int], epoch: datetime.datetime) -> None:
        self.shared = shared
        self.date_styles = {str(style) for style in date_styles}
        self.epoch = epoch
        self.rows: list[tuple[int, tuple[Cell, ...]]] = []
        self.cells: list[Cell] = []
        self.row_number = 0
        self.kind: str | None = None
        self.style: str | None = None
        self.has_formula = False
        self.text: list[str] = []
        self.collecting = False
        self.columns: dict[str, int] = {}

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if name == _C:
            reference = attributes.get("r")
            if reference:
                letters = reference.rstrip(_DIGITS)
                column = self.columns.get(letters)
                if column is None:
                    column = self.columns[letters] = _column_index(letters)
                if column > len(self.cells):
                    self.cells.extend([None] * (column - len(self.cells)))
            self.kind = attributes.get("t")
            self.style = attributes.get("s")
            self.has_formula = False
            self.text = []
        elif name in (_V, _T):
            self.collecting = True
        elif name == _F:
            self.has_formula = True
        elif name == _ROW_TAG:
            reference = attributes.get("r")
            self.row_number = int(reference) if reference else self.row_number + 1
            self.cells = []

    def end(self, name: str) -> None:
        if name == _C:
            self.cells.append(self.value())
        elif name in (_V, _T):
            self.collecting = False
        elif name == _ROW_TAG:
            self.rows.append((self.row_number, tuple(self.cells)))

    def characters(self, data: str) -> None:
        if self.collecting:
            self.text.append(data)

    def value(self) -> Cell:
        text = "".join(self.text) if self.text else None
        kind = self.kind
        if kind == "inlineStr":
            return text
        if not text:
            return CellError("formula without a saved value") if self.has_formula else None
        if kind == "s":
            return self.shared[int(text)]
        if kind == "str":
            return text
        if kind == "b":
            return text == "1"
        if kind == "e":
            return CellError(text)
        if kind == "d":
            return datetime.datetime.fromisoformat(text)
        number = float(text)
        if self.style is not None and self.style in self.date_styles:
            moment: datetime.datetime = from_excel(number, self.epoch)
            return moment
        if number.is_integer() and "." not in text and "E" not in text and "e" not in text:
            return int(text)
        return number


def _fast_rows(
    workbook: Any, source: Any, shared: list[str], date_styles: set[int], epoch: datetime.datetime
) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    handler = _SheetHandler(shared, date_styles, epoch)
    # The stdlib parser openpyxl itself uses; expat (>= 2.4) caps entity amplification and never
    # fetches external entities, so a hostile workbook cannot blow up memory or reach the network.
    parser = expat.ParserCreate(namespace_separator="|")
    parser.buffer_text = True
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.characters
    try:
        with collector_paused():
            parser.ParseFile(source)
    except (expat.ExpatError, ValueError, IndexError, OverflowError) as error:
        raise SheetError(f"the worksheet cannot be read (row {handler.row_number + 1}): {error}") from error
    finally:
        source.close()
        workbook.close()
    return iter(handler.rows)
