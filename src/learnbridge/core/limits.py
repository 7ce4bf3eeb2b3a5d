"""Request bodies are bounded before they are read.

Every request with a body belongs to a family (the LRS, the JSON API, CSV uploads, content uploads,
browser forms), each with a configurable limit. A declared Content-Length over the limit is answered 413
before a byte is read; a body that turns out longer (chunked, or a lying header) is cut off at the limit
and answered 413 too, whatever the route was doing with it. A large body sent with no credentials at all
is answered 401 unread. Above the routes, so nothing below ever buffers more than its family allows."""

from __future__ import annotations

import json
import re
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from learnbridge.core.errors import DomainError

# Bodies up to this size may arrive without credentials (sign-in, the LRS answering its own 401).
ANONYMOUS_BODY = 64 * 1024
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Content packages and media are uploaded to an item's content (the delivery area).
_CONTENT = re.compile(r"^/(api/v1/)?(admin/)?catalog(/items)?/[^/]+/content(/|$)")
_CSV = re.compile(r"/import/?$")


class BodyTooLarge(DomainError):
    status = 413
    title = "Request too large"


@dataclass(frozen=True)
class BodyLimits:
    """The most bytes a request body may carry, per family."""

    xapi: int
    api: int
    csv: int
    content: int
    form: int

    def family(self, path: str) -> tuple[str, int]:
        if path == "/xapi" or path.startswith("/xapi/"):
            return "xapi", self.xapi
        if _CONTENT.match(path):
            return "content", self.content
        if _CSV.search(path):
            return "csv", self.csv
        if path.startswith("/api/"):
            return "api", self.api
        return "form", self.form


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB" if size >= 1024 * 1024 else f"{size / 1024:g} KB"


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _has_credentials(scope: Scope) -> bool:
    headers = dict(scope.get("headers", []))
    if headers.get(b"authorization"):
        return True
    session = scope.get("session")
    # The session cookie is signed: a "sid" in it was put there by a sign-in on this site.
    return isinstance(session, dict) and bool(session.get("sid"))


def _public(scope: Scope) -> bool:
    """Writes that carry their credentials in the body: the sign-in form, the LRS's alternate syntax."""
    path = scope["path"]
    return path == "/login" or (path.startswith("/xapi/") and b"method=" in scope.get("query_string", b""))


async def _answer(send: Send, family: str, status: int, message: str) -> None:
    headers: list[tuple[bytes, bytes]] = [(b"connection", b"close")]
    if family == "xapi":
        body = json.dumps({"error": message}).encode()
        headers += [(b"content-type", b"application/json"), (b"x-experience-api-version", b"1.0.3")]
        if status == 401:
            headers.append((b"www-authenticate", b'Basic realm="xAPI"'))
    elif family in ("api", "csv", "content"):
        title = "Request too large" if status == 413 else "Not signed in"
        problem = {"type": "about:blank", "title": title, "status": status, "detail": message}
        body = json.dumps(problem).encode()
        headers.append((b"content-type", b"application/problem+json"))
    else:
        body = message.encode()
        headers.append((b"content-type", b"text/plain; charset=utf-8"))
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Pure ASGI, so that nothing reads the body before the limit is applied. Installed inside the
    session middleware, which has decoded the signed session cookie by then."""

    def __init__(self, app: ASGIApp, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        family, limit = self.limits.family(scope["path"])
        too_large = f"the request body is larger than the {_mb(limit)} allowed here"
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _answer(send, family, 413, too_large)
            return
        large = declared is None or declared > ANONYMOUS_BODY
        if large and not _has_credentials(scope) and not _public(scope):
            await _answer(send, family, 401, "sign in or send credentials before sending a large body")
            return
        await _Guard(self.app, limit, family, too_large).run(scope, receive, send)


class _Guard:
    """Counts the body as the app reads it; past the limit, the app's answer is replaced by 413."""

    def __init__(self, app: ASGIApp, limit: int, family: str, message: str) -> None:
        self.app, self.limit, self.family, self.message = app, limit, family, message
        self.received = 0
        self.exceeded = False
        self.answered = False

    async def run(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                self.received += len(message.get("body", b""))
                if self.received > self.limit:
                    self.exceeded = True
                    raise BodyTooLarge(self.message)
            return message

        async def guarded(message: MutableMapping[str, Any]) -> None:
            if self.exceeded:
                # The route turned the cut-off into an answer of its own (a parse error): say why instead.
                if not self.answered:
                    self.answered = True
                    await _answer(send, self.family, 413, self.message)
                return
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not self.exceeded:
                raise
        if self.exceeded and not self.answered:
            self.answered = True
            await _answer(send, self.family, 413, self.message)
