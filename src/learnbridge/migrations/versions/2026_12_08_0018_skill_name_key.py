"""Skills are found by name in any script and case, as people are (0016): each skill's name is stored
in NFC beside its search key (the name casefolded, core.text_keys.search_key), which this revision adds
and fills. It also adds the index a framework's tree is read by, one level at a time in name order.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 5000
skills = sa.table(
    "skills",
    sa.column("id", sa.Integer()),
    sa.column("name", sa.String()),
    sa.column("name_key", sa.String()),
)


def _key(name: str) -> str:
    """core.text_keys.search_key as of this revision (a migration keeps its own copy of the rule)."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())


def _nfc(name: str) -> str:
    """The name in NFC, unless that no longer fits its 200 characters: then as it was."""
    composed = unicodedata.normalize("NFC", name)
    return composed if len(composed) <= 200 else name


def upgrade() -> None:
    # Plain ADD COLUMN and CREATE INDEX: batch mode would copy and drop `skills`, which other tables'
    # foreign keys refer to.
    op.add_column("skills", sa.Column("name_key", sa.String(length=600), server_default="", nullable=False))
    op.create_index("ix_skills_tree", "skills", ["framework_id", "parent_id", "name", "id"])
    connection = op.get_bind()
    rows = connection.execute(sa.select(skills.c.id, skills.c.name)).all()
    changes = [{"b_id": skill_id, "name": _nfc(name), "name_key": _key(name)} for skill_id, name in rows]
    stmt = skills.update().where(skills.c.id == sa.bindparam("b_id"))
    for start in range(0, len(changes), CHUNK):
        connection.execute(stmt, changes[start : start + CHUNK])


def downgrade() -> None:
    op.drop_index("ix_skills_tree", table_name="skills")
    # A plain DROP COLUMN (SQLite 3.35+), for the reason above.
    op.drop_column("skills", "name_key")
