"""At most `limit` requests of a process are worked on at once; the rest wait their turn in the event loop,
in arrival order, before they take a thread, a database connection or a share of the interpreter lock.

Without it, every request that arrived took one of the threadpool's 40 threads at once and they took turns
on one interpreter lock: the learner's home page served 60 a second to one connection and 31 a second to 64
(each request's work interleaved with forty others', so each ended later and the machine's caches served
forty working sets). With a bound, throughput stays at what the process does best and latency grows with the
queue, as users expect of a busy server.

A turn ends when the response starts (its work is done; sending the body needs no turn, so a slow download
never holds one). Requests that carry a large body (uploads, over `LARGE_BODY` bytes) skip the queue: they
spend most of their time receiving it, and a few slow uploads must not hold every turn. Static files skip it
too: they are read by the event loop and cost nothing worth queueing."""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LARGE_BODY = 1 << 20
_STATIC = "/static/"


class AdmissionLimit:
    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        if limit < 1:
            raise ValueError("the admission limit must be at least 1")
        self.app = app
        self.limit = limit
        self._turns: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_STATIC) or _large_body(scope):
            await self.app(scope, receive, send)
            return
        # Made in the running loop (the app may be built before the server's loop exists).
        self._turns = self._turns or asyncio.Semaphore(self.limit)
        turns = self._turns
        await turns.acquire()
        held = True

        async def send_and_end_turn(message: Message) -> None:
            nonlocal held
            if held and message["type"] == "http.response.start":
                held = False
                turns.release()
            await send(message)

        try:
            await self.app(scope, receive, send_and_end_turn)
        finally:
            if held:
                turns.release()

    @property
    def waiting(self) -> int:
        """Requests queued for a turn now (for tests and diagnostics)."""
        turns = self._turns
        waiters = getattr(turns, "_waiters", None) if turns is not None else None
        return len(waiters) if waiters else 0


def _large_body(scope: Scope) -> bool:
    for name, value in scope.get("headers") or ():
        if name == b"content-length":
            try:
                return int(value) > LARGE_BODY
            except ValueError:
                return False
        if name == b"transfer-encoding" and b"chunked" in value.lower():
            return True
    return False
