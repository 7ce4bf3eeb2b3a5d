"""People import of 100,000 generated HR rows, beside its floor: the same rows through a raw executemany."""

from __future__ import annotations

import csv
import io
import random
import sqlite3

import psycopg
from sqlalchemy.orm import Session

from bench.common import backends, console, dumps, fresh_database, median, table, timed
from learnbridge.core.db import make_engine, utcnow
from learnbridge.demo.loader import people_csv_text
from learnbridge.people.importer import import_people

ROWS = 100_000
RUNS = 3
TARGET = 10_000  # rows/s on SQLite


def _import(url: str, text: str) -> None:
    engine = make_engine(url)
    with Session(engine) as db:
        import_people(db, text=text)
        db.commit()
    engine.dispose()


def _floor(backend: str, url: str, text: str) -> None:
    """The same people rows inserted by the driver's executemany, nothing else (no checks, no links)."""
    now = utcnow()
    rows = [
        (
            r["external_id"],
            r["name"],
            r["email"],
            r["location"],
            r["hire_date"],
            True,
            dumps({"employment_type": r["attr_employment_type"], "cost_centre": r["attr_cost_centre"]}),
            now,
            now,
        )
        for r in csv.DictReader(io.StringIO(text))
    ]
    sql = (
        "INSERT INTO people (external_id, name, email, location, hire_date, active, attributes, created_at, "
        "updated_at) VALUES ({0}, {0}, {0}, {0}, {0}, {0}, {0}, {0}, {0})"
    )
    if backend == "sqlite":
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        conn.executemany(sql.format("?"), rows)
        conn.commit()
        conn.close()
        return
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as pg, pg.cursor() as cur:
        cur.executemany(sql.format("%s"), rows)


def run() -> list[list[str]]:
    text = people_csv_text(ROWS, random.Random(1))
    results = []
    for backend in backends():
        imports, floors = [], []
        for n in range(RUNS):
            with fresh_database(backend) as url:
                imports.append(timed(lambda url=url: _import(url, text)))
            with fresh_database(backend) as url:
                floors.append(timed(lambda url=url, backend=backend: _floor(backend, url, text)))
            console.print(
                f"  people import {backend} run {n + 1}/{RUNS}: {imports[-1]:.2f}s, floor {floors[-1]:.2f}s"
            )
        imp, flo = median(imports), median(floors)
        target = f"≥ {TARGET:,} rows/s" if backend == "sqlite" else "report"
        results.append(
            [
                f"people import, {backend}",
                f"{ROWS:,}",
                f"{imp:.2f}",
                f"{ROWS / imp:,.0f}",
                f"{flo:.2f}",
                f"{ROWS / flo:,.0f}",
                f"{imp / flo:.1f}x",
                target,
                "—" if backend != "sqlite" else ("yes" if ROWS / imp >= TARGET else "NO"),
            ]
        )
    return results


def render(rows: list[list[str]]) -> None:
    columns = [
        "scenario",
        "rows",
        "median s",
        "rows/s",
        "floor s",
        "floor rows/s",
        "vs floor",
        "target",
        "met",
    ]
    console.print(
        table(
            f"People import (median of {RUNS} runs; floor = raw executemany of the same rows)", columns, rows
        )
    )
