"""Commands that run the app: background jobs, the worker and the web server."""

from __future__ import annotations

import os
import socket
from collections import Counter
from typing import Annotated

import typer

from learnbridge.cli.console import app, err, jobs_app, out, redact
from learnbridge.core.db import make_engine, make_sessionmaker
from learnbridge.core.jobs import JobOutcome, run_pending
from learnbridge.core.settings import Settings


def _job_line(outcome: JobOutcome) -> None:
    error = f" ({outcome.error})" if outcome.error else ""
    out.print(f"job {outcome.id} {outcome.kind}: {outcome.status}{error}", markup=False, highlight=False)


@jobs_app.command("run-pending")
def jobs_run_pending() -> None:
    """Run every job that is due now, once, and print a summary (for cron and tests)."""
    from learnbridge.jobs import job_handlers, recurring_jobs

    settings = Settings()
    engine = make_engine(settings.database_url)
    counts: Counter[str] = Counter()
    try:
        ran = run_pending(
            make_sessionmaker(engine, settings),
            job_handlers(settings),
            worker_id=_worker_id("cli"),
            recurring=recurring_jobs(),
            on_outcome=lambda outcome: counts.update([outcome.status.value]),
        )
    finally:
        engine.dispose()
    summary = " ".join(f"{status}={counts[status]}" for status in ("done", "queued", "failed"))
    out.print(f"ran {ran} job(s): {summary}", highlight=False)


@app.command("worker")
def worker(
    poll: Annotated[float | None, typer.Option(help="Seconds between looks for due jobs")] = None,
) -> None:
    """Run background jobs in the foreground until Ctrl-C (with LEARNBRIDGE_JOBS_IN_PROCESS=false on
    the app). Any number of workers may run at once."""
    import time

    from learnbridge.jobs import job_handlers, recurring_jobs

    settings = Settings()
    engine = make_engine(settings.database_url)
    factory, handlers, recurring = (
        make_sessionmaker(engine, settings),
        job_handlers(settings),
        recurring_jobs(),
    )
    worker_id = _worker_id("worker")
    err.print(f"{worker_id} running jobs from {redact(settings.database_url)}; Ctrl-C stops", highlight=False)
    try:
        while True:
            ran = run_pending(
                factory, handlers, worker_id=worker_id, recurring=recurring, limit=50, on_outcome=_job_line
            )
            if ran < 50:
                time.sleep(poll if poll is not None else settings.jobs_poll_seconds)
    except KeyboardInterrupt:
        err.print("stopped")
    finally:
        engine.dispose()


def _worker_id(role: str) -> str:
    return f"{role}-{socket.gethostname()}-{os.getpid()}"


@app.command("serve")
def serve(
    reload: Annotated[bool, typer.Option(help="Restart on code changes (one process)")] = False,
    workers: Annotated[
        int | None,
        typer.Option(min=1, max=64, help="App processes sharing the port [default: the number of cores]"),
    ] = None,
) -> None:
    """Serve the web app and API on LEARNBRIDGE_HOST:LEARNBRIDGE_PORT, in `--workers` processes (one of
    them, chosen by a lock under LEARNBRIDGE_VAR_DIR, runs the in-process jobs)."""
    import uvicorn

    if reload:
        os.environ["LEARNBRIDGE_TEMPLATES_RELOAD"] = "true"  # the app process reads it at start
    settings = Settings()
    processes = 1 if reload else (workers or os.cpu_count() or 1)
    plural = "es" if processes > 1 else ""
    out.print(
        f"Learnbridge is at http://{settings.host}:{settings.port}/ ({processes} process{plural})",
        highlight=False,
    )
    uvicorn.run(
        "learnbridge.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        reload=reload,
        workers=None if reload else processes,
        log_level="info",
        # The client address comes from LEARNBRIDGE_TRUSTED_PROXIES alone (core/clients.py): uvicorn
        # would otherwise take X-Forwarded-For from any local peer.
        proxy_headers=False,
    )
