"""LRS clients: issued by the CLI, recognised by HTTP Basic, revocable, scoped."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from learnbridge.core.db import make_engine
from learnbridge.core.errors import Invalid
from learnbridge.records.xapi_clients import (
    READS,
    WRITES,
    allows,
    client_for_basic,
    create_client,
    revoke_client,
)
from tests.conftest import create_database, drop_database
from tests.integration.core.test_app_and_cli import cli


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, handle = create_database(request.param, tmp_path_factory.mktemp("lrs"))
    yield url
    drop_database(handle)


def test_cli_prints_key_and_secret_last_and_they_authenticate(fresh_url: str) -> None:
    assert cli(fresh_url, "db", "upgrade").returncode == 0
    result = cli(fresh_url, "lrs", "clients", "create", "--name", "Forklift simulator")
    assert result.returncode == 0, result.stderr
    key_line, secret_line = result.stdout.strip().splitlines()[-2:]
    assert key_line.startswith("key: ") and secret_line.startswith("secret: ")
    key, secret = key_line.removeprefix("key: "), secret_line.removeprefix("secret: ")
    engine = make_engine(fresh_url)
    with Session(engine) as db:
        client = client_for_basic(db, basic(key, secret))
        assert client is not None and client.name == "Forklift simulator" and client.scopes == ["all"]
        assert client.authority["account"]["name"] == key
        assert client_for_basic(db, basic(key, secret + "x")) is None
    engine.dispose()
    bad = cli(fresh_url, "lrs", "clients", "create", "--name", "x", "--scope", "nope")
    assert bad.returncode != 0 and "scopes" in bad.stderr + bad.stdout


def test_revoked_and_malformed_credentials_are_refused_and_scopes_limit(db: Session) -> None:
    reader, secret = create_client(db, name="Dashboard", home_page="https://lb.example", scopes=["all/read"])
    assert allows(reader, READS["statements"]) and not allows(reader, WRITES["statements"])
    assert client_for_basic(db, "Basic !!notbase64") is None
    assert client_for_basic(db, "Bearer " + secret) is None
    assert client_for_basic(db, basic(reader.key, secret)) is not None
    revoke_client(db, client_id=reader.id)
    assert client_for_basic(db, basic(reader.key, secret)) is None
    with pytest.raises(Invalid):
        create_client(db, name=" ", home_page="https://lb.example")
