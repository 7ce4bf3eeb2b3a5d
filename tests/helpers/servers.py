"""The app on a real uvicorn server, for tests that need real HTTP (races, limits, browsers)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from learnbridge.app import create_app
from learnbridge.core.settings import Settings


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
