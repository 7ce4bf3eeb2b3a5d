"""LRS clients: issued by the CLI, recognised by HTTP Basic, revocable, scoped."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.app import create_app
from learnbridge.core.db import make_engine
from learnbridge.core.errors import Invalid
from learnbridge.core.settings import Settings
from learnbridge.lrs.clients import (
    READS,
    WRITES,
    allows,
    client_for_basic,
    create_client,
    revoke_client,
)
from learnbridge.lrs.models import LrsClient
from tests.helpers.cli import cli


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


def test_cli_prints_key_and_secret_last_and_they_authenticate(committed_url: str) -> None:
    assert cli(committed_url, "db", "upgrade").returncode == 0
    result = cli(committed_url, "lrs", "clients", "create", "--name", "Forklift simulator")
    assert result.returncode == 0, result.stderr
    key_line, secret_line = result.stdout.strip().splitlines()[-2:]
    assert key_line.startswith("key: ") and secret_line.startswith("secret: ")
    key, secret = key_line.removeprefix("key: "), secret_line.removeprefix("secret: ")
    # 32 random bytes in hex: never a leading "-" that a tool's option parser would take for a flag.
    assert len(secret) == 64 and int(secret, 16) >= 0
    engine = make_engine(committed_url)
    with Session(engine) as db:
        client = client_for_basic(db, basic(key, secret))
        assert client is not None and client.name == "Forklift simulator"
        # A new client gets what an e-learning package needs, and is not evidence for mandatory training.
        assert client.scopes == ["statements/write", "statements/read/mine", "state", "profile"]
        assert client.counts_as_evidence is False and client.compatibility is False
        assert client.authority["account"]["name"] == key
        assert client_for_basic(db, basic(key, secret + "x")) is None
    engine.dispose()
    flags = ["--name", "HR LMS", "--scope", "all", "--counts-as-evidence", "--compatibility"]
    trusted = cli(committed_url, "lrs", "clients", "create", *flags)
    assert trusted.returncode == 0, trusted.stderr
    with Session(engine) as db:
        made = db.scalar(select(LrsClient).where(LrsClient.name == "HR LMS"))
        assert made is not None and made.scopes == ["all"] and made.counts_as_evidence is True
        assert made.compatibility is True
    engine.dispose()
    bad = cli(committed_url, "lrs", "clients", "create", "--name", "x", "--scope", "nope")
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
    with pytest.raises(Invalid):
        create_client(db, name="Old tool", home_page="https://lb.example", xapi_version="0.9")


def test_an_unversioned_request_is_answered_in_the_version_its_client_speaks(
    committed_url: str, tmp_path: Path
) -> None:
    engine = make_engine(committed_url)
    with Session(engine) as db:
        old, old_secret = create_client(db, name="SCORM bridge", home_page="https://lb.example")
        new, new_secret = create_client(
            db, name="Simulator", home_page="https://lb.example", xapi_version="2.0.0"
        )
        db.commit()
        credentials = [(old.key, old_secret, "1.0.3"), (new.key, new_secret, "2.0.0")]
    engine.dispose()
    settings = Settings(database_url=committed_url, secret_key="t", jobs_in_process=False, var_dir=tmp_path)
    with TestClient(create_app(settings)) as client:
        for key, secret, version in credentials:
            answer = client.get("/xapi/statements", headers={"Authorization": basic(key, secret)})
            assert answer.status_code == 400 and answer.headers["X-Experience-API-Version"] == version
        anonymous = client.get("/xapi/statements")
        assert anonymous.headers["X-Experience-API-Version"] == "1.0.3"
