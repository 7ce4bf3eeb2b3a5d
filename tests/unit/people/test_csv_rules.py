"""The HR CSV's row rules, checked without a database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learnbridge.core.errors import Invalid
from learnbridge.core.graph import find_cycles
from learnbridge.people.hr_csv import parse_csv
from learnbridge.people.models import OrgUnit

HEADER = "external_id,name,email,manager_external_id,org_unit,job_profile,location,hire_date,active"


def problems(text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(Invalid) as caught:
        parse_csv(text)
    return [(e.row, e.field) for e in caught.value.errors]


def test_a_good_file_parses_every_column() -> None:
    rows = parse_csv(
        f"{HEADER},attr_shift\n"
        "E1,Ada Lovelace,ADA@Example.com,E2,Ops / North,Picker,Leeds,2024-03-01,yes,night\n"
        "E2,Grace Hopper,,,Ops,,,,,\n"
    ).rows
    ada = rows[0]
    assert (ada.row, ada.external_id, ada.email, ada.manager_external_id) == (
        2,
        "E1",
        "ada@example.com",
        "E2",
    )
    assert ada.org_unit == "Ops / North"
    assert ada.hire_date == dt.date(2024, 3, 1)
    assert ada.active is True
    assert ada.attributes == {"shift": "night"}
    assert rows[1].email is None
    assert rows[1].attributes == {}


def test_missing_required_columns_are_named_on_row_1() -> None:
    assert problems("external_id,email\nE1,a@b.co\n") == [(1, "name")]


def test_unknown_columns_are_rejected() -> None:
    assert problems("external_id,name,salary\nE1,Ada,100\n") == [(1, "salary")]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (",Ada,,,,,,,", "external_id"),
        ("E1,,,,,,,,", "name"),
        ("E1,Ada,not-an-email,,,,,,", "email"),
        ("E1,Ada,,,,,,01/02/2024,", "hire_date"),
        ("E1,Ada,,,,,,2024-02-30,", "hire_date"),
        ("E1,Ada,,,,,,,maybe", "active"),
        ("E1,Ada,,E1,,,,,", "manager_external_id"),
        ("E1,Ada,,,,,,,,extra", "row"),
    ],
)
def test_each_bad_value_is_reported_with_row_and_field(line: str, field: str) -> None:
    assert problems(f"{HEADER}\nE9,Fine Person,,,,,,,\n{line}\n") == [(3, field)]


def test_every_bad_row_is_reported_not_just_the_first() -> None:
    found = problems(f"{HEADER}\nE1,,,,,,,,\nE2,Bob,bad,,,,,,\nE3,Cy,,,,,,2024-13-01,\n")
    assert found == [(2, "name"), (3, "email"), (4, "hire_date")]


def test_duplicate_ids_and_emails_point_at_the_first_row() -> None:
    with pytest.raises(Invalid) as caught:
        parse_csv(f"{HEADER}\nE1,Ada,a@x.org,,,,,,\nE1,Bob,b@x.org,,,,,,\nE3,Cy,a@x.org,,,,,,\n")
    messages = [str(e) for e in caught.value.errors]
    assert messages == [
        "row 3, external_id: 'E1' already on row 2",
        "row 4, email: 'a@x.org' already on row 2",
    ]


def test_an_empty_file_is_an_error() -> None:
    assert problems(f"{HEADER}\n") == [(2, "row")]


def test_leavers_are_marked_inactive() -> None:
    rows = parse_csv(f"{HEADER}\nE1,Ada,,,,,,,false\nE2,Bob,,,,,,,\n").rows
    assert [r.active for r in rows] == [False, True]


def test_a_cycle_in_the_manager_chain_is_found() -> None:
    graph: dict[str, str | None] = {"a": "b", "b": "c", "c": "a", "d": "a", "e": None}
    (cycle,) = find_cycles(graph)
    assert sorted(cycle) == ["a", "b", "c"]


@given(st.dictionaries(st.integers(0, 30), st.one_of(st.none(), st.integers(0, 30)), max_size=30))
def test_cycles_match_a_naive_walk(raw: dict[int, int | None]) -> None:
    graph = {str(k): (str(v) if v is not None else None) for k, v in raw.items()}
    on_cycle = set()
    for start in graph:
        node, seen = graph.get(start), set()
        while node is not None and node not in seen:
            if node == start:
                on_cycle.add(start)
                break
            seen.add(node)
            node = graph.get(node)
    assert {n for cycle in find_cycles(graph) for n in cycle} == on_cycle


def test_subtree_bounds_exclude_siblings_whose_id_shares_a_prefix() -> None:
    low, high = OrgUnit(path="/1/4/").subtree_bounds()
    inside = ["/1/4/", "/1/4/9/", "/1/4/40/"]
    outside = ["/1/40/", "/1/41/", "/1/3/", "/1/5/"]
    assert all(low <= p < high for p in inside)
    assert not any(low <= p < high for p in outside)


def test_a_name_is_read_in_nfc_and_its_length_checked_as_stored() -> None:
    (row,) = parse_csv("external_id,name\nE1,N\u0303u\u0301n\u0303ez\n").rows
    assert row.name == "Ñúñez" and len(row.name) == 5
    # U+0958 is one of the few characters NFC writes as two: 150 of them are 300 characters stored.
    with pytest.raises(Invalid) as caught:
        parse_csv("external_id,name\nE1," + "\u0958" * 150 + "\n")
    (error,) = caught.value.errors
    assert (error.row, error.field, error.message) == (2, "name", "is longer than 200 characters")
