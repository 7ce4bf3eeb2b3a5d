"""Routers a path cannot reach are skipped (core.routing): every route is still found, and unknown paths
and wrong methods still answer 404 and 405."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Match

_PARAM = re.compile(r"\{([^}:]+)(?::[^}]+)?\}")


def _matched(app: FastAPI, path: str, method: str) -> Match:
    scope = {"type": "http", "path": path, "method": method, "root_path": "", "headers": [], "app": app}
    best = Match.NONE
    for route in app.router.routes:
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return match
        if match == Match.PARTIAL:
            best = match
    return best


def test_every_route_is_still_matched(app: FastAPI) -> None:
    contexts = [c for c in iter_route_contexts(app.routes) if isinstance(c.original_route, APIRoute)]
    assert len(contexts) > 200
    missed = []
    for context in contexts:
        route = context.original_route
        assert isinstance(route, APIRoute)
        path = _PARAM.sub("1", context.path_format or "")
        method = sorted(route.methods or {"GET"})[0]
        if _matched(app, path, method) != Match.FULL:
            missed.append(f"{method} {path}")
    assert missed == []


def test_the_prefilter_skips_routers_that_cannot_match(app: FastAPI) -> None:
    """The check can fail: a router whose paths all start elsewhere says "no match" without trying."""
    scope = {"type": "http", "path": "/xapi/statements", "method": "POST", "root_path": "", "app": app}
    skipped = [r for r in app.router.routes if r.matches.__name__ == "prefiltered_matches"]
    assert len(skipped) > 20
    assert sum(r.matches(scope)[0] == Match.FULL for r in skipped) == 1


def test_unknown_paths_and_wrong_methods_keep_their_answers(client: TestClient) -> None:
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/healthz").status_code == 200
    assert client.get("/logout").status_code == 405  # POST only
