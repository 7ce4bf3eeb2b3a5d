"""Several app processes (`learnbridge serve --workers N`): one of them runs the in-process jobs, the
next takes over when it stops; they share one secret key, so a form from one is accepted by another."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from learnbridge.app import create_app
from learnbridge.core.db import make_sessionmaker
from learnbridge.core.settings import Settings
from learnbridge.notify.models import MailStatus, OutboxMail
from learnbridge.notify.service import queue_mail
from tests.helpers.cli import SOURCE, cli
from tests.helpers.databases import BACKENDS, create_database, drop_database


@pytest.fixture(scope="module", params=BACKENDS)
def fresh_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, handle = create_database(request.param, tmp_path_factory.mktemp("workers"))
    yield url
    drop_database(handle)


def _sent(factory: object, mail_id: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with factory() as db:  # type: ignore[operator]
            if db.get(OutboxMail, mail_id).status == MailStatus.held:
                return True
        time.sleep(0.05)
    return False


def test_one_app_process_runs_the_jobs_and_another_takes_over(fresh_url: str, tmp_path: Path) -> None:
    def app() -> FastAPI:
        return create_app(
            Settings(
                database_url=fresh_url, secret_key="t", var_dir=tmp_path, jobs_poll_seconds=0.05, smtp_host=""
            )
        )

    first, second = app(), app()
    factory = make_sessionmaker(first.state.engine)
    with ExitStack() as running:
        stop_first = running.enter_context(ExitStack())
        stop_first.enter_context(TestClient(first))
        time.sleep(0.3)  # the first has taken the lock
        running.enter_context(TestClient(second))
        time.sleep(0.3)
        assert first.state.job_runner.leadership.held and not second.state.job_runner.leadership.held
        with factory() as db:
            mail = queue_mail(db, to_address="ada@example.org", subject="Hello", body="Hi")
            db.commit()
        assert _sent(factory, mail.id)
        stop_first.close()  # the leader stops: the other takes over at its next look
        with factory() as db:
            mail = queue_mail(db, to_address="grace@example.org", subject="Hello", body="Hi")
            db.commit()
        assert _sent(factory, mail.id)
        assert second.state.job_runner.leadership.held


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_with_two_workers_shares_one_key_and_one_job_runner(fresh_url: str, tmp_path: Path) -> None:
    assert cli(fresh_url, "db", "upgrade", var_dir=tmp_path).returncode == 0
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": SOURCE,
        "LEARNBRIDGE_DATABASE_URL": fresh_url,
        "LEARNBRIDGE_VAR_DIR": str(tmp_path),
        "LEARNBRIDGE_PORT": str(port),
        "LEARNBRIDGE_HOST": "127.0.0.1",
    }
    env.pop("LEARNBRIDGE_SECRET_KEY", None)  # each process reads the one generated under var_dir
    server = subprocess.Popen(
        [sys.executable, "-m", "learnbridge", "serve", "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if urllib.request.urlopen(f"{base}/healthz", timeout=2).status == 200:  # noqa: S310 (http only)
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("the server did not start")
                time.sleep(0.2)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        # Forms from whichever process served the page are accepted by whichever gets the post.
        for _ in range(12):
            page = opener.open(f"{base}/login", timeout=5).read().decode()
            token = re.search(r'name="csrf_token" value="([^"]+)"', page)
            assert token
            data = f"email=nobody%40example.org&password=wrong&next=%2F&csrf_token={token.group(1)}"
            request = urllib.request.Request(f"{base}/login", data=data.encode(), method="POST")  # noqa: S310
            try:
                answer = opener.open(request, timeout=5)
                status, text = answer.status, answer.read().decode()
            except urllib.error.HTTPError as exc:
                status, text = exc.code, exc.read().decode()
            # A wrong password (and, after a few, a wait), never a refused form.
            assert status in (400, 429) and "did not come from this site" not in text
        time.sleep(1)
        holder = int((tmp_path / "job-runner.lock").read_text())
        assert holder != server.pid
    finally:
        server.send_signal(signal.SIGINT)
        try:
            output, _ = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            output, _ = server.communicate()
    assert "(2 processes)" in output
    started = re.findall(r"Started server process \[(\d+)\]", output)
    assert len(set(started)) == 2, output
    assert str(holder) in started
