"""People are found by name in any script: each person's name is stored in NFC, beside its search key
(the name casefolded, core.text_keys.search_key), which this revision adds and fills for everyone stored.
SQLite's lower() and LIKE fold only ASCII, so "ñúñez" did not find "Ñúñez" there.

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-07 17:30:00
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 5000
people = sa.table(
    "people",
    sa.column("id", sa.Integer()),
    sa.column("name", sa.String()),
    sa.column("name_key", sa.String()),
)


def _key(name: str) -> str:
    """core.text_keys.search_key as of this revision (a migration keeps its own copy of the rule)."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())


def _nfc(name: str) -> str:
    """The name in NFC, unless that no longer fits its 200 characters (a few scripts' characters
    decompose in NFC): then as it was."""
    composed = unicodedata.normalize("NFC", name)
    return composed if len(composed) <= 200 else name


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("name_key", sa.String(length=600), server_default="", nullable=False))
    connection = op.get_bind()
    rows = connection.execute(sa.select(people.c.id, people.c.name)).all()
    changes = [{"b_id": person_id, "name": _nfc(name), "name_key": _key(name)} for person_id, name in rows]
    stmt = people.update().where(people.c.id == sa.bindparam("b_id"))
    for start in range(0, len(changes), CHUNK):
        connection.execute(stmt, changes[start : start + CHUNK])


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): batch mode would copy and drop `people`, which other tables'
    # foreign keys refer to (as 0013 does).
    op.drop_column("people", "name_key")
