"""HR CSV import against a real database: upserts, managers, leavers, all-or-nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnbridge.core.errors import Invalid
from learnbridge.core.jobs import Job
from learnbridge.people.importer import import_people
from learnbridge.people.models import JobProfile, OrgUnit, Person
from learnbridge.people.service import people_in_unit

HEADER = "external_id,name,email,manager_external_id,org_unit,job_profile,location,hire_date,active\n"


def person(db: Session, ext: str) -> Person:
    found = db.scalar(select(Person).where(Person.external_id == ext))
    assert found is not None
    return found


def count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Person)) or 0


def test_managers_resolve_in_any_row_order_and_units_are_created(db: Session) -> None:
    summary = import_people(
        db,
        text=HEADER + "E3,Cy,cy@x.org,E2,Ops / North / Pickers,Picker,Leeds,2024-01-02,\n"
        "E2,Bo,bo@x.org,E1,Ops / North,Team Leader,Leeds,,\n"
        "E1,Al,al@x.org,,Ops,Director,,,\n",
    )
    assert (summary.created, summary.updated, summary.org_units_created, summary.job_profiles_created) == (
        3,
        0,
        3,
        3,
    )
    assert person(db, "E3").manager_id == person(db, "E2").id
    assert person(db, "E2").manager_id == person(db, "E1").id
    pickers = person(db, "E3").org_unit
    assert pickers is not None and pickers.full_name == "Ops / North / Pickers" and pickers.depth == 2
    ops = db.scalar(select(OrgUnit).where(OrgUnit.full_name == "Ops"))
    assert ops is not None
    assert {p.external_id for p in db.scalars(people_in_unit(ops))} == {"E1", "E2", "E3"}
    assert {p.external_id for p in db.scalars(people_in_unit(ops, subtree=False))} == {"E1"}
    assert db.scalar(select(JobProfile.code).where(JobProfile.title == "Team Leader")) == "team-leader"


def test_upsert_counts_updates_unchanged_and_leavers(db: Session) -> None:
    import_people(db, text=HEADER + "E1,Al,al@x.org,,,,,,\nE2,Bo,bo@x.org,E1,,,,,\nE3,Cy,,E1,,,,,\n")
    summary = import_people(
        db, text=HEADER + "E1,Al,al@x.org,,,,,,\nE2,Bo Brown,bo@x.org,E1,,,,,\nE3,Cy,,E1,,,,,no\n"
    )
    assert (summary.created, summary.updated, summary.unchanged, summary.deactivated) == (0, 2, 1, 1)
    assert person(db, "E2").name == "Bo Brown"
    assert person(db, "E3").active is False
    assert count(db) == 3  # leavers are kept


def test_full_file_deactivates_people_missing_from_it_never_deletes(db: Session) -> None:
    import_people(db, text=HEADER + "E1,Al,,,,,,,\nE2,Bo,,E1,,,,,\n")
    summary = import_people(db, text=HEADER + "E1,Al,,,,,,,\n", full=True)
    assert summary.deactivated == 1
    assert person(db, "E2").active is False
    assert count(db) == 2


def test_a_bad_row_writes_nothing_at_all(db: Session) -> None:
    with pytest.raises(Invalid) as caught:
        import_people(db, text=HEADER + "E1,Al,,,Ops,,,,\nE2,Bo,,E1,,,,2024-99-01,\n")
    assert [(e.row, e.field) for e in caught.value.errors] == [(3, "hire_date")]
    assert count(db) == 0
    assert db.scalar(select(func.count()).select_from(OrgUnit)) == 0


def test_unknown_manager_is_reported(db: Session) -> None:
    with pytest.raises(Invalid) as caught:
        import_people(db, text=HEADER + "E1,Al,,E404,,,,,\n")
    assert [(e.row, e.field) for e in caught.value.errors] == [(2, "manager_external_id")]


def test_a_manager_already_in_the_database_is_found(db: Session) -> None:
    import_people(db, text=HEADER + "BOSS,Boss,,,,,,,\n")
    import_people(db, text=HEADER + "E1,Al,,BOSS,,,,,\n")
    assert person(db, "E1").manager_id == person(db, "BOSS").id


def test_cycles_are_rejected_including_through_stored_people(db: Session) -> None:
    with pytest.raises(Invalid, match="manager chain loops"):
        import_people(db, text=HEADER + "E1,Al,,E2,,,,,\nE2,Bo,,E3,,,,,\nE3,Cy,,E1,,,,,\n")
    import_people(db, text=HEADER + "E1,Al,,,,,,,\nE2,Bo,,E1,,,,,\n")
    with pytest.raises(Invalid) as caught:
        import_people(db, text=HEADER + "E1,Al,,E2,,,,,\n")  # E2 is stored as reporting to E1
    assert [(e.row, e.field) for e in caught.value.errors] == [(2, "manager_external_id")]
    assert person(db, "E1").manager_id is None


def test_an_address_owned_by_someone_else_is_refused_but_may_move_within_a_file(db: Session) -> None:
    import_people(db, text=HEADER + "E1,Al,shared@x.org,,,,,,\nE2,Bo,bo@x.org,,,,,,\n")
    with pytest.raises(Invalid, match="belongs to person 'E1'"):
        import_people(db, text=HEADER + "E2,Bo,shared@x.org,,,,,,\n")
    import_people(db, text=HEADER + "E1,Al,al@x.org,,,,,,\nE2,Bo,shared@x.org,,,,,,\n")
    assert (person(db, "E1").email, person(db, "E2").email) == ("al@x.org", "shared@x.org")


def test_free_attributes_are_stored(db: Session) -> None:
    import_people(db, text="external_id,name,attr_shift,attr_union\nE1,Al,night,\n")
    assert person(db, "E1").attributes == {"shift": "night"}


# Every column, two free attributes: what the three people below start with.
EVERY_COLUMN = f"{HEADER.strip()},attr_shift,attr_union\n"
SEED = (
    EVERY_COLUMN + "E1,Al,al@x.org,,Ops,Director,Leeds,2020-01-02,,day,gmb\n"
    "E2,Bo,bo@x.org,E1,Ops / North,Picker,York,2021-03-04,,night,\n"
    "E3,Cy,cy@x.org,E1,Ops / North,Picker,York,2022-05-06,,,unite\n"
)


def stored(db: Session) -> dict[str, tuple[object, ...]]:
    """Every field but the name, read from the table (not the session's possibly stale objects)."""
    columns = (Person.email, Person.manager_id, Person.org_unit_id, Person.job_profile_id, Person.location)
    rows = db.execute(
        select(Person.external_id, *columns, Person.hire_date, Person.active, Person.attributes)
    )
    return {ext: tuple(values) for ext, *values in rows}


def test_a_file_without_a_column_leaves_that_field_alone_for_everyone(db: Session) -> None:
    import_people(db, text=SEED)
    before = stored(db)
    summary = import_people(db, text="external_id,name\nE1,Al Smith\nE2,Bo\nE3,Cy\nE4,Di\n")
    after = stored(db)
    assert {ext: after[ext] for ext in before} == before
    assert db.scalar(select(Person.name).where(Person.external_id == "E1")) == "Al Smith"
    assert (summary.created, summary.updated, summary.unchanged, summary.deactivated) == (1, 1, 2, 0)
    assert summary.cleared == {} and summary.cleared_total == 0
    # Someone new gets nothing for the columns the file lacks (and is active).
    assert after["E4"] == (None, None, None, None, None, None, True, {})


def test_full_on_a_file_without_columns_deactivates_the_missing_but_wipes_nobody(db: Session) -> None:
    import_people(db, text=SEED)
    before = stored(db)
    summary = import_people(db, text="external_id,name\nE1,Al\nE2,Bo\n", full=True)
    after = stored(db)
    assert summary.deactivated == 1 and summary.cleared == {}
    assert after["E3"] == (*before["E3"][:6], False, before["E3"][7])
    assert {ext: after[ext] for ext in ("E1", "E2")} == {ext: before[ext] for ext in ("E1", "E2")}


def test_empty_cells_clear_their_field_and_the_summary_counts_each_column(db: Session) -> None:
    import_people(db, text=SEED)
    before = stored(db)
    summary = import_people(
        db,
        text="external_id,name,email,location,attr_shift\nE1,Al,,Leeds,\nE2,Bo,,,night\nE3,Cy,cy@x.org,,\n",
    )
    assert summary.cleared == {"email": 2, "attr_shift": 1, "location": 2}
    assert summary.cleared_total == 5 and summary.as_dict()["cleared_total"] == 5
    assert summary.clears_in_words() == ["2 e-mail addresses", "2 locations", "1 'shift' attribute"]
    after = stored(db)
    assert after["E1"][0] is None and after["E1"][4] == "Leeds"
    # Only the attribute with a column changes; the others a person has stay.
    assert after["E1"][7] == {"union": "gmb"}
    assert after["E2"][7] == {"shift": "night"} and after["E3"][7] == {"union": "unite"}
    # The columns the file lacks are untouched, cleared fields or not.
    for ext in ("E1", "E2", "E3"):
        assert after[ext][1:4] == before[ext][1:4] and after[ext][5:7] == before[ext][5:7]


def test_an_empty_active_cell_still_means_active(db: Session) -> None:
    import_people(db, text=SEED)
    import_people(db, text="external_id,name,active\nE1,Al,no\n")
    summary = import_people(db, text="external_id,name,active\nE1,Al,\n")
    assert person(db, "E1").active is True and summary.cleared == {}


def test_a_dry_run_says_what_importing_would_do_and_writes_nothing(db: Session) -> None:
    import_people(db, text=SEED)
    before = stored(db)
    tables = [select(func.count()).select_from(model) for model in (OrgUnit, JobProfile, Job)]
    counts = [db.scalar(q) for q in tables]
    text = "external_id,name,email,org_unit\nE1,Al,,Sales\nE4,Di,di@x.org,Sales / East\n"
    preview = import_people(db, text=text, full=True, dry_run=True)
    assert preview.dry_run is True
    assert (preview.created, preview.updated, preview.deactivated, preview.org_units_created) == (1, 1, 2, 2)
    assert preview.cleared == {"email": 1}
    assert stored(db) == before
    assert [db.scalar(q) for q in tables] == counts  # no unit, profile or queued job either
    done = import_people(db, text=text, full=True)
    assert done.as_dict() == {**preview.as_dict(), "dry_run": False}
    assert stored(db) != before


def test_a_stray_quote_is_refused_naming_its_row_and_deactivates_nobody(db: Session) -> None:
    """Read loosely, the quote would make rows 3 and 4 one name, and `full` would deactivate E3."""
    import_people(db, text=SEED)
    with pytest.raises(Invalid) as caught:
        import_people(
            db, text='external_id,name,email\nE1,Al,al@x.org\nE2,"Bo,bo@x.org\nE3,Cy,cy@x.org\n', full=True
        )
    (error,) = caught.value.errors
    assert error.row == 3 and "a quote opened on row 3 is never closed" in error.message
    assert all(values[6] for values in stored(db).values())


def test_a_row_with_fewer_cells_than_the_header_is_refused_not_read_as_clearing(db: Session) -> None:
    import_people(db, text=SEED)
    before = stored(db)
    with pytest.raises(Invalid) as caught:
        import_people(db, text="external_id,name,email,location\nE1,Al,al@x.org,Leeds\nE2,Bo\n")
    assert [(e.row, e.field) for e in caught.value.errors] == [(3, "row")]
    assert stored(db) == before
