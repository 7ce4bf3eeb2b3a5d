"""`learnbridge people import` over a fresh database per backend: untouched columns, clears, --dry-run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.core.db import make_engine
from learnbridge.people.models import Person
from tests.helpers.cli import cli
from tests.helpers.databases import BACKENDS, create_database, drop_database


@pytest.fixture(scope="module", params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, handle = create_database(request.param, tmp_path_factory.mktemp("people-cli"))
    yield url
    drop_database(handle)


def people(url: str) -> dict[str, tuple[object, ...]]:
    engine = make_engine(url)
    with Session(engine) as db:
        rows = db.execute(
            select(Person.external_id, Person.name, Person.email, Person.location, Person.active)
        )
        found: dict[str, tuple[object, ...]] = {ext: tuple(values) for ext, *values in rows}
    engine.dispose()
    return found


def test_dry_run_prints_the_clears_and_writes_nothing_then_the_import_clears_only_those(
    url: str, tmp_path: Path
) -> None:
    seed = tmp_path / "seed.csv"
    seed.write_text("external_id,name,email,location\nC1,Cai,cai@x.org,Leeds\nC2,Cleo,cleo@x.org,York\n")
    assert cli(url, "people", "import", str(seed)).returncode == 0
    before = people(url)
    wipe = tmp_path / "wipe.csv"
    wipe.write_text("external_id,name,email\nC1,Cai,\nC2,Cleo,\n")
    checked = cli(url, "people", "import", str(wipe), "--full", "--dry-run")
    assert checked.returncode == 0, checked.stderr
    lines = checked.stdout.strip().splitlines()
    assert "updated=2" in lines[0] and "cleared=2" in lines[0]
    assert lines[1:] == ["this import would clear 2 e-mail addresses", "dry run: nothing was written"]
    assert people(url) == before
    done = cli(url, "people", "import", str(wipe))
    assert done.returncode == 0 and "this import cleared 2 e-mail addresses" in done.stdout
    after = people(url)
    assert after["C1"] == ("Cai", None, "Leeds", True) and after["C2"] == ("Cleo", None, "York", True)


def test_a_two_column_file_with_full_deactivates_the_missing_and_keeps_every_field(
    url: str, tmp_path: Path
) -> None:
    seed = tmp_path / "seed.csv"
    seed.write_text("external_id,name,email,location\nF1,Fay,fay@x.org,Leeds\nF2,Finn,finn@x.org,York\n")
    assert cli(url, "people", "import", str(seed)).returncode == 0
    names = tmp_path / "names.csv"
    names.write_text("external_id,name\nF1,Fay Smith\n")
    result = cli(url, "people", "import", str(names), "--full")
    assert result.returncode == 0, result.stderr
    assert "cleared=0" in result.stdout and "would clear" not in result.stdout
    found = people(url)
    assert found["F1"] == ("Fay Smith", "fay@x.org", "Leeds", True)
    assert found["F2"] == ("Finn", "finn@x.org", "York", False)
