"""What every `learnbridge` command shares: the command groups, stdout and stderr, one transaction per
command, how problems are printed, progress bars and reading a CSV file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from sqlalchemy.orm import Session

from learnbridge.core.csv_text import decode_csv
from learnbridge.core.db import make_engine, make_sessionmaker
from learnbridge.core.errors import DomainError, Invalid
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
    settings = Settings()
    engine = make_engine(settings.database_url)
    try:
        with make_sessionmaker(engine, settings)() as db:
            yield db
            db.commit()
    except DomainError as exc:
        fail(exc)
    finally:
        engine.dispose()


# The most problems the CLI lists; a count of the rest follows them.
MAX_PRINTED = 200


def fail(exc: DomainError) -> NoReturn:
    if isinstance(exc, Invalid) and exc.errors:
        err.print(f"[red]error:[/red] {len(exc.errors)} problem(s), nothing was written")
        for problem in exc.errors[:MAX_PRINTED]:
            err.print(f"  {problem}", markup=False, soft_wrap=True)  # one line each, however long
        if len(exc.errors) > MAX_PRINTED:
            err.print(f"  …and {len(exc.errors) - MAX_PRINTED:,} more", highlight=False)
    else:
        err.print(f"[red]error:[/red] {exc.message}", highlight=False)
    raise typer.Exit(code=1)


class Bar:
    """Adapts a service's progress(stage, done, total) callback to a Rich progress bar."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total or None)
        self.progress.update(self.tasks[stage], completed=done, total=total or None)


def read_csv_file(file: Path) -> str:
    """The file's text, decoded as the upload routes decode it (core.csv_rows.decode_csv)."""
    try:
        return decode_csv(file.read_bytes(), field=file.name)
    except Invalid as exc:
        fail(exc)


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description:>16}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    )


def redact(url: str) -> str:
    """A database URL without its password, for printing."""
    head, sep, tail = url.rpartition("@")
    return f"{head.split(':')[0]}://***@{tail}" if sep and "://" in head else url
