"""A request's session is closed in threads of the closers' own (core.deps.get_db): with every route
thread busy (each waiting for a connection that a finished request still holds), closing must not wait
behind them, or every request stops."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from pathlib import Path
from types import SimpleNamespace
from typing import cast

from anyio import to_thread
from sqlalchemy import text
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

from learnbridge.core.db import make_engine, make_sessionmaker
from learnbridge.core.deps import get_db


def test_a_session_is_closed_while_every_route_thread_is_busy(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    pool = engine.pool
    assert isinstance(pool, QueuePool)
    state = SimpleNamespace(sessionmaker=make_sessionmaker(engine))
    request = SimpleNamespace(app=SimpleNamespace(state=state))

    async def scenario() -> int:
        limiter = to_thread.current_default_thread_limiter()
        borrowers = [object() for _ in range(int(limiter.total_tokens))]
        for borrower in borrowers:  # every route thread taken
            await limiter.acquire_on_behalf_of(borrower)
        try:
            sessions = cast(AsyncGenerator[Session, None], get_db(request))  # type: ignore[arg-type]
            db = await anext(sessions)
            db.execute(text("SELECT 1"))  # a transaction left open by the route, holding a connection
            assert pool.checkedout() == 1
            await asyncio.wait_for(sessions.aclose(), timeout=5)
            return int(pool.checkedout())
        finally:
            for borrower in borrowers:
                limiter.release_on_behalf_of(borrower)

    assert asyncio.run(scenario()) == 0
    engine.dispose()
