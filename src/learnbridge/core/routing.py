"""Fast rejection of routers a request's path cannot reach.

FastAPI (0.16x) matches an included router by trying each of its routes in turn, at about 10 µs a route
here, so a request for one of the last routers paid about 2 ms of matching before its handler ran (a
quarter of an LRS batch's time, most of a SCORM commit's). Each included router now first checks the
path against the literal beginnings of its routes' paths (up to the first `{`): a path that starts with
none of them cannot match any of its routes, so the router answers "no match" at once and FastAPI's own
matching (and its 404/405 rules) runs only where it could succeed. A path without parameters is compared
whole, so a router serving "/" is not tried for every path."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, _EffectiveRouteContext, _IncludedRouter
from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match
from starlette.types import Scope

Matcher = Callable[[Scope], tuple[Match, Scope]]


@dataclass
class Paths:
    """What a router's paths can be: exactly one of `whole`, or starting with one of `beginnings`."""

    whole: set[str] = field(default_factory=set)
    beginnings: set[str] = field(default_factory=set)


def _paths(router: _IncludedRouter, into: Paths) -> bool:
    """Collect the router's paths; False where one of its routes is not a plain API route (a mount, a
    frontend group: such a router is not prefiltered)."""
    for candidate in router.effective_candidates():
        if isinstance(candidate, _IncludedRouter):
            if not _paths(candidate, into):
                return False
        elif isinstance(candidate, _EffectiveRouteContext) and isinstance(candidate.original_route, APIRoute):
            path = candidate.path_format
            if "{" in path:
                into.beginnings.add(path.split("{", 1)[0])
            else:
                into.whole.add(path)
        else:
            return False
    return True


def _prefiltered(paths: Paths, matches: Matcher) -> Matcher:
    beginnings = tuple(sorted(paths.beginnings))
    whole = frozenset(paths.whole)

    def prefiltered_matches(scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http":
            path = get_route_path(scope)
            if path not in whole and not path.startswith(beginnings):
                return Match.NONE, {}
        return matches(scope)

    return prefiltered_matches


def prefilter_routers(app: FastAPI) -> None:
    """Give each router included in the app its path check; call once every router is included."""
    route: BaseRoute
    for route in app.router.routes:
        if not isinstance(route, _IncludedRouter):
            continue
        paths = Paths()
        if not _paths(route, paths):
            continue
        own: Any = route
        own.matches = _prefiltered(paths, route.matches)
