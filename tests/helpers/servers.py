"""The app on a real uvicorn server, for tests that need real HTTP (races, limits, browsers)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import uvicorn
from fastapi import FastAPI

from learnbridge.app import create_app
from learnbridge.core.settings import Settings

R = TypeVar("R")


@contextmanager
def serve(app: FastAPI, *, timeout_keep_alive: int = 5) -> Iterator[str]:
    """The app on a real uvicorn server in a thread, on a free local port; yields its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", timeout_keep_alive=timeout_keep_alive
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def app_for(database_url: str, var_dir: Path, **settings: Any) -> FastAPI:
    """The app on a test database, with no job runner (tests run jobs themselves) and these settings."""
    defaults: dict[str, Any] = {"secret_key": "tests", "jobs_in_process": False}
    return create_app(Settings(database_url=database_url, var_dir=var_dir, **(defaults | settings)))


def all_at_once(count: int, attempt: Callable[[int], R]) -> list[R]:
    """attempt(0..count-1), each from a thread of its own, released together; the answers in order."""
    barrier = threading.Barrier(count)
    answers: list[R | None] = [None] * count

    def run(n: int) -> None:
        barrier.wait()
        answers[n] = attempt(n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert all(a is not None for a in answers), "a request never came back"
    return [a for a in answers if a is not None]
