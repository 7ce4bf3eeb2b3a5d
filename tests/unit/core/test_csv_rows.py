"""The one CSV reader every import uses: bytes to text, rows numbered as a spreadsheet shows them, every
problem in the file found in one pass with its row and column."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Collection
from typing import Annotated, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import AfterValidator, EmailStr, StringConstraints

from learnbridge.core.csv_rows import MAX_CELL, MAX_PROBLEMS, CsvRow, CsvRows, read_rows
from learnbridge.core.csv_text import decode_csv
from learnbridge.core.errors import FieldError, Invalid


def _even(value: int) -> int:
    if value % 2:
        raise ValueError("must be even")
    return value


class Row(CsvRow):
    id: str
    name: Annotated[str, StringConstraints(max_length=20)] | None = None
    email: EmailStr | None = None
    description: str | None = None


class Numbered(CsvRow):
    a: str | None = None
    b: str | None = None
    n: Annotated[int, AfterValidator(_even)] | None = None


def read(
    text: str,
    *,
    max_cell: int = MAX_CELL,
    line_breaks_in: Collection[str] = (),
    short_rows: Literal["pad", "refuse"] = "pad",
) -> CsvRows[Row]:
    return read_rows(text, Row, max_cell=max_cell, line_breaks_in=line_breaks_in, short_rows=short_rows)


def problems(text: str, **options: object) -> list[tuple[int | None, str, str]]:
    return [(e.row, e.field, e.message) for e in read(text, **options).problems]  # type: ignore[arg-type]


def refusal(text: str, **options: object) -> FieldError:
    (error,) = read(text, **options).problems  # type: ignore[arg-type]
    return error


def test_rows_are_numbered_as_a_spreadsheet_shows_them_blank_lines_included() -> None:
    table = read('\ufeff id , NAME\r\n1,"Ada, Countess"\r\n\r\n2,Bob\r\n')
    assert table.columns == ["id", "name"]
    assert [(r.row, r.id, r.name) for r in table.rows] == [(2, "1", "Ada, Countess"), (4, "2", "Bob")]
    assert table.problems == []


def test_excels_rows_of_empty_cells_and_trailing_empty_columns_are_ignored() -> None:
    table = read("id,name,,\n1,Ada,,\n,,,\n , ,,\n2,Bob,,\n,,,\n")
    assert [(r.row, r.id) for r in table.rows] == [(2, "1"), (5, "2")]
    assert table.problems == []


def test_an_empty_text_is_a_problem_of_the_header() -> None:
    assert problems("") == [(1, "header", "the file is empty: it needs a header row")]
    assert problems("id,name\n,\n") == [(2, "row", "the file has no data rows")]


def test_every_problem_in_the_file_is_found_in_one_pass_with_row_and_column() -> None:
    text = (
        "id,name,email\n"
        "1,Ada,ada@x.org\n"
        ",Bob,not-an-email\n"  # two problems on one row
        '3,"Cy" Smith,cy@x.org\n'  # unreadable: the row is reported, reading goes on
        "4," + "x" * 21 + ",\n"
        "5,Di,di@x.org,extra\n"
        "6,Ed\x00,\n"
    )
    table = read(text)
    assert [r.id for r in table.rows] == ["1"]
    found = [(e.row, e.field) for e in table.problems]
    assert found == [(3, "id"), (3, "email"), (4, "row"), (5, "name"), (6, "row"), (7, "name")]
    messages = [e.message for e in table.problems]
    assert messages[0] == "is required"
    assert messages[1].startswith("value is not a valid email address")
    assert messages[3] == "is longer than 20 characters"
    assert messages[4] == "has more cells than the header"
    with pytest.raises(Invalid) as caught:
        table.check()
    assert caught.value.errors == table.problems


def test_a_validators_own_words_are_the_message() -> None:
    table = read_rows("a,b,n\nx,y,3\nx,y,4\nx,y,z\n", Numbered)
    assert [(r.row, r.n) for r in table.rows] == [(3, 4)]
    assert (table.problems[0].row, table.problems[0].field, table.problems[0].message) == (
        2,
        "n",
        "must be even",
    )
    assert table.problems[1].field == "n" and table.problems[1].row == 4


def test_the_header_names_columns_in_any_case_and_names_each_problem_on_row_1() -> None:
    assert problems("name,salary,Name\n,1,\n") == [
        (1, "id", "required column is missing"),
        (1, "salary", "is not a column of this file"),
        (1, "name", "the column appears twice"),
    ]
    assert problems("id,,name\n1,,Ada\n") == [(1, "column 2", "a column needs a name")]
    ignored = read_rows("id,salary\n1,100\n", Row, unknown="ignore")
    assert (ignored.columns, ignored.problems) == (["id"], [])


def test_a_short_row_is_padded_or_refused() -> None:
    assert [r.name for r in read("id,name\n1\n").rows] == [None]
    assert problems("id,name\n1\n", short_rows="refuse") == [
        (2, "row", "has 1 cells but the header has 2 (an empty value still needs its comma)")
    ]


def test_reading_stops_after_so_many_problems_and_says_so() -> None:
    table = read("id,name\n" + ",Ada\n" * (MAX_PROBLEMS + 50))
    assert len(table.problems) == MAX_PROBLEMS + 1
    last = table.problems[-1]
    assert (last.row, last.field) == (None, "file") and "stopped after 1,000 problems" in last.message


def test_a_stray_quote_names_the_row_where_it_opened_instead_of_merging_rows() -> None:
    error = refusal('id,name\n1,Ada\n2,"Bob\n3,Cy\n4,Di\n')
    assert error.row == 3
    assert 'a quote opened on row 3 is never closed on that row — check for a stray " character' in (
        error.message
    )


def test_a_stray_quote_closed_by_a_later_one_is_refused_too() -> None:
    """The quote pairs with one lines later: without the check, rows 3 to 5 would be one cell."""
    table = read('id,name\n1,Ada\n2,"Bob\n3,Cy\n4,Di"\n5,Ed\n')
    (error,) = table.problems
    assert (error.row, error.field) == (3, "name")
    assert "a quote opened on row 3 is never closed" in error.message
    assert [r.id for r in table.rows] == ["1", "5"]  # the rows after it are still read


def test_a_quoted_cell_may_span_lines_only_in_a_column_that_allows_it() -> None:
    text = 'id,description\n1,"<p>one</p>\n<p>two</p>"\n2,plain\n'
    assert refusal(text).row == 2
    table = read(text, line_breaks_in={"description"})
    assert [(r.row, r.description) for r in table.rows] == [(2, "<p>one</p>\n<p>two</p>"), (3, "plain")]


def test_text_after_a_closing_quote_is_refused_not_glued_on() -> None:
    error = refusal('id,name\n1,"Ada" Lovelace\n')
    assert (error.row, error.field) == (2, "row")
    assert 'has text after a closing quote — check for a stray " character' in error.message


def test_a_nul_byte_is_refused_with_its_row_and_column() -> None:
    error = refusal("id,name\n1,Ada\n2,B\x00b\n")
    assert (error.row, error.field) == (3, "name")
    assert "contains a NUL byte" in error.message


def test_a_lone_carriage_return_is_refused() -> None:
    assert read("id,name\r1,Ada\r").problems[0].row == 1
    error = refusal('id,name\n1,"Ada\rLovelace"\n')
    assert (error.row, error.field, error.message) == (
        2,
        "name",
        "holds a line break, which a cell cannot hold",
    )


def test_a_cell_over_the_limit_is_refused_with_its_row_and_column() -> None:
    error = refusal("id,name\n1,Ada\n2," + "x" * 51 + "\n", max_cell=50)
    assert (error.row, error.field, error.message) == (3, "name", "is longer than 50 characters")
    huge = refusal("id,name\n1," + "x" * 200_000 + "\n")  # past the csv module's own limit as well
    assert huge.row == 2 and "longer than 10,000 characters" in huge.message


def test_utf8_with_or_without_a_byte_order_mark_is_read() -> None:
    text = "id,name\n1,Zoë\n"
    assert decode_csv(text.encode()) == text
    assert decode_csv(codecs.BOM_UTF8 + text.encode()) == text
    assert decode_csv(text.encode("utf-16")) == text  # with its byte order mark


def test_windows_1252_as_excel_saves_it_is_decoded() -> None:
    assert decode_csv("id,name\n1,Zoë “Zo” Müller, 5 €\n".encode("cp1252")) == (
        "id,name\n1,Zoë “Zo” Müller, 5 €\n"
    )


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04\x14\x00\x06\x00", b"id,name\n1,Zo\x81\n", b"\xff\xd8\xff\xe0\x00\x10JFIF"],
    ids=["xlsx", "undefined-in-1252", "binary"],
)
def test_what_is_not_csv_text_is_refused_in_one_line(data: bytes) -> None:
    with pytest.raises(Invalid) as caught:
        decode_csv(data, field="upload.csv")
    (error,) = caught.value.errors
    assert error.field == "upload.csv" and error.row is None
    assert "\n" not in error.message and "CSV UTF-8" in error.message


# Control characters apart: Python's str.strip and Pydantic's differ on a few (U+001C to U+001F).
cells = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=20)


@given(st.lists(st.lists(cells, min_size=2, max_size=2), min_size=1, max_size=20))
def test_whatever_the_csv_module_writes_reads_back_cell_for_cell(table: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["a", "b"], *table])
    read_back = read_rows(buffer.getvalue(), Numbered)
    # A row of empty cells is no row; every other row reads back, stripped, an empty cell as None.
    kept = [(number, row) for number, row in enumerate(table, start=2) if any(c.strip() for c in row)]
    assert read_back.problems == (
        [] if kept else [FieldError(row=2, field="row", message="the file has no data rows")]
    )
    assert [(r.row, r.a, r.b) for r in read_back.rows] == [
        (number, a.strip() or None, b.strip() or None) for number, (a, b) in kept
    ]


def test_a_semicolon_file_as_european_excel_saves_it_is_read_quotes_and_blank_lines_included() -> None:
    text = (
        "\ufeffid;name;description\r\n"
        '1;"Ada; Countess";"Lovelace, Ada ""the first"""\r\n'
        "\r\n"  # a blank line: the rows after it keep the numbers an editor shows
        ";;\r\n"  # Excel's row of empty cells, with semicolons
        "2;Bob, Jr;a;b\r\n"  # a fourth cell: too many
        "3;Cy;plain, with a comma\r\n"
    )
    table = read(text)
    assert table.columns == ["id", "name", "description"]
    assert [(r.row, r.id, r.name, r.description) for r in table.rows] == [
        (2, "1", "Ada; Countess", 'Lovelace, Ada "the first"'),
        (6, "3", "Cy", "plain, with a comma"),
    ]
    assert problems(text) == [(5, "row", "has more cells than the header")]
    assert problems("id;name\n1\n", short_rows="refuse") == [
        (2, "row", "has 1 cells but the header has 2 (an empty value still needs its semicolon)")
    ]


def test_excels_sep_line_names_the_separator_and_keeps_its_line_number() -> None:
    table = read("sep=;\nid;name\n1;Ada, Countess\n\n2;\n")
    assert [(r.row, r.id, r.name) for r in table.rows] == [(3, "1", "Ada, Countess"), (5, "2", None)]
    assert problems("sep=,\nid,name\n,Ada\n") == [(3, "id", "is required")]


def test_comma_stays_the_default_and_a_semicolon_inside_a_cell_changes_nothing() -> None:
    table = read("id,name\n1,Ada;Bob\n2,Cy\n")
    assert [(r.row, r.name) for r in table.rows] == [(2, "Ada;Bob"), (3, "Cy")]
    # Neither separator splits a one-column header: read with commas, as always.
    assert problems("id\n1\n") == []


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("id\tname\n1\tAda\n", "this file is separated by tabs, which this import does not read"),
        ("id|name\n1|Ada\n", "this file is separated by vertical bars (|), which this import does not read"),
        ("sep=:\nid:name\n1:Ada\n", "this file is separated by ':' characters (:), which this import"),
    ],
    ids=["tab", "vertical-bar", "sep-line"],
)
def test_a_file_separated_by_something_else_is_refused_naming_it(text: str, named: str) -> None:
    (error,) = read(text).problems
    assert (error.row, error.field) == (1, "header")
    assert error.message.startswith(named) and "commas (,) or semicolons (;)" in error.message


def test_a_header_that_reads_as_well_with_commas_as_with_semicolons_is_refused_naming_both() -> None:
    (error,) = read("id;name,email\n1;Ada,ada@x.org\n").problems
    assert (error.row, error.field) == (1, "header")
    assert error.message.startswith(
        "this file is separated by commas (,) and by semicolons (;) alike, so its columns are unclear"
    )


def test_the_separator_is_the_one_that_splits_the_header_into_more_column_names() -> None:
    assert read("id;name;email\n1;Ada;ada@x.org\n").rows[0].email == "ada@x.org"
    # Both split it in two, but with commas neither "id;name" nor "x" is a column; with semicolons "id" is.
    table = read_rows("id;name,x\n1;Ada\n", Row, unknown="ignore")
    assert ([(r.row, r.id) for r in table.rows], table.problems) == ([(2, "1")], [])


def test_blank_lines_before_the_header_count_in_every_row_number() -> None:
    text = "\n \n,,\nname,salary\n,1\n"
    assert problems(text) == [
        (4, "id", "required column is missing"),
        (4, "salary", "is not a column of this file"),
    ]
    assert problems("\n\nid,name\n") == [(4, "row", "the file has no data rows")]
    table = read("\n\nid;name\n1;Ada\n\n;Bob\n")
    assert [r.row for r in table.rows] == [4]
    assert [(e.row, e.field) for e in table.problems] == [(6, "id")]


@given(st.lists(st.lists(cells, min_size=2, max_size=2), min_size=1, max_size=20))
def test_whatever_the_csv_module_writes_with_semicolons_reads_back_cell_for_cell(
    table: list[list[str]],
) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([["a", "b"], *table])
    read_back = read_rows(buffer.getvalue(), Numbered)
    kept = [(number, row) for number, row in enumerate(table, start=2) if any(c.strip() for c in row)]
    assert [(r.row, r.a, r.b) for r in read_back.rows] == [
        (number, a.strip() or None, b.strip() or None) for number, (a, b) in kept
    ]
