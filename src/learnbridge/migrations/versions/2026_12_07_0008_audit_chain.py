"""push: the audit trail is a hash chain (seq, hash); TRUNCATE is refused

Every audit row gets its place in the chain (`seq`) and SHA-256(previous hash || its content), the
format documented in learnbridge.push.audit_chain; the rows already there are chained in id order.
PostgreSQL fills both in a BEFORE INSERT trigger and refuses TRUNCATE. SQLite, whose triggers cannot set
values, gets them from the application (push.audit); its INSERT OR REPLACE is refused by a BEFORE INSERT
trigger whenever the row would collide with one stored (on id or seq): REPLACE's implicit delete fires no
DELETE trigger, so 0003's could not stop it, from any connection (measured: no cost a full recompute
shows beyond its noise). The UPDATE and DELETE triggers of 0003 stay (on SQLite they are recreated after
the table is rebuilt).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 04:00:00
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from learnbridge.push import audit_chain

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# pg_advisory_xact_lock key serialising the writers of audit rows on PostgreSQL ("LBAUDIT" in ASCII).
CHAIN_LOCK = 0x4C_42_41_55_44_49_54
_REFUSED = "'audit_events rows cannot be changed or deleted'"
_SQLITE_NO_REPLACE = (
    "CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events "
    "WHEN EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id OR seq = NEW.seq) "
    "BEGIN SELECT RAISE(ABORT, 'audit_events rows cannot be changed or deleted'); END"
)
_SQLITE_IMMUTABLE = {
    "audit_events_no_update": "BEFORE UPDATE ON audit_events",
    "audit_events_no_delete": "BEFORE DELETE ON audit_events",
}


def _field(value: str) -> str:
    """audit_chain.field in SQL: '<length>:<text>', or '-' for NULL (the concatenation is NULL then)."""
    return f"coalesce(length({value}) || ':' || {value}, '-')"


# The content of NEW in audit_chain's order: seq, at, actor_id, actor, action, reason, item_id,
# completion_id, requirement_id, person_id, assignment_id, detail.
_PG_CONTENT = " || ".join(
    _field(value)
    for value in (
        "NEW.seq::text",
        """to_char(NEW.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')""",
        "NEW.actor_id::text",
        "NEW.actor",
        "NEW.action",
        "NEW.reason",
        "NEW.item_id::text",
        "NEW.completion_id::text",
        "NEW.requirement_id::text",
        "NEW.person_id::text",
        "NEW.assignment_id::text",
        "NEW.detail",
    )
)

# The previous link is read once per transaction, after taking the lock (so it is the committed head),
# and kept in a transaction-local setting tagged with the transaction id; rolling back to a savepoint
# restores the setting with the rows. (Built from the constants above only, hence the noqa.)
_PG_CHAIN = f"""
CREATE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    tx text := txid_current()::text;
    cached text := current_setting('learnbridge.audit_head', true);
    prev_seq bigint;
    prev_hash bytea;
BEGIN
    IF cached IS NOT NULL AND split_part(cached, ':', 1) = tx THEN
        prev_seq := split_part(cached, ':', 2)::bigint;
        prev_hash := decode(split_part(cached, ':', 3), 'hex');
    ELSE
        PERFORM pg_advisory_xact_lock({CHAIN_LOCK});
        SELECT seq, hash INTO prev_seq, prev_hash FROM audit_events ORDER BY seq DESC LIMIT 1;
        IF NOT FOUND THEN
            prev_seq := 0;
            prev_hash := decode(repeat('00', 32), 'hex');
        END IF;
    END IF;
    NEW.seq := prev_seq + 1;
    NEW.hash := sha256(prev_hash || convert_to({_PG_CONTENT}, 'UTF8'));
    PERFORM set_config(
        'learnbridge.audit_head', tx || ':' || NEW.seq || ':' || encode(NEW.hash, 'hex'), true
    );
    RETURN NEW;
END $$
"""  # noqa: S608


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_immutable")
    else:
        _drop_sqlite_triggers()
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.LargeBinary(length=32), nullable=True))
    _chain_existing_rows()
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.alter_column("seq", existing_type=sa.BigInteger(), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.LargeBinary(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_events_seq"), ["seq"])
    if postgresql:
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_immutable")
        op.execute(_PG_CHAIN)
        op.execute(
            "CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_chain()"
        )
        op.execute(
            "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_immutable()"
        )
        return
    _create_sqlite_triggers()
    op.execute(_SQLITE_NO_REPLACE)


def _chain_existing_rows() -> None:
    """Chain the rows already there in id order, as push.audit_chain computes it (and verifies it)."""
    bind = op.get_bind()
    table = sa.table(
        "audit_events",
        *(sa.column(name) for name in ("id", "actor_id", "actor", "action", "reason", "item_id")),
        *(sa.column(name) for name in ("completion_id", "requirement_id", "person_id", "assignment_id")),
        sa.column("detail"),
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("seq", sa.BigInteger()),
        sa.column("hash", sa.LargeBinary()),
    )
    prev, seq, after = audit_chain.GENESIS, 0, 0
    while True:
        rows = bind.execute(sa.select(table).where(table.c.id > after).order_by(table.c.id).limit(5000)).all()
        if not rows:
            return
        links = []
        for row in rows:
            seq += 1
            prev = audit_chain.link(prev, seq, _shared(row), *_varying(row))
            links.append({"row_id": row.id, "seq": seq, "hash": prev})
        update = table.update().where(table.c.id == sa.bindparam("row_id"))
        bind.execute(update.values(seq=sa.bindparam("seq"), hash=sa.bindparam("hash")), links)
        after = rows[-1].id


def _shared(row: sa.Row[tuple[object, ...]]) -> str:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.UTC)  # SQLite: naive UTC
    return audit_chain.shared_part(
        at=at,
        actor_id=row.actor_id,
        actor=row.actor,
        action=row.action,
        reason=row.reason,
        item_id=row.item_id,
        completion_id=row.completion_id,
    )


def _varying(row: sa.Row[tuple[object, ...]]) -> tuple[int | None, int | None, int | None, str | None]:
    return row.requirement_id, row.person_id, row.assignment_id, row.detail


def _drop_sqlite_triggers() -> None:
    for name in _SQLITE_IMMUTABLE:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def _create_sqlite_triggers() -> None:
    for name, when in _SQLITE_IMMUTABLE.items():
        op.execute(f"CREATE TRIGGER {name} {when} BEGIN SELECT RAISE(ABORT, {_REFUSED}); END")


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        op.execute("DROP TRIGGER IF EXISTS audit_events_chain ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_chain()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_replace")
        _drop_sqlite_triggers()
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_events_seq"), type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("seq")
    if not postgresql:
        _create_sqlite_triggers()
