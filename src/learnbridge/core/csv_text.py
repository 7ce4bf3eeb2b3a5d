"""CSV text before it is rows: the bytes decoded (UTF-8 with or without BOM, UTF-16, Windows-1252) and the
separator found from the header line (comma or semicolon, as European Excel saves; an Excel `sep=` line says
it outright; tabs and vertical bars are refused with a hint naming them). core.csv_rows reads the rows."""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable

from learnbridge.core.errors import FieldError, Invalid

SAVE_AS = 'save it from the spreadsheet as "CSV UTF-8 (Comma delimited)"'
SEPARATORS = {",": ("comma", "commas"), ";": ("semicolon", "semicolons")}
_OTHER_SEPARATORS = {"\t": ("tab", "tabs"), "|": ("vertical bar", "vertical bars")}
_EOL = re.compile(r"\r\n|\r|\n")
_SEP_LINE = re.compile(r"sep=(.)", re.IGNORECASE)  # Excel's first-line directive naming the separator


def decode_csv(data: bytes, *, field: str = "file") -> str:
    """A CSV file's text: UTF-8 (a byte order mark dropped), UTF-16 with its byte order mark, or else
    Windows-1252, which Excel's "CSV (Comma delimited)" writes on a Western Windows. What is none of
    these (a workbook, a binary file) is refused in one line."""
    if data.startswith(b"PK\x03\x04"):  # a zip: an .xlsx workbook, most likely
        raise Invalid(field=field, message=f"is not a CSV text file: {SAVE_AS}")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16", field, "is not valid UTF-16 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:  # binary
        raise Invalid(field=field, message=f"is not a CSV text file: {SAVE_AS}")
    return _decode(data, "cp1252", field, "is neither UTF-8 nor Windows-1252 text")


def _decode(data: bytes, encoding: str, field: str, problem: str) -> str:
    try:
        return data.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError:
        raise Invalid(field=field, message=f"{problem}: {SAVE_AS}") from None


def find_separator(
    text: str, names: Callable[[list[str]], int], problems: list[FieldError]
) -> tuple[str, str]:
    """The text to read (an Excel `sep=` line blanked, so the lines keep their numbers) and its separator:
    the one that splits the header into the most column names (then the most cells). A header that reads
    as well either way is refused, and so is one that only another separator splits: read with a comma,
    either would give wrong columns or rows of one long cell."""
    found = _header_line(text)
    if found is None:
        return text, ","
    number, start, line = found
    if directive := _SEP_LINE.fullmatch(line.strip()):
        text = text[:start] + text[start + len(line) :]
        char = directive.group(1)
        if char not in SEPARATORS:
            problems.append(FieldError(row=number, field="header", message=_unsupported(char)))
        return text, char if char in SEPARATORS else ","
    # A stable sort: on a tie the comma, listed first, stays first.
    split = [(names(cells), len(cells), char) for char in SEPARATORS for cells in [_split(line, char)]]
    scored = sorted(split, key=lambda found: found[:2], reverse=True)
    (best, width, char), (runner_up, other_width, other) = scored[0], scored[1]
    if width > 1 and (best, width) == (runner_up, other_width):
        message = (
            f"this file is separated by {SEPARATORS[char][1]} ({char}) and by {SEPARATORS[other][1]} "
            f"({other}) alike, so its columns are unclear: use one separator throughout, or {SAVE_AS}"
        )
        problems.append(FieldError(row=number, field="header", message=message))
    elif width == 1:
        for unread in _OTHER_SEPARATORS:
            cells = _split(line, unread)
            if len(cells) > 1 and names(cells) >= best:
                problems.append(FieldError(row=number, field="header", message=_unsupported(unread)))
                break
    return text, char


def _header_line(text: str) -> tuple[int, int, str] | None:
    """The first line with more than spaces and separators: its number, where it starts, its text."""
    start, number = 0, 1
    while start < len(text):
        end = _EOL.search(text, start)
        line = text[start : end.start() if end else len(text)]
        if line.strip(" \t" + "".join(SEPARATORS)):
            return number, start, line
        if end is None:
            return None
        start, number = end.end(), number + 1
    return None


def _split(line: str, separator: str) -> list[str]:
    """The header line's cells as this separator splits it (quotes respected, errors ignored)."""
    try:
        return next(csv.reader([line], delimiter=separator), [])
    except csv.Error:
        return line.split(separator)


def _unsupported(char: str) -> str:
    many = _OTHER_SEPARATORS[char][1] if char in _OTHER_SEPARATORS else f"{char!r} characters"
    shown = "" if char == "\t" else f" ({char})"
    return (
        f"this file is separated by {many}{shown}, which this import does not read: separate its "
        f"columns with commas (,) or semicolons (;), or {SAVE_AS}"
    )
