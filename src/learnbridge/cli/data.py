"""Commands over the organisation's data: the schema, imports, compliance runs, the audit trail and the
demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from learnbridge.cli.console import (
    Bar,
    audit_app,
    completions_app,
    db_app,
    demo_app,
    err,
    fail,
    out,
    people_app,
    progress_bar,
    push_app,
    read_csv_file,
    redact,
    session,
    skills_app,
)
from learnbridge.core.errors import Invalid
from learnbridge.core.migrate import upgrade
from learnbridge.core.settings import Settings


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema to the newest version (safe to run again)."""
    settings = Settings()
    upgrade(settings.database_url)
    out.print(f"database is up to date ({redact(settings.database_url)})", highlight=False)


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

    text = read_csv_file(file)
    with progress_bar() as progress, session() as db:
        summary = import_people(db, text=text, full=full, dry_run=dry_run, progress=Bar(progress))
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

    with progress_bar() as progress, session() as db:
        result = recompute(db, actor=Actor.system("learnbridge push recompute"), progress=Bar(progress))
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
        fail(Invalid(field="day", message="must be a date (YYYY-MM-DD)"))
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
        fail(Invalid(field="--expect-head", message=str(exc)))
        return
    with progress_bar() as progress, session() as db:
        check = verify_chain(db, expect=expect, progress=Bar(progress))
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

    text = read_csv_file(file)
    with progress_bar() as progress, session() as db:
        result, applied = import_completions(
            db, text, actor=Actor.system(f"completions import {file.name}"), progress=Bar(progress)
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
        summary = import_skills_csv(db, text=read_csv_file(file), format=format)
    out.print(" ".join(f"{key}={value}" for key, value in summary.as_dict().items()))


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
    from learnbridge.content.storage import ContentStore
    from learnbridge.demo.loader import DEMO_LOGINS, load_demo
    from learnbridge.people.service import count_people

    with progress_bar() as progress, session() as db:
        if if_empty and count_people(db):
            out.print("demo not loaded: the database already has people")
            print_logins(DEMO_LOGINS)
            return
        store = ContentStore(Settings().resolved_content_dir())
        summary = load_demo(
            db, people=people, items=items, seed=seed, content_store=store, progress=Bar(progress)
        )
    out.print(" ".join(f"{key}={value}" for key, value in summary.items()))
    print_logins(DEMO_LOGINS)


def print_logins(logins: list[tuple[str, str]]) -> None:
    out.print("demo logins (password for all: learnbridge):")
    for email, role in logins:
        out.print(f"  {email:<24} {role}", highlight=False)
