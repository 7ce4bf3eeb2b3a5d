"""The load generator behind `python -m bench load`, against a small app with known answer times: it
counts what was answered inside its window, times each answer, tells errors apart, and sends each
connection's own request."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest
import uvicorn
from bench.loadgen import Generator, Load, generator, request_bytes
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

SLEEP = 0.02
CONNECTIONS = 4
SECONDS = 1.0


def small_app(seen: Counter[str]) -> FastAPI:
    app = FastAPI()

    @app.get("/slow")
    async def slow(request: Request) -> JSONResponse:
        seen[request.headers.get("x-user", "")] += 1
        await asyncio.sleep(SLEEP)
        return JSONResponse({"slept": SLEEP})

    @app.get("/broken")
    async def broken() -> JSONResponse:
        return JSONResponse({"error": "no"}, status_code=500)

    return app


@pytest.fixture(scope="module")
def seen() -> Counter[str]:
    return Counter()


@pytest.fixture(scope="module")
def port(seen: Counter[str]) -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        free = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(small_app(seen), port=free, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    yield free
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def gen() -> Iterator[Generator]:
    with generator() as made:
        yield made


def test_counts_and_times_answers_inside_the_window(port: int, gen: Generator, seen: Counter[str]) -> None:
    requests = (request_bytes("/slow", {"X-User": "ann"}), request_bytes("/slow", {"X-User": "bob"}))
    measured = gen.measure(Load(port, requests, connections=CONNECTIONS, seconds=SECONDS, warmup=0.3))
    assert not measured.errors
    # Each answer takes at least the app's sleep, so the window holds at most this many per connection.
    most = CONNECTIONS * (SECONDS / SLEEP + 1)
    assert 20 < len(measured.latencies) <= most
    assert measured.rate == len(measured.latencies) / SECONDS
    assert measured.percentile(50) >= SLEEP
    # The server's event loop may wake a sleeper up to its clock's resolution early (about a millisecond).
    assert min(measured.latencies) >= 0.9 * SLEEP
    assert measured.percentile(95) >= measured.percentile(50)
    # Connections 0 and 2 are ann's, 1 and 3 bob's; the warm-up's answers reached the app too.
    assert seen["ann"] > 10 and seen["bob"] > 10


def test_counts_errors_apart_from_answers(port: int, gen: Generator) -> None:
    measured = gen.measure(Load(port, (request_bytes("/broken"),), connections=2, seconds=0.5, warmup=0.1))
    assert measured.latencies == []
    assert measured.rate == 0
    assert measured.errors[500] > 0


def test_counts_a_server_that_is_not_there(gen: Generator) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = int(sock.getsockname()[1])
    measured = gen.measure(Load(closed, (request_bytes("/"),), connections=1, seconds=0.3, warmup=0))
    assert measured.latencies == []
    assert measured.errors[0] > 0
