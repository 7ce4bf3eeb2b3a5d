"""Who may use the Learning Record Store: clients with HTTP Basic credentials and scopes.

Secrets are 32 random bytes, so a SHA-256 digest is as safe to store as a slow password hash and keeps
every request's authentication to one indexed lookup (the LRS answers GETs in milliseconds)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from learnbridge.core.db import table_of, utcnow
from learnbridge.core.errors import FieldError, Invalid, NotFound
from learnbridge.lrs.models import LrsClient

# xAPI 1.0.3 Part 4, 4.2 (OAuth scopes, used here for Basic clients too).
SCOPES = (
    "all",
    "all/read",
    "statements/write",
    "statements/read",
    "statements/read/mine",
    "state",
    "define",
    "profile",
)
# What each resource needs; any one of the listed scopes grants it.
READS = {"statements": ("all", "all/read", "statements/read", "statements/read/mine")}
WRITES = {"statements": ("all", "statements/write")}


def secret_digest(secret: str) -> str:
    """How a secret is stored: random secrets need no slow hash, a SHA-256 compared in constant time."""
    return hashlib.sha256(secret.encode()).hexdigest()


XAPI_VERSIONS = ("1.0.3", "2.0.0")


# What a new client may do unless told otherwise: what an e-learning package needs (send statements,
# read its own, keep state and profiles). Reading everyone's statements, or voiding another client's,
# needs a scope given on purpose.
PACKAGE_SCOPES = ["statements/write", "statements/read/mine", "state", "profile"]
# The scope that may void any client's statements (xAPI's "unrestricted access").
ADMIN_SCOPE = "all"


def create_client(
    db: Session,
    *,
    name: str,
    home_page: str,
    scopes: list[str] | None = None,
    xapi_version: str = "1.0.3",
    counts_as_evidence: bool = False,
    compatibility: bool = False,
) -> tuple[LrsClient, str]:
    """A new client with a random key and secret, given PACKAGE_SCOPES unless `scopes` names others (least
    privilege: `all` only on purpose); the secret is returned once and stored digested. Its
    statements satisfy mandatory training only when `counts_as_evidence`, and are held to strict
    conformance unless `compatibility` (lrs.compat); both are off unless asked for."""
    name = name.strip()
    # Least privilege: no scopes named means the package's; an empty choice (every box unticked) is
    # refused rather than quietly widened to them.
    chosen = list(PACKAGE_SCOPES) if scopes is None else scopes
    errors = [FieldError("scopes", f"unknown scope {s!r}") for s in chosen if s not in SCOPES]
    if not chosen:
        errors.append(FieldError("scopes", "choose at least one"))
    if xapi_version not in XAPI_VERSIONS:
        errors.append(FieldError("xapi_version", f"must be one of {', '.join(XAPI_VERSIONS)}"))
    if not name:
        errors.append(FieldError("name", "is required"))
    if errors:
        raise Invalid(errors)
    # Hex, not URL-safe base64: a secret beginning with "-" reads as an option to command-line tools.
    key, secret = secrets.token_hex(10), secrets.token_hex(32)
    authority: dict[str, Any] = {
        "objectType": "Agent",
        "name": name,
        "account": {"homePage": home_page, "name": key},
    }
    client = LrsClient(
        name=name,
        key=key,
        secret_hash=secret_digest(secret),
        scopes=chosen,
        authority=authority,
        xapi_version=xapi_version,
        counts_as_evidence=counts_as_evidence,
        compatibility=compatibility,
    )
    db.add(client)
    db.flush()
    return client, secret


def set_counts_as_evidence(db: Session, *, client_id: int, counts: bool) -> LrsClient:
    """Trust a client's statements as evidence for mandatory training, or stop: it applies to what the
    client sends from now on (completions already recorded keep what they were recorded as)."""
    client = db.get(LrsClient, client_id)
    if client is None or client.key == PLATFORM_CLIENT_KEY:
        raise NotFound(f"No LRS client {client_id}.")
    client.counts_as_evidence = counts
    db.flush()
    return client


def set_compatibility(db: Session, *, client_id: int, compatible: bool) -> LrsClient:
    """Accept a client's statements with the known deviations of popular tools (lrs.compat), or hold it
    to strict conformance again: it applies to what the client sends from now on."""
    client = db.get(LrsClient, client_id)
    if client is None or client.key == PLATFORM_CLIENT_KEY:
        raise NotFound(f"No LRS client {client_id}.")
    client.compatibility = compatible
    db.flush()
    return client


def trusted_client_ids(db: Session) -> set[int]:
    """The clients whose statements count as evidence for mandatory training."""
    return set(db.scalars(select(LrsClient.id).where(LrsClient.counts_as_evidence.is_(True))))


def revoke_client(db: Session, *, client_id: int) -> LrsClient:
    """A revoked client's credentials stop working at once; its statements stay."""
    client = db.get(LrsClient, client_id)
    if client is None:
        raise NotFound(f"No LRS client {client_id}.")
    client.active, client.revoked_at = False, utcnow()
    db.flush()
    return client


def list_clients(db: Session) -> list[LrsClient]:
    """The clients people created (not the platform's own)."""
    stmt = select(LrsClient).where(LrsClient.key != PLATFORM_CLIENT_KEY)
    return list(db.scalars(stmt.order_by(LrsClient.created_at.desc(), LrsClient.id.desc())))


# The reserved key of the client the platform writes its own events under (never a generated key:
# those are 20 hex digits).
PLATFORM_CLIENT_KEY = "learnbridge-platform"


def platform_authority(base_url: str) -> dict[str, Any]:
    """The Agent that stands for the platform itself (xAPI 1.0.3 Part 2, 2.4.9: an account). Its home
    page is the LRS's, not the base URL people's accounts live on, so no person's external id can name it."""
    return {
        "objectType": "Agent",
        "name": "Learnbridge",
        "account": {"homePage": f"{base_url.rstrip('/')}/xapi", "name": "learnbridge"},
    }


def platform_client(db: Session, *, base_url: str) -> LrsClient:
    """The platform's own client, created on first use: inactive and without a usable secret, so nobody
    can authenticate as it. ON CONFLICT DO NOTHING lets two workers create it at once."""
    client = db.scalar(select(LrsClient).where(LrsClient.key == PLATFORM_CLIENT_KEY))
    authority = platform_authority(base_url)
    if client is None:
        insert = postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert
        values = {
            "name": "Learnbridge (platform events)",
            "key": PLATFORM_CLIENT_KEY,
            "secret_hash": "",
            "scopes": ["statements/write", "define"],
            "authority": authority,
            "xapi_version": "1.0.3",
            "active": False,
            "created_at": utcnow(),
        }
        db.execute(
            insert(table_of(LrsClient)).values(**values).on_conflict_do_nothing(index_elements=["key"])
        )
        client = db.scalars(select(LrsClient).where(LrsClient.key == PLATFORM_CLIENT_KEY)).one()
    if client.authority != authority:  # the base URL changed
        client.authority = authority
    return client


def platform_client_id(db: Session) -> int | None:
    """The platform client's id, or None before it first wrote anything."""
    return db.scalar(select(LrsClient.id).where(LrsClient.key == PLATFORM_CLIENT_KEY))


def basic_credentials(authorization: str) -> tuple[str, str] | None:
    """The (key, secret) of an `Authorization: Basic ...` header, or None when it is not one."""
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        key, _, secret = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return key, secret


def client_for_basic(db: Session, authorization: str) -> LrsClient | None:
    """The active client named by an `Authorization: Basic ...` header, or None."""
    if (credentials := basic_credentials(authorization)) is None:
        return None
    key, secret = credentials
    client = db.scalar(select(LrsClient).where(LrsClient.key == key, LrsClient.active.is_(True)))
    if client is None or not hmac.compare_digest(client.secret_hash, secret_digest(secret)):
        return None
    return client


def allows(client: LrsClient, needed: tuple[str, ...]) -> bool:
    """True when the client holds any of the scopes a request needs."""
    return any(scope in needed for scope in client.scopes)
