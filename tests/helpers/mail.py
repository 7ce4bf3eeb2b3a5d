"""A real SMTP server (aiosmtpd) on a free local port that keeps what it receives, and the mail jobs."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session, sessionmaker

from learnbridge.core.jobs import run_pending
from learnbridge.core.settings import Settings
from learnbridge.notify.jobs import job_handlers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def run_mail_jobs(sessions: sessionmaker[Session], settings: Settings, **kwargs: Any) -> int:
    return run_pending(sessions, job_handlers(settings), worker_id="test", **kwargs)
