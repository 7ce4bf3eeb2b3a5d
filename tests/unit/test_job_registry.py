"""The app's job registry: each area's `jobs.py` registers its kinds, and `learnbridge.jobs` merges them
all, each kind once, refusing a kind two areas claim."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import learnbridge
from learnbridge.accounts import jobs as accounts_jobs
from learnbridge.core.settings import Settings
from learnbridge.jobs import AREAS, job_handlers, recurring_jobs
from learnbridge.notify import jobs as notify_jobs

PACKAGE = Path(learnbridge.__file__).parent
# Kinds are stored in the jobs table: queued jobs must still find their handler after an upgrade.
KINDS = {
    "accounts.failed_sign_ins",
    "accounts.purge",
    "notify.send_mail",
    "people.changed",
    "pull.popularity",
    "push.assignment_statements",
    "push.counts",
    "push.reminders",
    "records.platform_events",
    "records.statements_stored",
}
DAILY = {
    ("push.counts", dt.time(0, 0)),
    ("pull.popularity", dt.time(2, 0)),
    ("accounts.purge", dt.time(3, 0)),
    ("push.reminders", dt.time(6, 0)),
}


def test_every_areas_jobs_module_is_merged_and_each_area_has_one() -> None:
    found = {
        ".".join(("learnbridge", *path.relative_to(PACKAGE).with_suffix("").parts))
        for path in PACKAGE.rglob("jobs.py")
        if path.parent not in {PACKAGE, PACKAGE / "core"}
    }
    merged = [area.__name__ for area in AREAS]
    assert sorted(merged) == sorted(found)
    assert all(name.count(".") == 2 for name in merged), "an area's jobs.py sits at the area's top"


def test_the_registry_holds_every_areas_kinds_each_once_and_none_renamed() -> None:
    settings = Settings()
    merged = job_handlers(settings)
    per_area = [set(area.job_handlers(settings)) for area in AREAS]
    assert set().union(*per_area) == set(merged) == KINDS
    assert sum(len(kinds) for kinds in per_area) == len(merged)


def test_every_daily_job_has_a_handler_and_runs_once_a_day() -> None:
    daily = recurring_jobs()
    assert {job.kind for job in daily} <= set(job_handlers(Settings()))
    assert {(job.kind, job.at) for job in daily} == DAILY
    assert len(daily) == len(DAILY)


def test_a_kind_two_areas_register_is_refused() -> None:
    with pytest.raises(ValueError, match=r"'accounts\.purge'.*learnbridge\.accounts\.jobs"):
        job_handlers(Settings(), (accounts_jobs, notify_jobs, accounts_jobs))
