"""Settings, read from the environment with the prefix LEARNBRIDGE_ (never at import time)."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from learnbridge.core.clients import trusted_networks
from learnbridge.core.limits import BodyLimits

_MB = 1024 * 1024


@dataclass(frozen=True)
class PasswordCost:
    """Argon2id's work factors (RFC 9106 §4): passes, memory in KiB, lanes."""

    time_cost: int
    memory_kib: int
    parallelism: int


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LEARNBRIDGE_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///var/learnbridge.db"
    host: str = "127.0.0.1"
    port: int = 8000
    # Signs the session cookie. When unset, a random key is kept in var/secret_key so that
    # restarts keep people signed in; set it explicitly when several processes serve the app.
    secret_key: str = ""
    var_dir: Path = Path("var")
    # Send the session cookie only over HTTPS. Turn on behind TLS (always, in production).
    cookie_secure: bool = False
    session_hours: int = 12
    # Argon2id's cost for new password hashes (RFC 9106's second recommended option by default).
    # Tests set it cheap through the environment; a stored hash keeps the cost it was made with, and
    # sign-in rehashes one made at another cost.
    password_time_cost: int = Field(default=3, ge=1, le=20)
    password_memory_kib: int = Field(default=65536, ge=8, le=4 * 1024 * 1024)
    password_parallelism: int = Field(default=4, ge=1, le=64)
    # Sign-in throttling (accounts/throttle.py; the README's "Sign-in protection" has the arithmetic).
    # Failures one client may make on one account before each further try waits 2^k seconds, up to
    # login_max_delay_seconds; failures per account and per client address in any hour, beyond which
    # only browsers that have signed in to the account before may try.
    login_free_failures: int = 5
    login_max_delay_seconds: int = 900
    login_account_failures_per_hour: int = 100
    login_client_failures_per_hour: int = 100
    # Proxies (IPs and CIDR blocks, comma-separated) whose X-Forwarded-For names the client; empty
    # trusts none, and the client is the connection's peer.
    trusted_proxies: str = ""
    static_dir: Path | None = None
    sql_echo: bool = False
    # Background jobs run in a thread of the app process; set false when `learnbridge worker`
    # processes run them instead.
    jobs_in_process: bool = True
    jobs_poll_seconds: float = 2.0
    # Re-read a template when its file changes (`learnbridge serve --reload` sets it).
    templates_reload: bool = False
    # Outgoing mail. With no smtp_host nothing is sent: mail is kept in the outbox as 'held'.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "learnbridge@localhost"
    # The ORGANIZER of a session's calendar event when it has no instructor with an e-mail address;
    # empty means mail_from. Calendar clients show it and send replies there, so make it a real mailbox.
    calendar_organizer: str = Field(default="", max_length=254)
    # Where people reach the app, for links in mail.
    base_url: str = "http://127.0.0.1:8000"
    # xAPI verbs (IRIs, comma-separated) that count as completing an item, besides completed and passed.
    xapi_completion_verbs: str = ""
    # How long a writer waits for a database lock before the request is answered 503 (Retry-After).
    db_lock_timeout_seconds: float = Field(default=10.0, gt=0, le=600)
    # Requests one process works on at once; more wait their turn in arrival order (core.admission).
    concurrent_requests: int = Field(default=4, ge=1, le=256)
    # At start, move the objects every request shares (modules, routes, templates) out of the garbage
    # collector's reach: a full collection then walks a few thousand objects instead of 200,000 and stops
    # every thread of the process for about 3 ms instead of 130 ms (core.gc).
    gc_freeze: bool = True
    # The most bytes a request body may carry, per family (413 beyond), and the LRS's own limits.
    max_body_xapi: int = Field(default=32 * _MB, ge=1024)
    max_body_api: int = Field(default=1 * _MB, ge=1024)
    max_body_csv: int = Field(default=50 * _MB, ge=1024)
    max_body_content: int = Field(default=512 * _MB, ge=1024)
    max_body_form: int = Field(default=1 * _MB, ge=1024)
    # Where content versions' files (unpacked packages, videos, PDFs) are kept; default var_dir/content.
    # Several app processes must share it (a network file system or one volume).
    content_dir: Path | None = None
    # The most bytes one package may unpack to (zip bombs are refused by ratio before that).
    max_content_unpacked: int = Field(default=2 * 1024 * _MB, ge=1024)
    xapi_max_batch: int = Field(default=1000, ge=1)
    xapi_max_statement_bytes: int = Field(default=1 * _MB, ge=1024)

    @field_validator("calendar_organizer")
    @classmethod
    def _organizer(cls, value: str) -> str:
        value = value.strip()
        if value and not re.fullmatch(r"[^@\s:<>]+@[^@\s:<>]+\.[^@\s:<>]+", value):
            raise ValueError("must be an e-mail address, like training@example.com")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        trusted_networks(value)  # fail at start-up, not on the first sign-in
        return value

    def password_cost(self) -> PasswordCost:
        # Argon2 needs at least 8 KiB per lane.
        memory = max(self.password_memory_kib, 8 * self.password_parallelism)
        return PasswordCost(self.password_time_cost, memory, self.password_parallelism)

    def body_limits(self) -> BodyLimits:
        return BodyLimits(
            xapi=self.max_body_xapi,
            api=self.max_body_api,
            csv=self.max_body_csv,
            content=self.max_body_content,
            form=self.max_body_form,
        )

    def organizer_address(self) -> str:
        """Who organises sessions without an instructor's address, as calendar clients see it."""
        return self.calendar_organizer or self.mail_from

    def resolved_content_dir(self) -> Path:
        return self.content_dir or self.var_dir / "content"

    def resolved_secret_key(self) -> str:
        """The configured key, or one generated once and kept under var_dir."""
        if self.secret_key:
            return self.secret_key
        path = self.var_dir / "secret_key"
        if not path.exists():
            # Written whole under a name of its own, then linked into place: of several processes
            # starting at once (`serve --workers N`), the first link wins and every one reads that key.
            path.parent.mkdir(parents=True, exist_ok=True)
            draft = path.with_name(f"secret_key.{os.getpid()}.new")
            draft.write_text(secrets.token_urlsafe(48))
            draft.chmod(0o600)
            try:
                os.link(draft, path)
            except FileExistsError:
                pass
            finally:
                draft.unlink()
        return path.read_text().strip()
