"""Settings, read from the environment with the prefix LEARNBRIDGE_ (never at import time)."""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


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
    # Failed log-ins allowed per e-mail address (and 4x that per client address) in the window.
    login_max_failures: int = 5
    login_window_minutes: int = 15
    static_dir: Path | None = None
    sql_echo: bool = False
    # Background jobs run in a thread of the app process; set false when `learnbridge worker`
    # processes run them instead.
    jobs_in_process: bool = True
    jobs_poll_seconds: float = 2.0
    # Outgoing mail. With no smtp_host nothing is sent: mail is kept in the outbox as 'held'.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "learnbridge@localhost"
    # Where people reach the app, for links in mail.
    base_url: str = "http://127.0.0.1:8000"
    # xAPI verbs (IRIs, comma-separated) that count as completing an item, besides completed and passed.
    xapi_completion_verbs: str = ""

    def resolved_secret_key(self) -> str:
        """The configured key, or one generated once and kept under var_dir."""
        if self.secret_key:
            return self.secret_key
        path = self.var_dir / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()
