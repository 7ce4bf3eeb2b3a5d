"""CSV exports that are safe to open in a spreadsheet.

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel, LibreOffice and
Google Sheets as a formula, so a name or reason typed into Learnbridge could run one on an admin's
machine (CSV injection). Following OWASP's rule, such a cell gets a leading apostrophe, which the
spreadsheet shows as text. Every export goes through `csv_response`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from starlette.responses import StreamingResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """The cell as text a spreadsheet will not evaluate."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """Each row as one CSV line, every cell neutralised."""
    for row in rows:
        buffer = io.StringIO()
        csv.writer(buffer).writerow([safe_cell(cell) for cell in row])
        yield buffer.getvalue()


def csv_response(rows: Iterable[list[str]], filename: str) -> StreamingResponse:
    """Stream rows as a CSV download."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return StreamingResponse(csv_lines(rows), media_type="text/csv; charset=utf-8", headers=headers)
