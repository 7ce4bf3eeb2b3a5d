"""Shared pieces for the benchmarks: fresh databases per backend, timing, tables."""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from rich.console import Console
from rich.table import Table

from learnbridge.core.migrate import upgrade

PG_ADMIN_URL = os.environ.get("LEARNBRIDGE_TEST_PG", "postgresql://127.0.0.1:5432/test")
console = Console(width=170)


def pg_available() -> bool:
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def backends() -> list[str]:
    """SQLite, and PostgreSQL where it answers; LEARNBRIDGE_BENCH_BACKENDS=sqlite (or postgresql) picks."""
    if chosen := os.environ.get("LEARNBRIDGE_BENCH_BACKENDS"):
        return chosen.split(",")
    found = ["sqlite"]
    if pg_available():
        found.append("postgresql")
    else:
        console.print(f"[yellow]PostgreSQL not reachable at {PG_ADMIN_URL}: reporting SQLite only[/yellow]")
    return found


@contextmanager
def fresh_database(backend: str, *, migrate: bool = True) -> Iterator[str]:
    """A new empty database (migrated unless told otherwise), removed afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            if migrate:
                upgrade(url)
            yield url
        return
    name = f"lb_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{PG_ADMIN_URL.rpartition('/')[0]}/{name}"
    try:
        if migrate:
            upgrade(url)
        yield url
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def settle(backend: str, url: str) -> None:
    """Bring a freshly bulk-loaded database to its steady state (planner statistics gathered), as
    autovacuum would shortly after a load; measuring before that measures the missing statistics."""
    if backend == "sqlite":
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        conn.execute("ANALYZE")
        conn.close()
        return
    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE")


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def table(title: str, columns: list[str], rows: list[list[str]]) -> Table:
    result = Table(title=title, title_justify="left")
    for column in columns:
        result.add_column(column, justify="right" if column != columns[0] else "left")
    for row in rows:
        result.add_row(*row)
    return result


def dumps(value: object) -> str:
    return json.dumps(value)
