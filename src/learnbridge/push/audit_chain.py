"""The audit trail as a hash chain, and its verification.

Every audit row has a place `seq` (1, 2, 3, ... without gaps) and a `hash`:

    hash(seq) = SHA-256(hash(seq - 1) || UTF-8(content)),  hash(0) = 32 zero bytes

where `content` lists, in this order, seq, at, actor_id, actor, action, reason, item_id, completion_id,
requirement_id, person_id, assignment_id and detail, each written as `-` when NULL and otherwise as
`<length>:<text>` (the length in characters; integers in decimal, `at` in UTC as
YYYY-MM-DDTHH:MM:SS.ffffff), with nothing between them. (The fields one set-based batch shares come
first, so a batch passes only the four that vary per row through Python.) Editing a column, deleting a
row or swapping two rows' places breaks the link at that row; rewriting the whole chain from some row on
is caught by comparing its head with one recorded elsewhere (`verify_chain(expect=...)`).

PostgreSQL computes the links in a BEFORE INSERT trigger (the 0008 migration), serialised by a
transaction-level advisory lock so that the chain follows commit order. SQLite triggers cannot set
values, so push.audit supplies them: computed here for rows built in Python, and through two functions
registered on the connection (`audit_link`, `audit_seq`) for an INSERT ... SELECT. SQLite has one writer
at a time, so the head read at the start of a statement stays the head until it ends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, LargeBinary, func, select
from sqlalchemy.orm import Session

from learnbridge.core.progress import Progress, no_progress
from learnbridge.push.models import AuditEvent

GENESIS = bytes(32)
_sha256 = hashlib.sha256
PAGE = 5000
_LINKS = "learnbridge.audit_links"  # the connection's _SqliteLinks, in the pool entry's info


def field(value: int | str | None) -> str:
    """One field of a row's content: `-` for NULL, else `<length>:<text>`."""
    if value is None:
        return "-"
    text = str(value)
    return f"{len(text)}:{text}"


def at_text(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def shared_part(
    *,
    at: dt.datetime,
    actor_id: int | None,
    actor: str,
    action: str,
    reason: str | None,
    item_id: int | None,
    completion_id: int | None,
) -> str:
    """The content fields between seq and requirement_id (those one batch shares)."""
    return "".join(map(field, (at_text(at), actor_id, actor, action, reason, item_id, completion_id)))


def link(
    prev: bytes,
    seq: int,
    shared: str,
    requirement_id: int | None,
    person_id: int | None,
    assignment_id: int | None,
    detail: str | None,
) -> bytes:
    """The hash of row `seq`, given the previous row's hash. (`field` is written out here and the text
    made in one piece: on SQLite this runs once per row inside an INSERT ... SELECT, 841,000 times in a
    full recompute.)"""
    n = str(seq)
    r = "-" if requirement_id is None else f"{len(x := str(requirement_id))}:{x}"
    p = "-" if person_id is None else f"{len(y := str(person_id))}:{y}"
    a = "-" if assignment_id is None else f"{len(z := str(assignment_id))}:{z}"
    d = "-" if detail is None else f"{len(detail)}:{detail}"
    return _sha256(prev + f"{len(n)}:{n}{shared}{r}{p}{a}{d}".encode()).digest()


@dataclass(frozen=True)
class Head:
    """The last link: recorded somewhere else, it proves later that nothing before it was rewritten."""

    seq: int
    hash: bytes

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash.hex()}"

    @classmethod
    def parse(cls, text: str) -> Head:
        """SEQ:HASH (64 hex digits), as printed by `learnbridge audit verify`."""
        seq, sep, digest = text.strip().partition(":")
        if not (sep and seq.isdigit() and len(digest) == 64):
            raise ValueError("expected SEQ:HASH, the hash as 64 hex digits")
        return cls(int(seq), bytes.fromhex(digest))


def head(db: Session) -> Head:
    """The chain's last link (seq 0 and the genesis hash when the trail is empty)."""
    row = db.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    return Head(0, GENESIS) if row is None else Head(int(row[0]), bytes(row[1]))


# --- writing on SQLite -----------------------------------------------------------------------------


def next_links(db: Session, rows: list[dict[str, Any]]) -> Iterator[tuple[int, bytes]]:
    """(seq, hash) for audit rows built in Python, in order, continuing the stored chain (SQLite)."""
    last = head(db)
    seq, prev = last.seq, last.hash
    for row in rows:
        seq += 1
        shared = shared_part(
            at=row["at"],
            actor_id=row.get("actor_id"),
            actor=row["actor"],
            action=row["action"],
            reason=row.get("reason", ""),
            item_id=row.get("item_id"),
            completion_id=row.get("completion_id"),
        )
        prev = link(
            prev,
            seq,
            shared,
            row.get("requirement_id"),
            row.get("person_id"),
            row.get("assignment_id"),
            row.get("detail", ""),
        )
        yield seq, prev


class _SqliteLinks:
    """The running link of one SQLite connection during one INSERT ... SELECT. Each row calls
    audit_seq() and audit_link(...) once, in whichever order SQLite evaluates them: the first call of
    the pair advances seq, audit_link chains the hash. Both run in the same pass, so seq and hash agree
    whatever order the rows are produced in (verification walks by seq)."""

    __slots__ = ("half", "hash", "seq")

    def __init__(self) -> None:
        self.start(Head(0, GENESIS))

    def start(self, head: Head) -> None:
        self.seq, self.hash, self.half = head.seq, head.hash, False

    def next_seq(self) -> int:
        if self.half:
            self.half = False
        else:
            self.seq, self.half = self.seq + 1, True
        return self.seq

    def next_hash(
        self,
        shared: str,
        requirement_id: int | None,
        person_id: int | None,
        assignment_id: int | None,
        detail: str | None,
    ) -> bytes:
        if self.half:
            self.half = False
        else:
            self.seq, self.half = self.seq + 1, True
        self.hash = link(self.hash, self.seq, shared, requirement_id, person_id, assignment_id, detail)
        return self.hash


def sqlite_link_columns(
    db: Session,
    *,
    shared: str,
    requirement_id: ColumnElement[Any],
    person_id: ColumnElement[Any],
    assignment_id: ColumnElement[Any],
    detail: ColumnElement[Any],
) -> tuple[ColumnElement[bytes], ColumnElement[int]]:
    """The hash and seq expressions for one INSERT ... SELECT on SQLite, to be executed next: registers
    the functions on this connection (once) and starts them from the stored head."""
    raw = db.connection().connection
    links = raw.info.get(_LINKS)
    if links is None:
        links = raw.info[_LINKS] = _SqliteLinks()
        driver = raw.driver_connection
        assert driver is not None
        driver.create_function("audit_link", 5, links.next_hash)
        driver.create_function("audit_seq", 0, links.next_seq)
    links.start(head(db))
    digest = func.audit_link(shared, requirement_id, person_id, assignment_id, detail, type_=LargeBinary)
    return digest, func.audit_seq(type_=BigInteger)


# --- verification ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold."""

    seq: int
    row_id: int | None
    problem: str

    def __str__(self) -> str:
        row = f" (id {self.row_id})" if self.row_id is not None else ""
        return f"seq {self.seq}{row} {self.problem}"


@dataclass(frozen=True)
class ChainCheck:
    rows: int
    head: Head
    broken: Break | None = None

    @property
    def intact(self) -> bool:
        return self.broken is None


_COLUMNS = (
    AuditEvent.seq,
    AuditEvent.id,
    AuditEvent.hash,
    AuditEvent.at,
    AuditEvent.actor_id,
    AuditEvent.actor,
    AuditEvent.action,
    AuditEvent.reason,
    AuditEvent.item_id,
    AuditEvent.completion_id,
    AuditEvent.requirement_id,
    AuditEvent.person_id,
    AuditEvent.assignment_id,
    AuditEvent.detail,
)


def verify_chain(
    db: Session, *, expect: Head | None = None, progress: Progress = no_progress, page: int = PAGE
) -> ChainCheck:
    """Walk the audit trail by seq, recomputing every hash; report the first broken link. With `expect`
    (a head recorded earlier), that link must still be in the chain with the same hash."""
    walk = _Walk()
    for seq, row_id, digest, *fields in _by_seq(db, page, progress):
        broken = walk.step(seq, row_id, digest, fields) or _against(expect, seq, row_id, walk.head)
        if broken is not None:
            return ChainCheck(walk.rows, walk.head, broken)
    if expect is not None and walk.head.seq < expect.seq:
        problem = f"is missing: the chain ends at seq {walk.head.seq} (rows were removed from its end)"
        return ChainCheck(walk.rows, walk.head, Break(expect.seq, None, problem))
    return ChainCheck(walk.rows, walk.head)


def _by_seq(db: Session, page: int, progress: Progress) -> Iterator[Sequence[Any]]:
    """Every audit row in seq order, a page at a time."""
    total = int(db.scalar(select(func.count()).select_from(AuditEvent)) or 0)
    done, after = 0, 0
    while True:
        stmt = select(*_COLUMNS).where(AuditEvent.seq > after).order_by(AuditEvent.seq).limit(page)
        found = db.execute(stmt).all()
        yield from found
        done += len(found)
        progress("verify", done, total)
        if len(found) < page:
            return
        after = found[-1][0]


class _Walk:
    """The chain verified so far. Consecutive rows of one batch share their first fields, so their
    shared part is formatted once."""

    def __init__(self) -> None:
        self.head, self.rows = Head(0, GENESIS), 0
        self._key: list[Any] = []
        self._shared = ""

    def step(self, seq: int, row_id: int, digest: bytes | None, fields: list[Any]) -> Break | None:
        """Whether the row continues the chain; if so, it becomes the head."""
        if seq != self.head.seq + 1:
            return Break(
                self.head.seq + 1, None, f"is missing (deleted): the next row is seq {seq}, id {row_id}"
            )
        if fields[:7] != self._key:
            self._key = fields[:7]
            self._shared = shared_part(**dict(zip(_SHARED, self._key, strict=True)))
        expected = link(self.head.hash, seq, self._shared, *fields[7:])
        if digest is None or bytes(digest) != expected:
            return Break(seq, row_id, "does not match its hash: the row was edited, or moved here")
        self.head, self.rows = Head(seq, expected), self.rows + 1
        return None


_SHARED = ("at", "actor_id", "actor", "action", "reason", "item_id", "completion_id")


def _against(expect: Head | None, seq: int, row_id: int, head: Head) -> Break | None:
    """Whether a row that chains correctly (now the head) is the recorded head, at its place."""
    if expect is None or seq != expect.seq or head.hash == expect.hash:
        return None
    problem = f"has hash {head.hash.hex()}, not the recorded {expect.hash.hex()}: the chain was rewritten"
    return Break(seq, row_id, problem)
