"""The `learnbridge` command: each command is one service call in one transaction."""

from __future__ import annotations

import os
import socket
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from sqlalchemy.orm import Session

from learnbridge.accounts import service as accounts
from learnbridge.core.csv_rows import decode_csv
from learnbridge.core.db import make_engine, make_sessionmaker
from learnbridge.core.errors import DomainError, Invalid
from learnbridge.core.jobs import JobOutcome, run_pending
from learnbridge.core.migrate import upgrade
from learnbridge.core.settings import Settings

app = typer.Typer(help="Learnbridge: push a little, pull a lot.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
people_app = typer.Typer(help="The organisation.", no_args_is_help=True)
skills_app = typer.Typer(help="Skill frameworks.", no_args_is_help=True)
tokens_app = typer.Typer(help="API bearer tokens.", no_args_is_help=True)
accounts_app = typer.Typer(help="Sign-in accounts.", no_args_is_help=True)
demo_app = typer.Typer(help="The demo organisation.", no_args_is_help=True)
jobs_app = typer.Typer(help="Background jobs.", no_args_is_help=True)
push_app = typer.Typer(help="Mandatory training: assignments and reminders.", no_args_is_help=True)
audit_app = typer.Typer(help="The compliance audit trail.", no_args_is_help=True)
completions_app = typer.Typer(help="Completion records.", no_args_is_help=True)
lrs_app = typer.Typer(help="The xAPI Learning Record Store.", no_args_is_help=True)
lrs_clients_app = typer.Typer(help="Clients allowed to use the LRS.", no_args_is_help=True)
lrs_app.add_typer(lrs_clients_app, name="clients")
for sub, name in (
    (db_app, "db"),
    (people_app, "people"),
    (skills_app, "skills"),
    (tokens_app, "tokens"),
    (lrs_app, "lrs"),
    (accounts_app, "accounts"),
    (demo_app, "demo"),
    (jobs_app, "jobs"),
    (push_app, "push"),
    (audit_app, "audit"),
    (completions_app, "completions"),
):
    app.add_typer(sub, name=name)
out = Console()
err = Console(stderr=True)


@contextmanager
def session() -> Iterator[Session]:
    """One transaction for one command: committed if the command succeeds, rolled back if not."""
    engine = make_engine(Settings().database_url)
    try:
        with make_sessionmaker(engine)() as db:
            yield db
            db.commit()
    except DomainError as exc:
        _fail(exc)
    finally:
        engine.dispose()


# The most problems the CLI lists; a count of the rest follows them.
MAX_PRINTED = 200


def _fail(exc: DomainError) -> NoReturn:
    if isinstance(exc, Invalid) and exc.errors:
        err.print(f"[red]error:[/red] {len(exc.errors)} problem(s), nothing was written")
        for problem in exc.errors[:MAX_PRINTED]:
            err.print(f"  {problem}", markup=False, soft_wrap=True)  # one line each, however long
        if len(exc.errors) > MAX_PRINTED:
            err.print(f"  …and {len(exc.errors) - MAX_PRINTED:,} more", highlight=False)
    else:
        err.print(f"[red]error:[/red] {exc.message}", highlight=False)
    raise typer.Exit(code=1)


class _Bar:
    """Adapts a service's progress(stage, done, total) callback to a Rich progress bar."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total or None)
        self.progress.update(self.tasks[stage], completed=done, total=total or None)


def _read_csv(file: Path) -> str:
    """The file's text, decoded as the upload routes decode it (core.csv_rows.decode_csv)."""
    try:
        return decode_csv(file.read_bytes(), field=file.name)
    except Invalid as exc:
        _fail(exc)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:>16}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema to the newest version (safe to run again)."""
    settings = Settings()
    upgrade(settings.database_url)
    out.print(f"database is up to date ({_redact(settings.database_url)})", highlight=False)


def _redact(url: str) -> str:
    head, sep, tail = url.rpartition("@")
    return f"{head.split(':')[0]}://***@{tail}" if sep and "://" in head else url


@people_app.command("import")
def people_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    full: Annotated[
        bool, typer.Option(help="The file lists everyone: deactivate people missing from it")
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Check the file and print what importing it would do; save nothing"),
    ] = False,
) -> None:
    """Upsert people from an HR CSV (all or nothing; every bad row reported). A column the file lacks
    is left alone; an empty cell clears its field."""
    from learnbridge.people.importer import import_people

    text = _read_csv(file)
    with _progress() as progress, session() as db:
        summary = import_people(db, text=text, full=full, dry_run=dry_run, progress=_Bar(progress))
    out.print(" ".join(f"{key}={value}" for key, value in summary.counts().items()), soft_wrap=True)
    if summary.cleared:
        verb = "would clear" if dry_run else "cleared"
        clears = ", ".join(summary.clears_in_words())
        out.print(f"this import {verb} {clears}", markup=False, highlight=False, soft_wrap=True)
    if dry_run:
        out.print("dry run: nothing was written")


@push_app.command("recompute")
def push_recompute() -> None:
    """The full recompute: every active requirement for everyone (changes already recompute what
    they touch; run this after restoring a backup or changing the database by hand)."""
    from learnbridge.push.assignments import recompute
    from learnbridge.push.audit import Actor

    with _progress() as progress, session() as db:
        result = recompute(db, actor=Actor.system("learnbridge push recompute"), progress=_Bar(progress))
    out.print(
        f"people={result.people} requirements={result.requirements} created={result.created} "
        f"reopened={result.reactivated} closed={result.closed} due_changed={result.due_changed}"
    )


@push_app.command("reminders")
def push_reminders(
    day: Annotated[str, typer.Option(help="YYYY-MM-DD; default today (UTC)")] = "",
) -> None:
    """Send the day's reminder digests now (the daily job does this at 06:00 UTC)."""
    import datetime as dt

    from learnbridge.core.db import utcnow
    from learnbridge.push.reminders import send_reminders

    try:
        when = dt.date.fromisoformat(day) if day else utcnow().date()
    except ValueError:
        _fail(Invalid(field="day", message="must be a date (YYYY-MM-DD)"))
        return
    with session() as db:
        sent = send_reminders(db, day=when)
    out.print(f"digests={sent} day={when}")


@audit_app.command("verify")
def audit_verify(
    expect_head: Annotated[
        str,
        typer.Option(
            "--expect-head", help="SEQ:HASH printed by an earlier verify: it must still be in the chain"
        ),
    ] = "",
) -> None:
    """Walk the audit trail's hash chain: exit 1 at the first broken link, else print the number of
    rows and the head (record it elsewhere, and pass it to --expect-head later)."""
    from learnbridge.push.audit_chain import Head, verify_chain

    try:
        expect = Head.parse(expect_head) if expect_head else None
    except ValueError as exc:
        _fail(Invalid(field="--expect-head", message=str(exc)))
        return
    with _progress() as progress, session() as db:
        check = verify_chain(db, expect=expect, progress=_Bar(progress))
    if check.broken is not None:
        err.print(f"[red]broken:[/red] {check.broken}", highlight=False, soft_wrap=True)
        err.print(f"intact before it: {check.rows} rows, up to {check.head}", highlight=False, soft_wrap=True)
        raise typer.Exit(code=1)
    out.print(f"intact: {check.rows} rows", highlight=False)
    print(f"head: {check.head}")


@completions_app.command("import")
def completions_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Import completions from another system's CSV (all or nothing; every bad row reported)."""
    from learnbridge.push.audit import Actor
    from learnbridge.push.fulfilment import import_completions

    text = _read_csv(file)
    with _progress() as progress, session() as db:
        result, applied = import_completions(
            db, text, actor=Actor.system(f"completions import {file.name}"), progress=_Bar(progress)
        )
    out.print(f"created={len(result.created)} duplicates={result.duplicates} assignments_completed={applied}")


@skills_app.command("import")
def skills_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    format: Annotated[str, typer.Option(help="simple, or moodle (competency framework export)")] = "simple",
) -> None:
    """Import a skill framework CSV."""
    from learnbridge.skills.importer import import_skills_csv

    with session() as db:
        summary = import_skills_csv(db, text=_read_csv(file), format=format)
    out.print(" ".join(f"{key}={value}" for key, value in summary.as_dict().items()))


@tokens_app.command("create")
def tokens_create(
    email: Annotated[str, typer.Option(help="The account the token acts as")],
    name: Annotated[str, typer.Option(help="What the token is for")] = "",
) -> None:
    """Issue an API bearer token. It is printed once, alone on the last line, and stored hashed."""
    with session() as db:
        token = accounts.create_token(db, email=email, name=name)
    out.print(f"token for {email} (store it now; it is not shown again):", highlight=False)
    print(token)


@lrs_clients_app.command("create")
def lrs_clients_create(
    name: Annotated[str, typer.Option(help="What the client is (the tool or content sending statements)")],
    scope: Annotated[
        list[str] | None,
        typer.Option(
            help="A scope; repeat for several (default: statements/write, statements/read/mine, state, "
            "profile; `all` reads every statement and may void any client's)"
        ),
    ] = None,
    xapi_version: Annotated[
        str,
        typer.Option(help="The xAPI version the tool speaks (1.0.3 or 2.0.0): unversioned requests get it"),
    ] = "1.0.3",
    counts_as_evidence: Annotated[
        bool,
        typer.Option(
            "--counts-as-evidence",
            help="Its completed/passed statements satisfy mandatory training (off by default)",
        ),
    ] = False,
) -> None:
    """Issue LRS credentials for HTTP Basic. The last two lines are `key: KEY` and `secret: SECRET`;
    the secret is stored digested and not shown again."""
    from learnbridge.lrs import clients as lrs_clients

    settings = Settings()
    with session() as db:
        client, secret = lrs_clients.create_client(
            db,
            name=name,
            home_page=settings.base_url,
            scopes=scope,
            xapi_version=xapi_version,
            counts_as_evidence=counts_as_evidence,
        )
        key = client.key
    out.print(f"LRS client {name!r} (endpoint {settings.base_url.rstrip('/')}/xapi); store the secret now:")
    print(f"key: {key}")
    print(f"secret: {secret}")


@tokens_app.command("revoke")
def tokens_revoke(
    prefix: Annotated[str, typer.Argument(help="The first 10 characters of the token")],
) -> None:
    """Revoke tokens by their prefix."""
    with session() as db:
        count = accounts.revoke_token(db, prefix=prefix)
    out.print(f"revoked {count} token(s)")


@accounts_app.command("create")
def accounts_create(
    email: Annotated[str, typer.Option()],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    ld_admin: Annotated[bool, typer.Option("--ld-admin", help="Grant the L&D admin role")] = False,
    auditor: Annotated[bool, typer.Option("--auditor", help="Grant the auditor role")] = False,
) -> None:
    """Create a sign-in account (linked to the person with that e-mail, if any)."""
    with session() as db:
        account = accounts.create_account(
            db, email=email, password=password, is_ld_admin=ld_admin, is_auditor=auditor
        )
    out.print(f"account {account.email} created" + (" (linked to a person)" if account.person_id else ""))


@demo_app.command("load")
def demo_load(
    people: Annotated[int, typer.Option(help="How many people the organisation has")] = 300,
    items: Annotated[
        int, typer.Option(help="How many catalogue items (at least the 120 written ones)")
    ] = 120,
    if_empty: Annotated[bool, typer.Option("--if-empty", help="Do nothing if people already exist")] = False,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed builds the same organisation")] = 7,
) -> None:
    """Build the demo organisation and print the demo logins."""
    from learnbridge.demo.loader import DEMO_LOGINS, load_demo
    from learnbridge.people.service import count_people

    with _progress() as progress, session() as db:
        if if_empty and count_people(db):
            out.print("demo not loaded: the database already has people")
            print_logins(DEMO_LOGINS)
            return
        summary = load_demo(db, people=people, items=items, seed=seed, progress=_Bar(progress))
    out.print(" ".join(f"{key}={value}" for key, value in summary.items()))
    print_logins(DEMO_LOGINS)


def print_logins(logins: list[tuple[str, str]]) -> None:
    out.print("demo logins (password for all: learnbridge):")
    for email, role in logins:
        out.print(f"  {email:<24} {role}", highlight=False)


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
            make_sessionmaker(engine),
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
    factory, handlers, recurring = make_sessionmaker(engine), job_handlers(settings), recurring_jobs()
    worker_id = _worker_id("worker")
    err.print(
        f"{worker_id} running jobs from {_redact(settings.database_url)}; Ctrl-C stops", highlight=False
    )
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
def serve(reload: Annotated[bool, typer.Option(help="Restart on code changes")] = False) -> None:
    """Serve the web app and API on LEARNBRIDGE_HOST:LEARNBRIDGE_PORT."""
    import uvicorn

    settings = Settings()
    out.print(f"Learnbridge is at http://{settings.host}:{settings.port}/", highlight=False)
    uvicorn.run(
        "learnbridge.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        reload=reload,
        log_level="info",
        # The client address comes from LEARNBRIDGE_TRUSTED_PROXIES alone (core/clients.py): uvicorn
        # would otherwise take X-Forwarded-For from any local peer.
        proxy_headers=False,
    )


def main() -> None:
    app()
