"""200 people voting on one need at once, through HTTP against a real server, on both databases: exactly 200
votes (and the raiser's), and a person who double-submits counts once. The vote is a row keyed by (need,
person) and the count moves in the database, so no request reads a number and writes it back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnbridge.accounts.policy import Principal
from learnbridge.accounts.service import create_account
from learnbridge.core.db import make_engine
from learnbridge.voice.models import Need, NeedKind, NeedVote
from learnbridge.voice.needs import NewNeed, raise_need
from tests.factories import bearer, make_person
from tests.helpers.servers import all_at_once, app_for, serve

VOTERS = 200


@pytest.fixture
def live(committed_url: str, tmp_path: Path) -> Iterator[str]:
    with serve(app_for(committed_url, tmp_path), timeout_keep_alive=300) as base_url:
        yield base_url


def _seed(url: str, voters: int) -> tuple[int, list[dict[str, str]]]:
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as db:
            raiser = make_person(db)
            account = create_account(db, email=raiser.email or "", password=None)
            need = raise_need(
                db,
                principal=Principal(account=account, roles=frozenset()),
                new=NewNeed(kind=NeedKind.bottleneck, title="Forklift battery swaps stall the night shift"),
            )
            headers = []
            for _ in range(voters):
                person = make_person(db)
                # No password: hashing one for each of 200 people would only slow the test down.
                headers.append(bearer(db, create_account(db, email=person.email or "", password=None)))
            db.commit()
            return need.id, headers
    finally:
        engine.dispose()


def _stored(url: str, need_id: int) -> tuple[int, int]:
    engine = make_engine(url)
    try:
        with Session(engine) as db:
            rows = db.scalar(select(func.count()).select_from(NeedVote).where(NeedVote.need_id == need_id))
            counted = db.scalar(select(Need.votes).where(Need.id == need_id))
            return int(rows or 0), int(counted or 0)
    finally:
        engine.dispose()


def test_200_people_vote_at_once_and_double_submits_count_once(committed_url: str, live: str) -> None:
    need_id, headers = _seed(committed_url, VOTERS)

    def attempt(n: int) -> httpx.Response:
        # The first ten people press the button twice at once (two tabs); everyone else once.
        with httpx.Client(base_url=live, timeout=60) as client:
            return client.post(f"/api/v1/needs/{need_id}/votes", headers=headers[n % VOTERS])

    answers = all_at_once(VOTERS + 10, attempt)
    codes = sorted(a.status_code for a in answers)
    assert codes == [200] * 10 + [201] * VOTERS, {c: codes.count(c) for c in set(codes)}
    assert _stored(committed_url, need_id) == (VOTERS + 1, VOTERS + 1)
    withdrawn = all_at_once(
        20,
        lambda n: httpx.delete(f"{live}/api/v1/needs/{need_id}/votes", headers=headers[n % 10], timeout=60),
    )
    assert {a.status_code for a in withdrawn} == {200}
    assert _stored(committed_url, need_id) == (VOTERS - 9, VOTERS - 9)
