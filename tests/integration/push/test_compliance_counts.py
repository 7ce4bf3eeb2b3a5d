"""Oversight reads the compliance counts when they are for today, the assignments otherwise, and the
two always agree; the daily job rebuilds the counts as dates move statuses on."""

from __future__ import annotations

import datetime as dt

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.core.db import utcnow
from learnbridge.jobs import job_handlers
from learnbridge.push.compliance_counts import counts_fresh
from learnbridge.push.fulfilment import grant_exemption, record_completion
from learnbridge.push.heatmap_views import heatmap, status_counts
from learnbridge.push.models import Assignment
from tests.factories import ADMIN, make_item, make_person, make_requirement, make_unit


def _grid(db: Session, today: dt.date) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    h = heatmap(db, unit_id=None, today=today)
    return {key: (c.total, c.compliant, c.overdue, c.exempt) for key, c in h.cells.items()}


def test_counts_follow_changes_and_the_day(db: Session, app: FastAPI) -> None:
    today = utcnow().date()
    yesterday = today - dt.timedelta(days=1)
    north, south = make_unit(db, "North"), make_unit(db, "South")
    people = [make_person(db, org_unit_id=unit.id) for unit in (north, north, south)]
    # Due yesterday: overdue today but not yesterday, so yesterday's counts are wrong today.
    requirement = make_requirement(
        db, items=[make_item(db)], due_kind="fixed", due_date=yesterday, today=yesterday
    )
    assert not counts_fresh(db, today=today)
    from_assignments = _grid(db, today)
    assert from_assignments[(requirement.id, north.id)] == (2, 0, 2, 0)
    job_handlers(app.state.settings)["push.counts"](db, {"day": today.isoformat()})
    assert counts_fresh(db, today=today)
    assert _grid(db, today) == from_assignments
    record_completion(
        db,
        person_id=people[0].id,
        item_id=requirement.items[0].id,
        completed_at=utcnow(),
        evidence="",
        actor=ADMIN,
    )
    south_assignment = db.scalars(select(Assignment).where(Assignment.person_id == people[2].id)).one()
    grant_exemption(db, assignment_id=south_assignment.id, reason="On leave", ends_on=None, actor=ADMIN)
    assert counts_fresh(db, today=today)
    grid = _grid(db, today)
    assert grid[(requirement.id, north.id)] == (2, 1, 1, 0)
    assert grid[(requirement.id, south.id)] == (1, 0, 0, 1)
    assert status_counts(db, today=today) == {"completed": 1, "overdue": 1, "exempt": 1}
