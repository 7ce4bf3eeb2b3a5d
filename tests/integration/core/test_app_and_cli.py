"""The app shell and the CLI over a fresh database per backend: migrations, demo, tokens, errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnbridge.accounts.service import account_for_token
from learnbridge.core.db import make_engine
from learnbridge.core.migrate import upgrade
from learnbridge.people.models import OrgUnit, Person
from tests.helpers.cli import cli, cli_process
from tests.helpers.databases import BACKENDS, create_database, drop_database


@pytest.fixture(scope="module", params=BACKENDS)
def fresh_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, handle = create_database(request.param, tmp_path_factory.mktemp("cli"))
    yield url
    drop_database(handle)


def test_db_upgrade_is_idempotent_and_demo_loads_a_believable_organisation(fresh_url: str) -> None:
    # What `make run` does, through the installed entry point in a process of its own.
    assert cli_process(fresh_url, "db", "upgrade").returncode == 0
    loaded = cli_process(fresh_url, "demo", "load")
    assert loaded.returncode == 0, loaded.stderr
    assert "learner@example.com" in loaded.stdout and "password for all: learnbridge" in loaded.stdout
    again = cli(fresh_url, "demo", "load", "--if-empty")
    assert "demo not loaded" in again.stdout
    upgrade(fresh_url)  # a second upgrade changes nothing
    engine = make_engine(fresh_url)
    with Session(engine) as db:
        assert db.scalar(select(func.count()).select_from(Person)) == 300
        depths = dict(db.execute(select(OrgUnit.depth, func.count()).group_by(OrgUnit.depth)).all())
        assert depths[1] == 5 and 18 <= depths[2] <= 22
        learner = db.scalars(select(Person).where(Person.email == "learner@example.com")).one()
        manager = db.scalars(select(Person).where(Person.email == "manager@example.com")).one()
        assert learner.manager_id == manager.id
    engine.dispose()


def test_tokens_create_prints_the_token_alone_on_the_last_line(fresh_url: str) -> None:
    cli(fresh_url, "db", "upgrade")
    cli(fresh_url, "demo", "load", "--if-empty")
    result = cli(fresh_url, "tokens", "create", "--email", "admin@example.com")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip().splitlines()[-1]
    engine = make_engine(fresh_url)
    with Session(engine) as db:
        account = account_for_token(db, token=token)
        assert account is not None and account.email == "admin@example.com"
    engine.dispose()


def test_cli_errors_are_one_line_per_problem_and_exit_non_zero(fresh_url: str, tmp_path: Path) -> None:
    cli(fresh_url, "db", "upgrade")
    bad = tmp_path / "people.csv"
    bad.write_text("external_id,name,hire_date\nN1,New Person,2024-01-01\nN2,,not-a-date\n")
    result = cli(fresh_url, "people", "import", str(bad))
    assert result.returncode == 1
    assert "row 3, name: is required" in result.stderr and "row 3, hire_date" in result.stderr
    missing = cli(fresh_url, "tokens", "create", "--email", "nobody@example.com")
    assert missing.returncode == 1 and "No account" in missing.stderr


def test_health_and_error_pages(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    missing = client.get("/api/v1/nowhere")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "<h1>Not found</h1>" in page.text
