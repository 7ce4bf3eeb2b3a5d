"""The one CSV reader every import uses: bytes to text, text to rows, rows to Pydantic row models.

Every problem in the file is found in one pass and reported as a `FieldError` naming its row, numbered as
a spreadsheet shows them (blank lines count, and so does the header: in a file without them the header is
row 1), and its column: the shape the CLI prints, the API returns in its problem JSON's `errors` and the
upload pages list. Where no cell holds a line break (in every import but Moodle's descriptions) that is
the line number an editor shows.

Columns are separated by commas, or by semicolons as Excel writes "CSV" where the decimal separator is a
comma (most of Europe); the header row tells which (an Excel `sep=;` first line says it outright). A header
that could be read either way, or one separated by something else (tabs, vertical bars), is refused with a
hint naming what was found, rather than read as one wide column.

The csv module runs in strict mode (https://docs.python.org/3/library/csv.html#csv.Dialect.strict), and a
cell that holds a line break is refused unless its column allows one: a stray `"` opens a quoted cell that
swallows the following lines, and the people or records on them would silently drop out of the import.
NUL bytes (a binary file, or a broken export) and over-long cells are refused too. Blank lines and the
rows of empty cells Excel writes (`,,,,`) are skipped.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails

from learnbridge.core.csv_text import SEPARATORS, find_separator
from learnbridge.core.errors import FieldError, Invalid
from learnbridge.core.progress import Progress, no_progress

# The longest cell any import accepts, in characters (a guard against garbage, below the csv module's own
# 131,072); each import still checks its columns against the table they fill.
MAX_CELL = 10_000
# Reading stops after this many problems: enough to fix a file by, without a list the size of the file.
MAX_PROBLEMS = 1_000
_LONE_CR = re.compile(r"\r(?!\n)")
# The separators a file may use, and how a message names them.
# Separators recognised only to say so: a file using one is refused with a hint naming it.


class CsvRow(BaseModel):
    """A row model's base: `row` is the spreadsheet row the values came from (not a column). The reader
    hands a blank cell over as None, so an optional column's empty cell is None and a required one's
    "is required". Text is stripped of the spaces around it."""

    model_config = ConfigDict(str_strip_whitespace=True)

    row: int = 0


M = TypeVar("M", bound=CsvRow)


@dataclass
class CsvRows(Generic[M]):
    """What reading a file gave: its columns (as the row model names them), the rows that are valid,
    and every problem found."""

    columns: list[str]
    rows: list[M]
    problems: list[FieldError] = field(default_factory=list)

    def check(self, more: Collection[FieldError] = ()) -> None:
        """Raise Invalid listing every problem (the reader's and `more`), if there is one."""
        check_problems([*self.problems, *more])


def check_problems(problems: Collection[FieldError]) -> None:
    """Raise Invalid listing every problem, if there is one."""
    if problems:
        raise refusal(problems)


def refusal(problems: Collection[FieldError]) -> Invalid:
    """Invalid listing the problems in row order (the file's own, with no row, last)."""
    return Invalid(sorted(problems, key=lambda e: math.inf if e.row is None else e.row))


def read_rows(
    text: str,
    model: type[M],
    *,
    by_position: bool = False,
    unknown: Literal["refuse", "ignore"] = "refuse",
    extra_columns: Callable[[str], bool] = lambda name: False,
    short_rows: Literal["pad", "refuse"] = "pad",
    line_breaks_in: Collection[str] = (),
    max_cell: int = MAX_CELL,
    progress: Progress = no_progress,
) -> CsvRows[M]:
    """Every row of `text` validated by `model`, whose fields (by alias) are the columns: the header
    names them, in any order and any case, or with `by_position` they are the file's columns in the
    model's order, whatever its header says. A column only `extra_columns` accepts reaches the model
    as an extra. A row shorter than the header is padded with empty cells, or with `short_rows="refuse"`
    refused (where an empty cell clears a field, a cut-off row must not). Only the `line_breaks_in`
    columns may hold a line break."""
    known = _columns(model)
    problems: list[FieldError] = []
    names = _column_names(known, by_position, extra_columns)
    text, separator = find_separator(text.lstrip("\ufeff"), names, problems)
    if problems:
        return CsvRows([], [], problems)
    first, records = _records(text, separator, problems)
    if first is None:
        problems.append(FieldError(row=1, field="header", message="the file is empty: it needs a header row"))
        return CsvRows([], [], problems)
    if by_position:
        header, keep = _positional_header(first, list(known), problems)
    else:
        header, keep = _named_header(first, known, unknown, extra_columns, problems)
    if problems:
        return CsvRows(header, [], problems)
    reader = _RowReader(model, header, keep, short_rows, frozenset(line_breaks_in), max_cell, text, separator)
    rows: list[M] = []
    for number, cells, spans in records:
        if (found := reader.read(number, cells, spans, problems)) is not None:
            rows.append(found)
        if number % 5000 == 0:
            progress("checking", number - 1, 0)
        if len(problems) >= MAX_PROBLEMS:
            message = f"reading stopped after {len(problems):,} problems: correct these and try again"
            problems.append(FieldError(field="file", message=message))
            break
    if not rows and not problems:
        problems.append(FieldError(row=first[0] + 1, field="row", message="the file has no data rows"))
    return CsvRows([header[i] for i in keep], rows, problems)


def _columns(model: type[CsvRow]) -> dict[str, bool]:
    """The model's columns (a field's alias, or its name) and whether each is required."""
    return {
        (info.alias or name): info.is_required() for name, info in model.model_fields.items() if name != "row"
    }


def _column_names(
    known: dict[str, bool], by_position: bool, extra_columns: Callable[[str], bool]
) -> Callable[[list[str]], int]:
    """How many of a header's cells (split one way or another) name a column; by position, how many
    cells it has at all."""
    lowered = {name.lower() for name in known}

    def names(cells: list[str]) -> int:
        if by_position:
            return sum(1 for cell in cells if cell.strip())
        return sum(1 for cell in cells if cell.strip().lower() in lowered or extra_columns(cell.strip()))

    return names


def _named_header(
    first: tuple[int, list[str]],
    known: dict[str, bool],
    unknown: Literal["refuse", "ignore"],
    extra_columns: Callable[[str], bool],
    problems: list[FieldError],
) -> tuple[list[str], list[int]]:
    """The header's names (a known column's in the model's spelling) and the positions to read."""
    by_lower = {name.lower(): name for name in known}
    number = first[0]
    header = _trimmed([cell.strip() for cell in first[1]])
    header = [by_lower.get(name.lower(), name) for name in header]
    problems += [
        FieldError(row=number, field=name, message="required column is missing")
        for name, required in known.items()
        if required and name not in header
    ]
    keep: list[int] = []
    for index, name in enumerate(header):
        if name in known or extra_columns(name):
            keep.append(index)
        elif unknown == "refuse":
            message = "a column needs a name" if not name else "is not a column of this file"
            problems.append(FieldError(row=number, field=name or f"column {index + 1}", message=message))
    problems += [
        FieldError(row=number, field=name, message="the column appears twice")
        for name in sorted({header[i] for i in keep if header.count(header[i]) > 1})
    ]
    return header, keep


def _positional_header(
    first: tuple[int, list[str]], names: list[str], problems: list[FieldError]
) -> tuple[list[str], list[int]]:
    if len(_trimmed(first[1])) < len(names):
        message = f"has {len(_trimmed(first[1]))} columns; this format has {len(names)}"
        problems.append(FieldError(row=first[0], field="header", message=message))
    return names, list(range(len(names)))


def _trimmed(cells: list[str]) -> list[str]:
    """The header without the empty cells Excel leaves after the last column."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


class _RowReader(Generic[M]):
    """One data row's cells to a model: the row's shape and characters checked first, then its values."""

    def __init__(
        self,
        model: type[M],
        header: list[str],
        keep: list[int],
        short_rows: Literal["pad", "refuse"],
        line_breaks_in: frozenset[str],
        max_cell: int,
        text: str,
        separator: str,
    ) -> None:
        self.model, self.header, self.keep, self.short_rows = model, header, keep, short_rows
        self.line_breaks_in, self.max_cell, self.separator = line_breaks_in, max_cell, separator
        # Rare characters: only when the text has one are the cells searched for it.
        self.suspicious = "\x00" in text or _LONE_CR.search(text) is not None

    def read(self, number: int, cells: list[str], spans: bool, problems: list[FieldError]) -> M | None:
        before = len(problems)
        self._check_shape(number, cells, problems)
        if spans or self.suspicious:
            self._check_characters(number, cells, spans, problems)
        if max(map(len, cells)) > self.max_cell:
            index = next(i for i, cell in enumerate(cells) if len(cell) > self.max_cell)
            message = f"is longer than {self.max_cell:,} characters"
            problems.append(FieldError(row=number, field=self._name(index), message=message))
        if len(problems) > before:
            return None
        values: dict[str, object] = {"row": number}
        for index in self.keep:
            cell = cells[index] if index < len(cells) else ""
            values[self.header[index]] = cell if cell.strip() else None
        try:
            return self.model.model_validate(values)
        except ValidationError as exc:
            problems += [_field_error(number, error) for error in exc.errors(include_url=False)]
            return None

    def _check_shape(self, number: int, cells: list[str], problems: list[FieldError]) -> None:
        width = len(self.header)
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            problems.append(FieldError(row=number, field="row", message="has more cells than the header"))
        elif len(cells) < width and self.short_rows == "refuse":
            # A row cut short is refused, not read as empty cells: an empty cell clears its field.
            word = SEPARATORS[self.separator][0]
            message = (
                f"has {len(cells)} cells but the header has {width} (an empty value still needs its {word})"
            )
            problems.append(FieldError(row=number, field="row", message=message))

    def _check_characters(
        self, number: int, cells: list[str], spans: bool, problems: list[FieldError]
    ) -> None:
        for index, cell in enumerate(cells):
            name = self._name(index)
            if "\x00" in cell:
                message = "contains a NUL byte (is this really a CSV file?)"
            elif name in self.line_breaks_in or ("\r" not in cell and "\n" not in cell):
                continue
            elif spans and "\n" in cell:
                message = _stray_quote(number)
            else:
                message = "holds a line break, which a cell cannot hold"
            problems.append(FieldError(row=number, field=name, message=message))
            return

    def _name(self, index: int) -> str:
        return (
            self.header[index] if index < len(self.header) and self.header[index] else f"column {index + 1}"
        )


def _field_error(number: int, error: ErrorDetails) -> FieldError:
    """One of Pydantic's errors as (row, column, message), in the words the imports have always used."""
    column = str(error["loc"][0]) if error["loc"] else "row"
    ctx = error.get("ctx", {})
    if error["type"] == "missing" or error["input"] is None:
        message = "is required"
    elif error["type"] == "value_error" and "error" in ctx:
        message = str(ctx["error"])  # a validator's own words, without Pydantic's "Value error, "
    elif error["type"] == "string_too_long":
        message = f"is longer than {ctx['max_length']} characters"
    else:
        message = error["msg"]
    return FieldError(row=number, field=column, message=message)


def _records(
    text: str, separator: str, problems: list[FieldError]
) -> tuple[tuple[int, list[str]] | None, Iterator[_Record]]:
    """The first record with cells (the header) and an iterator over the rest, each with its number and
    whether it ran over more than one line. What the csv module cannot read is a problem of its row."""
    records = _read(text.lstrip("\ufeff"), separator, problems)
    for number, cells, _ in records:
        return (number, cells), records
    return None, records


_Record = tuple[int, list[str], bool]


def _read(text: str, separator: str, problems: list[FieldError]) -> Iterator[_Record]:
    reader = csv.reader(io.StringIO(text), delimiter=separator, strict=True)
    number = lines = 0
    while True:
        number += 1
        try:
            cells = next(reader, None)
        except csv.Error as exc:
            spans = reader.line_num > lines + 1
            lines = reader.line_num
            problems.append(FieldError(row=number, field="row", message=_unreadable(str(exc), number, spans)))
            if spans or "unexpected end of data" in str(exc):
                return  # a quote left open ran to the end of the file: nothing after it can be read
            continue
        if cells is None:
            return
        spans, lines = reader.line_num > lines + 1, reader.line_num
        if any(cell.strip() for cell in cells):  # blank lines and Excel's ",,,," (";;;;") rows are no rows
            yield number, cells, spans


def _unreadable(error: str, number: int, spans: bool) -> str:
    """The csv module's complaint, said in terms of the spreadsheet (the row where the record began)."""
    if spans or "unexpected end of data" in error:
        return _stray_quote(number)
    if "expected after" in error:
        return 'has text after a closing quote — check for a stray " character (in a quoted cell, " is "")'
    if "field larger than field limit" in error:
        return f"has a cell longer than {MAX_CELL:,} characters"
    if "new-line character" in error:
        return "has a lone carriage return (CR): save the file with ordinary (LF or CRLF) line ends"
    return f"is not valid CSV ({error})"


def _stray_quote(number: int) -> str:
    return (
        f'a quote opened on row {number} is never closed on that row — check for a stray " character '
        "(a cell cannot hold a line break)"
    )
