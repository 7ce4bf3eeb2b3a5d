"""The strict CSV reader every import uses: rows numbered as a spreadsheet shows them, or a 422 naming one."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learnbridge.core.csv_rows import MAX_CELL, read_csv
from learnbridge.core.errors import FieldError, Invalid


def read(
    text: str, *, max_cell: int = MAX_CELL, line_breaks_in: Collection[int] = ()
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    header, rows = read_csv(text, max_cell=max_cell, line_breaks_in=line_breaks_in)
    return header, list(rows)


def refusal(text: str, *, max_cell: int = MAX_CELL, line_breaks_in: Collection[int] = ()) -> FieldError:
    with pytest.raises(Invalid) as caught:
        read(text, max_cell=max_cell, line_breaks_in=line_breaks_in)
    (error,) = caught.value.errors
    return error


def test_rows_are_numbered_as_a_spreadsheet_shows_them_blank_lines_included() -> None:
    header, rows = read('\ufeff id , name\r\n1,"Ada, Countess"\r\n\r\n2,Bob\r\n')
    assert header == ["id", "name"]
    assert rows == [(2, ["1", "Ada, Countess"]), (4, ["2", "Bob"])]


def test_an_empty_text_has_no_header_and_no_rows() -> None:
    assert read("") == ([], [])


def test_a_stray_quote_names_the_row_where_it_opened_instead_of_merging_rows() -> None:
    text = 'id,name\n1,Ada\n2,"Bob\n3,Cy\n4,Di\n'
    error = refusal(text)
    assert error.row == 3
    assert 'a quote opened on row 3 is never closed on that row — check for a stray " character' in (
        error.message
    )


def test_a_stray_quote_closed_by_a_later_one_is_refused_too() -> None:
    """The quote pairs with one lines later: without the check, rows 3 to 5 would be one cell."""
    error = refusal('id,name\n1,Ada\n2,"Bob\n3,Cy\n4,Di"\n5,Ed\n')
    assert (error.row, error.field) == (3, "name")
    assert "a quote opened on row 3 is never closed" in error.message


def test_a_quoted_cell_may_span_lines_only_in_a_column_that_allows_it() -> None:
    text = 'id,description\n1,"<p>one</p>\n<p>two</p>"\n2,plain\n'
    assert refusal(text).row == 2
    _, rows = read(text, line_breaks_in={1})
    assert rows == [(2, ["1", "<p>one</p>\n<p>two</p>"]), (3, ["2", "plain"])]


def test_text_after_a_closing_quote_is_refused_not_glued_on() -> None:
    error = refusal('id,name\n1,"Ada" Lovelace\n')
    assert (error.row, error.field) == (2, "row")
    assert 'has text after a closing quote — check for a stray " character' in error.message


def test_a_nul_byte_is_refused_with_its_row_and_column() -> None:
    error = refusal("id,name\n1,Ada\n2,B\x00b\n")
    assert (error.row, error.field) == (3, "name")
    assert "contains a NUL byte" in error.message


def test_a_lone_carriage_return_is_refused() -> None:
    assert refusal("id,name\r1,Ada\r").row == 1
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


def test_only_a_bad_row_stops_the_reading_rows_before_it_are_returned_first() -> None:
    _, rows = read_csv('id\n1\n2\n"3\n')
    assert next(rows) == (2, ["1"])
    assert next(rows) == (3, ["2"])
    with pytest.raises(Invalid):
        next(rows)


cells = st.text(alphabet=st.characters(blacklist_characters="\x00\r\n", codec="utf-8"), max_size=20)


@given(st.lists(st.lists(cells, min_size=2, max_size=2), min_size=1, max_size=20))
def test_whatever_the_csv_module_writes_reads_back_cell_for_cell(table: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["a", "b"], *table])
    header, rows = read(buffer.getvalue())
    assert header == ["a", "b"]
    # A row of two empty cells is written as "," and read back as such; nothing is merged or lost.
    assert [cells for _, cells in rows] == table
    assert [number for number, _ in rows] == list(range(2, len(table) + 2))
