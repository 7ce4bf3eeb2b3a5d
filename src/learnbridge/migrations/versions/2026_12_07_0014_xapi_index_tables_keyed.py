"""The LRS's index tables are keyed by what they are searched by: an agent's or activity's statements are
the table's own key (agent_ifi, statement_pk[, as_actor]), without a surrogate id or a statement_pk index
(nothing looks rows up by statement, and statements are never deleted). On SQLite the tables are WITHOUT
ROWID, so each row is one B-tree entry instead of three; on PostgreSQL a heap row and one index entry
instead of three.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 13:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATEMENT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# table -> (its columns besides statement_pk, the new key, the old search index and its columns)
TABLES = {
    "xapi_statement_agents": (
        [sa.Column("agent_ifi", sa.String(length=600), nullable=False),
         sa.Column("as_actor", sa.Boolean(), nullable=False)],
        ["agent_ifi", "statement_pk", "as_actor"],
        "ix_xapi_statement_agents_agent",
    ),
    "xapi_statement_activities": (
        [sa.Column("activity_id", sa.String(length=1000), nullable=False)],
        ["activity_id", "statement_pk"],
        "ix_xapi_statement_activities_activity",
    ),
}  # fmt: skip


def _foreign_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["statement_pk"],
        ["xapi_statements.id"],
        name=op.f(f"fk_{table}_statement_pk_xapi_statements"),
        ondelete="CASCADE",
    )


def _rebuild_sqlite(table: str, key: list[str] | None, columns: list[sa.Column[object]]) -> None:
    """SQLite cannot change a table's key: a new table, the rows copied, the old one dropped."""
    names = [c.name for c in columns] + ["statement_pk"]
    new = f"{table}_rebuilt"
    if key is None:
        op.create_table(
            new,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("statement_pk", STATEMENT_PK, nullable=False),
            *columns,
            _foreign_key(table),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        )
    else:
        op.create_table(
            new,
            *columns,
            sa.Column("statement_pk", STATEMENT_PK, nullable=False),
            _foreign_key(table),
            sa.PrimaryKeyConstraint(*key, name=op.f(f"pk_{table}")),
            sqlite_with_rowid=False,
        )
    listed = ", ".join(names)
    op.execute(f"INSERT OR IGNORE INTO {new} ({listed}) SELECT {listed} FROM {table}")  # noqa: S608 (constant names)
    op.drop_table(table)
    op.rename_table(new, table)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, (columns, key, _search) in TABLES.items():
        if sqlite:
            _rebuild_sqlite(table, key, [c._copy() for c in columns])
            continue
        op.drop_constraint(op.f(f"pk_{table}"), table, type_="primary")
        op.drop_index(op.f(f"ix_{table}_statement_pk"), table_name=table)
        op.drop_index(_search, table_name=table)
        op.drop_column(table, "id")
        op.create_primary_key(op.f(f"pk_{table}"), table, key)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, (columns, key, search) in TABLES.items():
        if sqlite:
            _rebuild_sqlite(table, None, [c._copy() for c in columns])
        else:
            op.drop_constraint(op.f(f"pk_{table}"), table, type_="primary")
            op.add_column(table, sa.Column("id", sa.Integer(), sa.Identity(), nullable=False))
            op.create_primary_key(op.f(f"pk_{table}"), table, ["id"])
        op.create_index(search, table, key)
        op.create_index(op.f(f"ix_{table}_statement_pk"), table, ["statement_pk"])
