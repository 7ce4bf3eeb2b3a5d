"""core.admission: at most `limit` requests are worked on at once, in arrival order; a turn ends when the
response starts or the app fails; static files and large bodies skip the queue."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pydantic import ValidationError
from starlette.types import Message, Receive, Scope, Send

from learnbridge.app import create_app
from learnbridge.core.admission import LARGE_BODY, AdmissionLimit
from learnbridge.core.settings import Settings


class Recorder:
    """An ASGI app whose requests each wait for their own release, recording how many run at once."""

    def __init__(self) -> None:
        self.running = 0
        self.most = 0
        self.started: list[str] = []
        self.release: dict[str, asyncio.Event] = {}
        self.after_start: dict[str, asyncio.Event] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        name = scope["path"]
        self.started.append(name)
        self.running += 1
        self.most = max(self.most, self.running)
        try:
            await self.release.setdefault(name, asyncio.Event()).wait()
            if name.endswith("/boom"):
                raise RuntimeError("the route failed")
            await send({"type": "http.response.start", "status": 200, "headers": []})
        finally:
            self.running -= 1
        # The body goes out after the turn ended (a slow download).
        await self.after_start.setdefault(name, asyncio.Event()).wait()
        await send({"type": "http.response.body", "body": b"ok"})


def _scope(path: str, headers: list[tuple[bytes, bytes]] | None = None) -> Scope:
    return {"type": "http", "path": path, "method": "GET", "headers": headers or []}


async def _receive() -> Message:
    return {"type": "http.request", "body": b""}


async def _send(_message: Message) -> None:
    return None


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_requests_beyond_the_limit_wait_in_arrival_order_and_a_turn_ends_when_the_response_starts() -> None:
    async def scenario() -> None:
        inner = Recorder()
        limited = AdmissionLimit(inner, limit=2)
        tasks = [asyncio.create_task(limited(_scope(f"/r{n}"), _receive, _send)) for n in range(5)]
        await _settle()
        assert inner.started == ["/r0", "/r1"]
        assert limited.waiting == 3
        # r1's response starts; its body is still to go, but the next request (r2, the oldest) gets in.
        inner.release.setdefault("/r1", asyncio.Event()).set()
        await _settle()
        assert inner.started == ["/r0", "/r1", "/r2"]
        for n in (0, 2, 3, 4):
            inner.release.setdefault(f"/r{n}", asyncio.Event()).set()
            await _settle()
        assert inner.started == ["/r0", "/r1", "/r2", "/r3", "/r4"]
        assert inner.most == 2
        for n in range(5):
            inner.after_start.setdefault(f"/r{n}", asyncio.Event()).set()
        await asyncio.gather(*tasks)
        assert limited.waiting == 0

    asyncio.run(scenario())


def test_a_failing_request_gives_its_turn_back() -> None:
    async def scenario() -> None:
        inner = Recorder()
        limited = AdmissionLimit(inner, limit=1)
        failing = asyncio.create_task(limited(_scope("/boom"), _receive, _send))
        waiting = asyncio.create_task(limited(_scope("/next"), _receive, _send))
        await _settle()
        assert inner.started == ["/boom"]
        inner.release.setdefault("/boom", asyncio.Event()).set()
        with pytest.raises(RuntimeError):
            await failing
        await _settle()
        assert inner.started == ["/boom", "/next"]
        inner.release["/next"].set()
        inner.after_start.setdefault("/next", asyncio.Event()).set()
        await waiting

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/static/app.css", []),
        ("/content/upload", [(b"content-length", str(LARGE_BODY + 1).encode())]),
        ("/content/upload", [(b"transfer-encoding", b"chunked")]),
    ],
)
def test_static_files_and_large_bodies_skip_the_queue(path: str, headers: list[tuple[bytes, bytes]]) -> None:
    async def scenario() -> None:
        inner = Recorder()
        limited = AdmissionLimit(inner, limit=1)
        busy = asyncio.create_task(limited(_scope("/busy"), _receive, _send))
        await _settle()
        skipping = asyncio.create_task(limited(_scope(path, headers), _receive, _send))
        await _settle()
        assert inner.started == ["/busy", path]
        # A small body, or a bad length, queues like any request.
        small = asyncio.create_task(limited(_scope("/small", [(b"content-length", b"10")]), _receive, _send))
        odd = asyncio.create_task(limited(_scope("/odd", [(b"content-length", b"x")]), _receive, _send))
        await _settle()
        assert inner.started == ["/busy", path]
        assert limited.waiting == 2
        for name in ("/busy", path, "/small", "/odd"):
            inner.release.setdefault(name, asyncio.Event()).set()
            inner.after_start.setdefault(name, asyncio.Event()).set()
            await _settle()
        await asyncio.gather(busy, skipping, small, odd)

    asyncio.run(scenario())


def test_the_limit_is_at_least_one() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        AdmissionLimit(Recorder(), limit=0)


def test_the_app_queues_requests_inside_the_health_check_with_the_configured_limit(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'a.db'}",
        secret_key="test-secret",
        var_dir=tmp_path,
        jobs_in_process=False,
        concurrent_requests=3,
    )
    layers = {getattr(m.cls, "__name__", ""): m.kwargs for m in create_app(settings).user_middleware}
    names = list(layers)  # outermost first
    assert names.index("HealthCheck") < names.index("AdmissionLimit") < names.index("SessionMiddleware")
    assert layers["AdmissionLimit"] == {"limit": 3}
    with pytest.raises(ValidationError, match="concurrent_requests"):
        Settings(concurrent_requests=0)
