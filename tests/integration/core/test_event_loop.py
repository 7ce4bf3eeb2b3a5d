"""No route does database work in the event loop. An `async def` route runs there, so while one admin's
import or preview recompute ran (or waited on a lock) every other request stood still. Routes that use the
database are plain `def`s (FastAPI runs them in its threadpool); what must be awaited (a form, a body) is
read by a dependency first."""

from __future__ import annotations

import inspect

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from learnbridge.core.deps import get_db


def _uses_database(dependant: Dependant) -> bool:
    return any(d.call is get_db or _uses_database(d) for d in dependant.dependencies)


def test_no_route_that_uses_the_database_runs_in_the_event_loop(app: FastAPI) -> None:
    routes = [
        c.original_route for c in iter_route_contexts(app.routes) if isinstance(c.original_route, APIRoute)
    ]
    with_database = [r for r in routes if _uses_database(r.dependant)]
    assert len(with_database) > 100
    in_loop = sorted(
        f"{sorted(r.methods or ())} {r.path}"
        for r in with_database
        if inspect.iscoroutinefunction(r.endpoint)
    )
    assert in_loop == []
