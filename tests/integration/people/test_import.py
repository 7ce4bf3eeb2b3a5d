"""HR CSV import against a real database: upserts, managers, leavers, all-or-nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnbridge.core.errors import Invalid
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
