"""`GET /healthz`, for load balancers and orchestrators: answered just inside the security headers,
before the session, body-limit and routing layers that a probe has no use for, so a busy load
balancer's probes cost little. The database is asked (`SELECT 1`) at most once a second per process;
probes in between get that answer. 200 with the version while it answers, 503 while it does not."""

from __future__ import annotations

import asyncio
import json
import logging
import time

from anyio import CapacityLimiter, to_thread
from sqlalchemy import text
from sqlalchemy.engine import Engine
from starlette.types import ASGIApp, Receive, Scope, Send

logger = logging.getLogger(__name__)
PATH = "/healthz"


class HealthCheck:
    def __init__(self, app: ASGIApp, *, engine: Engine, version: str, every: float = 1.0) -> None:
        self.app = app
        self.engine = engine
        self.version = version
        self.every = every
        self._checked = -float("inf")
        self._ok = False
        self._lock: asyncio.Lock | None = None
        self._limiter = CapacityLimiter(1)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        ok = await self.database_answers()
        body = {"status": "ok", "version": self.version} if ok else {"status": "the database does not answer"}
        content = json.dumps(body).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(content)).encode())]
        await send({"type": "http.response.start", "status": 200 if ok else 503, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else content})

    async def database_answers(self) -> bool:
        if time.monotonic() - self._checked < self.every:
            return self._ok
        self._lock = self._lock or asyncio.Lock()
        async with self._lock:  # one look at a time; those waiting share its answer
            if time.monotonic() - self._checked >= self.every:
                # A thread of its own: the routes' threads may all be busy, which is no reason to fail.
                self._ok = await to_thread.run_sync(self._ping, limiter=self._limiter)
                self._checked = time.monotonic()
        return self._ok

    def _ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:
            logger.exception("health check: the database does not answer")
            return False
        return True
