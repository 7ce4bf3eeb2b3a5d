"""Forty clients POST a JSON merge to the same state document at once, each in a thread with its own
connection, on a fresh committed database per backend: every posted property survives (the document's
row lock, or SQLite's write lock, orders the merges; the first insert wins and the rest merge into it)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.orm import Session

from learnbridge.core.db import begin_write, make_engine
from learnbridge.lrs import activities, documents
from learnbridge.lrs.documents import STATE, Preconditions

WRITERS = 40
AGENT = json.dumps({"mbox": "mailto:ana@example.com"})


def test_concurrent_json_merges_lose_nothing(committed_url: str) -> None:
    engine = make_engine(committed_url)
    key = documents.document_key(STATE, activity_id="http://example.com/a", agent=AGENT)

    def merge(i: int) -> None:
        with Session(engine, expire_on_commit=False) as db:
            begin_write(db)
            documents.post_document(
                db,
                key=key,
                document_id="shared",
                content=json.dumps({f"k{i}": i}).encode(),
                content_type="application/json",
                pre=Preconditions(),
            )
            db.commit()

    def define(i: int) -> None:
        with Session(engine) as db:
            begin_write(db)
            activities.merge_activity_definition(
                db, activity_id="http://example.com/a", definition={"name": {f"l{i}": str(i)}}
            )
            db.commit()

    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            list(pool.map(merge, range(WRITERS)))
            list(pool.map(define, range(WRITERS)))
        with Session(engine) as db:
            doc = documents.get_document(db, key=key, document_id="shared")
            assert json.loads(doc.content) == {f"k{i}": i for i in range(WRITERS)}
            activity = activities.activity_object(db, activity_id="http://example.com/a")
            assert activity["definition"]["name"] == {f"l{i}": str(i) for i in range(WRITERS)}
    finally:
        engine.dispose()
