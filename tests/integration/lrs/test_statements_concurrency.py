"""Concurrent batches, committed for real: every one is stored, and `stored` orders like the key, so a
`more` cursor on the key never skips a statement that committed late."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from learnbridge.app import create_app
from learnbridge.core.db import make_engine
from learnbridge.core.settings import Settings
from learnbridge.lrs.clients import create_client
from tests.helpers.lrs import basic


def test_concurrent_batches_all_land_in_key_and_stored_order(committed_url: str, tmp_path: Path) -> None:
    engine = make_engine(committed_url)
    with Session(engine) as db:
        lrs, secret = create_client(db, name="Load", home_page="http://lms.example")
        db.commit()
        headers = {"Authorization": basic(lrs.key, secret), "X-Experience-API-Version": "1.0.3"}
    engine.dispose()

    def statement(n: int) -> dict[str, Any]:
        return {"actor": {"mbox": f"mailto:c{n}@example.com"}, "verb": {"id": "http://example.com/v"},
                "object": {"id": "http://example.com/a"}}  # fmt: skip

    settings = Settings(database_url=committed_url, secret_key="s", var_dir=tmp_path, jobs_in_process=False)
    with TestClient(create_app(settings)) as client, ThreadPoolExecutor(8) as pool:
        batches = [[statement(n), statement(n + 1000)] for n in range(40)]
        codes = list(pool.map(lambda b: client.post("/xapi/statements", json=b, headers=headers).status_code,
                              batches))  # fmt: skip
        assert codes == [200] * 40
        page = client.get("/xapi/statements", params={"ascending": "true"}, headers=headers).json()
    stored = [s["stored"] for s in page["statements"]]
    assert len(stored) == 80 and stored == sorted(stored) and len(set(stored)) == 80
