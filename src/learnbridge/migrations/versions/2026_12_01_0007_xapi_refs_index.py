"""records: statements pointing at other statements get a partial index (the planners read a full one,
nearly all NULL, as useless and scanned the table for the StatementRef filter rule); the agents index
carries as_actor, so both agent filters are answered from it in key order

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 16:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NOT_NULL = sa.text("object_statement_id IS NOT NULL")


def upgrade() -> None:
    op.drop_index("ix_xapi_statements_object_statement_id", table_name="xapi_statements")
    op.create_index(
        "ix_xapi_statements_refs",
        "xapi_statements",
        ["object_statement_id"],
        unique=False,
        sqlite_where=_NOT_NULL,
        postgresql_where=_NOT_NULL,
    )
    _agents_index(["agent_ifi", "statement_pk", "as_actor"])


def _agents_index(columns: list[str]) -> None:
    op.drop_index("ix_xapi_statement_agents_agent", table_name="xapi_statement_agents")
    op.create_index("ix_xapi_statement_agents_agent", "xapi_statement_agents", columns, unique=False)


def downgrade() -> None:
    _agents_index(["agent_ifi", "statement_pk"])
    op.drop_index("ix_xapi_statements_refs", table_name="xapi_statements")
    op.create_index(
        "ix_xapi_statements_object_statement_id", "xapi_statements", ["object_statement_id"], unique=False
    )
