"""Reading CSV text strictly: every record is one spreadsheet row, or the file is refused (422).

Every CSV import reads through here, so none of them can merge rows without saying so. A stray `"`
opens a quoted cell that swallows the following lines, and the people or records on them silently
drop out of the import; so the csv module runs in strict mode
(https://docs.python.org/3/library/csv.html#csv.Dialect.strict) and a cell that holds a line break is
refused, as are NUL bytes (a binary file, or a broken export) and over-long cells. Each problem is an
`Invalid` naming its row, numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterator

from learnbridge.core.errors import FieldError, Invalid

# The longest cell any import accepts, in characters (a guard against garbage, below the csv module's own
# 131,072); each import still checks its columns against the table they fill.
MAX_CELL = 10_000
_LONE_CR = re.compile(r"\r(?!\n)")

Row = tuple[int, list[str]]


def read_csv(
    text: str, *, max_cell: int = MAX_CELL, line_breaks_in: Collection[int] = ()
) -> tuple[list[str], Iterator[Row]]:
    """The header's cells (stripped) and the data rows as (row number, cells), blank lines skipped.
    Reading raises Invalid at the first row that is not plain CSV. `line_breaks_in` lists the column
    positions whose cells may hold a line break (a Moodle description); any other may not."""
    rows = _records(text.lstrip("\ufeff"), max_cell, frozenset(line_breaks_in))
    first = next(rows, None)
    return ([cell.strip() for cell in first[1]] if first else []), rows


def _records(text: str, max_cell: int, line_breaks_in: frozenset[int]) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text), strict=True)
    # Rare characters: only when the text has one are the cells searched for it.
    suspicious = "\x00" in text or _LONE_CR.search(text) is not None
    header: list[str] = []
    number = lines = 0
    while True:
        number += 1
        try:
            cells = next(reader, None)
        except csv.Error as exc:
            spans = reader.line_num > lines + 1
            raise _unreadable(str(exc), number, spans=spans, max_cell=max_cell) from None
        if cells is None:
            return
        spans, lines = reader.line_num > lines + 1, reader.line_num
        if not cells:
            continue
        header = header or [cell.strip() for cell in cells]
        if spans or suspicious:
            _check_characters(number, cells, header, spans=spans, line_breaks_in=line_breaks_in)
        if max(map(len, cells)) > max_cell:
            index = next(i for i, cell in enumerate(cells) if len(cell) > max_cell)
            raise _refused(number, _column(header, index), f"is longer than {max_cell:,} characters")
        yield number, cells


def _check_characters(
    number: int, cells: list[str], header: list[str], *, spans: bool, line_breaks_in: frozenset[int]
) -> None:
    for index, cell in enumerate(cells):
        field = _column(header, index)
        if "\x00" in cell:
            raise _refused(number, field, "contains a NUL byte (is this really a CSV file?)")
        if index in line_breaks_in:
            continue
        if spans and "\n" in cell:
            raise _refused(number, field, _stray_quote(number))
        if "\r" in cell or "\n" in cell:
            raise _refused(number, field, "holds a line break, which a cell cannot hold")


def _unreadable(error: str, number: int, *, spans: bool, max_cell: int) -> Invalid:
    """The csv module's complaint, said in terms of the spreadsheet (the row where the record began)."""
    if spans or "unexpected end of data" in error:
        return _refused(number, "row", _stray_quote(number))
    if "expected after" in error:
        message = 'has text after a closing quote — check for a stray " character (in a quoted cell, " is "")'
    elif "field larger than field limit" in error:
        message = f"has a cell longer than {max_cell:,} characters"
    elif "new-line character" in error:
        message = "has a lone carriage return (CR): save the file with ordinary (LF or CRLF) line ends"
    else:
        message = f"is not valid CSV ({error})"
    return _refused(number, "row", message)


def _stray_quote(number: int) -> str:
    return (
        f'a quote opened on row {number} is never closed on that row — check for a stray " character '
        "(a cell cannot hold a line break)"
    )


def _column(header: list[str], index: int) -> str:
    return header[index] if index < len(header) and header[index] else f"column {index + 1}"


def _refused(number: int, field: str, message: str) -> Invalid:
    return Invalid([FieldError(row=number, field=field, message=message)])
