"""The push CLI and the demo's compliance programme, over a fresh database per backend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.core.db import make_engine, utcnow
from learnbridge.people.models import Person
from learnbridge.push.heatmap_views import status_counts
from learnbridge.push.models import AssignmentStatus
from learnbridge.push.obligation_views import obligations_of
from tests.helpers.cli import cli
from tests.helpers.databases import BACKENDS, create_database, drop_database


@pytest.fixture(scope="module", params=BACKENDS)
def demo_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # The demo as `learnbridge demo load` leaves it (tests/integration/core/test_app_and_cli.py runs that).
    url, handle = create_database(request.param, tmp_path_factory.mktemp("push-cli"), demo=True)
    yield url
    drop_database(handle)


def test_the_demo_shows_every_state_and_the_learner_has_one_of_each(demo_url: str) -> None:
    engine = make_engine(demo_url)
    today = utcnow().date()
    with Session(engine) as db:
        counts = status_counts(db, today=today)
        for state in ("completed", "assigned", "overdue"):
            assert counts.get(state, 0) > 0, counts
        assert counts.get("expired", 0) + counts.get("expiring_soon", 0) > 0
        lee = db.scalars(select(Person).where(Person.email == "learner@example.com")).one()
        mine = {o.status for o in obligations_of(db, person_id=lee.id, today=today)}
        assert {AssignmentStatus.completed, AssignmentStatus.assigned, AssignmentStatus.overdue} <= mine
    engine.dispose()


def test_full_recompute_after_the_demo_changes_nothing_and_prints_a_summary(demo_url: str) -> None:
    result = cli(demo_url, "push", "recompute")
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last == "people=300 requirements=5 created=0 reopened=0 closed=0 due_changed=0"


def test_completions_import_and_reminders_from_the_cli(demo_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("person,item_id,completed_on\nnobody@example.com,1,2026-01-01\n")
    refused = cli(demo_url, "completions", "import", str(bad))
    assert refused.returncode == 1 and "row 2, person: no person 'nobody@example.com'" in refused.stderr
    good = tmp_path / "good.csv"
    good.write_text("person,item_id,completed_on,reference\nlearner@example.com,1,2026-01-01,X-1\n")
    imported = cli(demo_url, "completions", "import", str(good))
    assert imported.returncode == 0 and "created=1 duplicates=0" in imported.stdout
    day = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    reminders = cli(demo_url, "push", "reminders", "--day", day)
    assert reminders.returncode == 0 and f"day={day}" in reminders.stdout
    assert cli(demo_url, "push", "reminders", "--day", "tomorrow").returncode == 1
