"""Security and caching headers on every response, and versioned static assets.

Pages load scripts and styles from this site only (no inline script: htmx reads its configuration from a
meta tag and behaviours live in /static/app.js), may not be framed, and are never sniffed. Everything
dynamic is `Cache-Control: no-store` unless its route says otherwise: pages show personal data, API
answers and exports too. Static files named with their content's hash (`asset()`) are cached for a year
and served compressed."""

from __future__ import annotations

import base64
import functools
import hashlib
from pathlib import Path
from urllib.parse import parse_qs

from starlette.datastructures import MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

YEAR = 365 * 24 * 3600


def content_security_policy(extra_script_hashes: tuple[str, ...] = ()) -> str:
    scripts = " ".join(["'self'", *(f"'sha256-{h}'" for h in extra_script_hashes)])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "object-src 'none'",
        ]
    )


def script_hash(path: Path) -> str | None:
    """The CSP hash of a script's exact text, or None when the file is missing."""
    try:
        return base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()
    except OSError:
        return None


class SecurityHeadersMiddleware:
    """Adds the headers a response did not set itself."""

    def __init__(self, app: ASGIApp, *, policy: str, hsts: bool) -> None:
        self.app = app
        self.fixed = [
            ("Content-Security-Policy", policy),
            ("X-Frame-Options", "DENY"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
        ]
        if hsts:
            self.fixed.append(("Strict-Transport-Security", f"max-age={YEAR}"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cache = _cache_control(scope)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.fixed:
                    headers.setdefault(name, value)
                headers.setdefault("Cache-Control", cache)
            await send(message)

        await self.app(scope, receive, with_headers)


def _cache_control(scope: Scope) -> str:
    if not scope["path"].startswith("/static/"):
        return "no-store"
    versioned = "v" in parse_qs(scope.get("query_string", b"").decode())
    # A versioned URL changes when the file does; an unversioned one is revalidated (ETag) each time.
    return f"public, max-age={YEAR}, immutable" if versioned else "no-cache"


def compressed(app: ASGIApp) -> ASGIApp:
    """Static files served gzip-compressed to clients that accept it (dynamic pages are not: they carry
    secrets such as the CSRF token next to what a visitor typed, which compression would leak)."""
    return GZipMiddleware(app, minimum_size=512)


@functools.lru_cache(maxsize=256)
def _digest(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def asset_url(static_dir: Path, name: str) -> str:
    """`/static/NAME?v=HASH`: the URL changes whenever the file does, so it may be cached for a year."""
    path = static_dir / name
    try:
        version = _digest(path, path.stat().st_mtime_ns)
    except OSError:
        return f"/static/{name}"
    return f"/static/{name}?v={version}"
