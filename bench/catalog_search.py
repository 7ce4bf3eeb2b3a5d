"""Catalogue search over 50,000 items: p50/p95 of the service call, beside the raw full-text query."""

from __future__ import annotations

import sqlite3
import time

import psycopg
from sqlalchemy.orm import Session

from bench.common import backends, console, fresh_database, median, percentile, settle, table
from learnbridge.catalog.search import fts5_query, terms, tsquery
from learnbridge.catalog.service import ItemFilter, find_items
from learnbridge.core.db import make_engine
from learnbridge.demo.loader import load_demo

ITEMS = 50_000
QUERIES = [
    "safety",
    "forklift",
    "coaching",
    "data",
    "feedback",
    "excel",
    "customer",
    "risk assessment",
    "lead",
    "manag",
    "information security",
    "sql",
    "presentation skills",
    "first aid",
    "negotiat",
    "budget",
    "python",
    "fire",
    "team",
    "change management",
]
ROUNDS = 10
TARGET_MS = 50


def _service_samples(url: str) -> list[float]:
    """Each search in its own session, as each request gets one."""
    engine = make_engine(url)
    samples = []
    for _ in range(ROUNDS):
        for q in QUERIES:
            start = time.perf_counter()
            with Session(engine) as db:
                find_items(db, filters=ItemFilter(q=q), limit=24)
            samples.append((time.perf_counter() - start) * 1000)
    engine.dispose()
    return samples


def _floor_samples(backend: str, url: str) -> list[float]:
    """The bare full-text query for the top 24 ids, through the driver, no ORM and no filters."""
    samples = []
    if backend == "sqlite":
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        sql = (
            "SELECT rowid FROM learning_items_fts WHERE learning_items_fts MATCH ? "
            "ORDER BY bm25(learning_items_fts, 10.0, 4.0, 2.0) LIMIT 24"
        )
        for _ in range(ROUNDS):
            for q in QUERIES:
                start = time.perf_counter()
                conn.execute(sql, (fts5_query(terms(q)),)).fetchall()
                samples.append((time.perf_counter() - start) * 1000)
        conn.close()
        return samples
    sql = (
        "SELECT id FROM learning_items WHERE search_vector @@ to_tsquery('english', %(q)s) "
        "ORDER BY ts_rank(search_vector, to_tsquery('english', %(q)s)) DESC LIMIT 24"
    )
    with psycopg.connect(url) as pg:
        for _ in range(ROUNDS):
            for q in QUERIES:
                start = time.perf_counter()
                pg.execute(sql, {"q": tsquery(terms(q))}).fetchall()
                samples.append((time.perf_counter() - start) * 1000)
    return samples


def run() -> list[list[str]]:
    results = []
    for backend in backends():
        with fresh_database(backend) as url:
            console.print(f"  catalogue search {backend}: loading {ITEMS:,} items")
            engine = make_engine(url)
            with Session(engine) as db:
                load_demo(db, people=300, items=ITEMS)
                db.commit()
            engine.dispose()
            settle(backend, url)
            _service_samples(url)  # warm caches once
            service, floor = _service_samples(url), _floor_samples(backend, url)
        p95 = percentile(service, 95)
        results.append(
            [
                f"catalogue search, {backend}",
                f"{ITEMS:,}",
                f"{len(service)}",
                f"{median(service):.1f}",
                f"{p95:.1f}",
                f"{median(floor):.1f}",
                f"{percentile(floor, 95):.1f}",
                f"{p95 / max(percentile(floor, 95), 0.001):.1f}x",
                f"p95 < {TARGET_MS} ms",
                "yes" if p95 < TARGET_MS else "NO",
            ]
        )
    return results


def render(rows: list[list[str]]) -> None:
    columns = [
        "scenario",
        "items",
        "queries",
        "p50 ms",
        "p95 ms",
        "floor p50",
        "floor p95",
        "p95 vs floor",
        "target",
        "met",
    ]
    console.print(
        table(
            f"Catalogue search ({len(QUERIES)} queries x {ROUNDS} rounds; floor = raw FTS query)",
            columns,
            rows,
        )
    )
