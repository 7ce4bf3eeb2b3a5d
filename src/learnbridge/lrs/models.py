"""The Learning Record Store's tables (xAPI 1.0.3 / 2.0): statements with an indexed column for every
query filter, the activities and agents they name (for `related_*` filters), attachments, merged activity
definitions, documents (state, activity and agent profiles), and the clients allowed to use it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from learnbridge.core.db import Base, UtcDateTime, utcnow

# An Inverse Functional Identifier as one comparable string: "mbox:mailto:a@b", "mbox_sha1sum:<hex>",
# "openid:<uri>", "account:<homePage>|<name>" (xAPI 1.0.3 Part 2, 2.4.2.1), or for a group without an
# IFI nothing (anonymous groups are matched through their members).
IFI_LENGTH = 600
IRI_LENGTH = 1000


class LrsClient(Base):
    """A tool allowed to use the LRS with HTTP Basic credentials: key and secret (stored hashed)."""

    __tablename__ = "lrs_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(255))
    # Any of: all, statements/read, statements/read/mine, statements/write, state, define, profile.
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The Agent set as `authority` on statements this client sends (xAPI 1.0.3 Part 2, 2.4.9).
    authority: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The xAPI version the tool speaks: what a request of it that names no version is answered with.
    xapi_version: Mapped[str] = mapped_column(String(10), default="1.0.3")
    # Whether its completed/passed statements satisfy mandatory training (push.xapi_completions); off for
    # a new client, so no tool can complete anyone's compliance training until an admin says it may.
    counts_as_evidence: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Accept the known deviations of popular authoring tools from xAPI (README, "Compatibility"): off by
    # default, so strict conformance stays the rule unless an admin turns it on for this one client.
    compatibility: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class Statement(Base):
    """One stored statement. `id` (the primary key) orders by storage: `more` pages on it, so paging
    stays stable while statements keep arriving; `stored` is strictly increasing with it."""

    __tablename__ = "xapi_statements"
    __table_args__ = (
        Index("ix_xapi_statements_actor", "actor_ifi", "id"),
        Index("ix_xapi_statements_verb", "verb_id", "id"),
        Index("ix_xapi_statements_activity", "object_activity_id", "id"),
        Index("ix_xapi_statements_registration", "registration", "id"),
        Index("ix_xapi_statements_stored", "stored"),
        Index("ix_xapi_statements_voided", "voided", "id"),
        # Partial: statements pointing at others are few, and an index of a million NULLs tells the
        # planners (SQLite's above all) that a lookup by target returns the whole table.
        Index(
            "ix_xapi_statements_refs",
            "object_statement_id",
            sqlite_where=text("object_statement_id IS NOT NULL"),
            postgresql_where=text("object_statement_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    statement_id: Mapped[str] = mapped_column(String(36), unique=True)
    stored: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    timestamp: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor_ifi: Mapped[str | None] = mapped_column(String(IFI_LENGTH))
    verb_id: Mapped[str] = mapped_column(String(IRI_LENGTH))
    object_type: Mapped[str] = mapped_column(String(20))
    object_activity_id: Mapped[str | None] = mapped_column(String(IRI_LENGTH))
    # For a StatementRef object: the statement it points to (voiding uses it).
    object_statement_id: Mapped[str | None] = mapped_column(String(36))
    registration: Mapped[str | None] = mapped_column(String(36))
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[str] = mapped_column(String(20))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("lrs_clients.id"))
    # The statement as stored (with id, stored, authority, version set), canonical JSON text.
    full: Mapped[str] = mapped_column(Text)
    attachment_hashes: Mapped[list[str]] = mapped_column(JSON, default=list)


class StatementActivity(Base):
    """Every activity a statement names (object, context activities, sub-statement), for the
    `activity` filter with `related_activities=true` (xAPI 1.0.3 Part 3, 2.1.3). Keyed by what it is
    searched by, an activity's statements in key order: on SQLite WITHOUT ROWID, one B-tree entry a row."""

    __tablename__ = "xapi_statement_activities"
    __table_args__ = {"sqlite_with_rowid": False}

    activity_id: Mapped[str] = mapped_column(String(IRI_LENGTH), primary_key=True)
    statement_pk: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("xapi_statements.id", ondelete="CASCADE"),
        primary_key=True,
    )


class StatementAgent(Base):
    """Every agent or group a statement names (actor, object, authority, instructor, team, members),
    for the `agent` filter with `related_agents=true`. Keyed by what it is searched by (as_actor last:
    the key alone answers both agent filters, walking one agent's statements in key order)."""

    __tablename__ = "xapi_statement_agents"
    __table_args__ = {"sqlite_with_rowid": False}

    agent_ifi: Mapped[str] = mapped_column(String(IFI_LENGTH), primary_key=True)
    statement_pk: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("xapi_statements.id", ondelete="CASCADE"),
        primary_key=True,
    )
    # Actor (or a member of an actor group): what the plain `agent` filter matches, besides the object.
    as_actor: Mapped[bool] = mapped_column(Boolean, primary_key=True, default=False)


class Attachment(Base):
    """Attachment content, stored once per SHA-256 (xAPI 1.0.3 Part 1, 2.4.11)."""

    __tablename__ = "xapi_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha2: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Activity(Base):
    """An activity's canonical definition, merged from the statements that define it."""

    __tablename__ = "xapi_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[str] = mapped_column(String(IRI_LENGTH), unique=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Document(Base):
    """A state, activity profile or agent profile document (xAPI 1.0.3 Part 3, 2.3-2.7). Absent keys are
    stored as '' so the unique key works on every database."""

    __tablename__ = "xapi_documents"
    __table_args__ = (
        Index(
            "uq_xapi_documents_key",
            "kind",
            "activity_id",
            "agent_ifi",
            "registration",
            "document_id",
            unique=True,
        ),
        Index("ix_xapi_documents_listing", "kind", "activity_id", "agent_ifi", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # state | activity_profile | agent_profile
    activity_id: Mapped[str] = mapped_column(String(IRI_LENGTH), default="")
    agent_ifi: Mapped[str] = mapped_column(String(IFI_LENGTH), default="")
    registration: Mapped[str] = mapped_column(String(36), default="")
    document_id: Mapped[str] = mapped_column(String(IRI_LENGTH))
    content_type: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    etag: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class LaunchSession(Base):
    """Credentials the platform hands one launch of a package (a cmi5 AU session, an xAPI package):
    HTTP Basic for the LRS that only work for one actor in one registration, until `expires_at`.

    A cmi5 launch gets a one-time fetch token first (cmi5 8.2): the secret is made when the AU fetches
    it, so it is shown once and stored only as a digest. `rules` holds what the LRS checks the session's
    statements against (cmi5 9.3: the launch mode, mastery score, the session id) and `verbs` the cmi5
    verbs the session has used so far."""

    __tablename__ = "lrs_launch_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The client the session's statements are stored as (the platform's content-player client).
    client_id: Mapped[int] = mapped_column(ForeignKey("lrs_clients.id"))
    key: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64), default="")
    fetch_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    fetched_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    profile: Mapped[str] = mapped_column(String(20))  # cmi5 | xapi
    actor: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actor_ifi: Mapped[str] = mapped_column(String(IFI_LENGTH))
    registration: Mapped[str] = mapped_column(String(36), index=True)
    activity_id: Mapped[str] = mapped_column(String(IRI_LENGTH))
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    verbs: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    terminated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
