"""The app served by uvicorn in a process of its own, and a small keep-alive HTTP client for it (the
standard library's, so the client costs as little as possible of what is measured)."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BENCH_ENV = {
    "LEARNBRIDGE_SECRET_KEY": "bench",
    "LEARNBRIDGE_JOBS_IN_PROCESS": "false",
    # Sign-in is not what is measured: cheap password hashing.
    "LEARNBRIDGE_PASSWORD_TIME_COST": "1",
    "LEARNBRIDGE_PASSWORD_MEMORY_KIB": "8",
    "LEARNBRIDGE_PASSWORD_PARALLELISM": "1",
}
PASSWORD = "bench password 1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(
    database_url: str, var_dir: Path, *, jobs_in_process: bool = False, workers: int | None = None
) -> Iterator[int]:
    """uvicorn serving `create_app()` on this database; yields the port once /healthz answers. With
    `jobs_in_process` the app runs its job worker as `make run` does, competing with the requests."""
    env = (
        BENCH_ENV
        | {"LEARNBRIDGE_DATABASE_URL": database_url, "LEARNBRIDGE_VAR_DIR": str(var_dir)}
        | {"LEARNBRIDGE_JOBS_IN_PROCESS": str(jobs_in_process).lower()}
    )
    # One process per core unless told otherwise: what `learnbridge serve` (and so `make run`) starts.
    count = workers or int(os.environ.get("LEARNBRIDGE_BENCH_WORKERS", str(os.cpu_count() or 1)))
    with uvicorn_served("learnbridge.app:create_app", env=env, workers=count, factory=True) as port:
        yield port


@contextmanager
def uvicorn_served(
    app: str, *, env: dict[str, str], workers: int = 1, factory: bool = False
) -> Iterator[int]:
    """uvicorn serving the app at this import path in `workers` processes, with these environment
    variables added; yields the port once its /healthz answers."""
    port = _free_port()
    command = [sys.executable, "-m", "uvicorn", app, *(["--factory"] if factory else [])]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"]
    command += ["--workers", str(workers)]
    process = subprocess.Popen(command, env=os.environ | env)
    try:
        _wait_ready(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(20)


def _wait_ready(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {process.returncode}")
        try:
            status, _ = Client(port).request("GET", "/healthz")
            if status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the app did not start within 60 s")


class Client:
    """One keep-alive connection, with the session cookie kept after a sign-in."""

    def __init__(self, port: int, token: str = "") -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        headers = dict(self.headers)
        data: bytes | None = None
        if isinstance(body, dict | list):
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        elif isinstance(body, str):
            data, headers["Content-Type"] = body.encode(), "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        content = response.read()
        for cookie in response.headers.get_all("set-cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        return response.status, content

    def sign_in(self, email: str, password: str = PASSWORD) -> None:
        _, page = self.request("GET", "/login")
        match = re.search(rb'name="csrf_token" value="([^"]+)"', page)
        assert match, "no CSRF token on the sign-in page"
        form = urllib.parse.urlencode(
            {"email": email, "password": password, "csrf_token": match.group(1).decode(), "next": "/"}
        )
        status, _ = self.request("POST", "/login", form)
        assert status == 303, f"sign-in answered {status}"

    def close(self) -> None:
        self.conn.close()
