"""Full-text search over the catalogue: SQLite FTS5 or PostgreSQL tsvector, one interface.

Both rank so that a smaller score is a better match (bm25 on SQLite, minus ts_rank on PostgreSQL),
and the last word typed matches as a prefix, so results appear while someone is still typing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Double,
    Float,
    cast,
    column,
    func,
    literal_column,
    select,
    table,
    text,
    true,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import Subquery

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12
# What the migrations build for search outside the models, one per dialect: an FTS5 virtual table (and
# the shadow tables SQLite keeps for it), and a generated tsvector column with its GIN index.
FTS_TABLE = "learning_items_fts"
SEARCH_COLUMN = "search_vector"
SEARCH_INDEX = "ix_learning_items_search_vector"


def is_search_index(name: str | None, type_: str) -> bool:
    """Whether a schema object is part of the search index, so that comparing the database with the
    models (Alembic's autogenerate) leaves it out."""
    return (
        (type_ == "table" and (name or "").startswith(FTS_TABLE))
        or (type_ == "column" and name == SEARCH_COLUMN)
        or (type_ == "index" and name == SEARCH_INDEX)
    )


def terms(query: str) -> list[str]:
    return _WORD.findall(query.lower())[:MAX_TERMS]


def fts5_query(words: list[str]) -> str:
    """Words quoted (so nothing the user types is FTS5 syntax), all required, the last a prefix."""
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def tsquery(words: list[str]) -> str:
    parts = [f"'{word}'" for word in words]
    parts[-1] += ":*"
    return " & ".join(parts)


@dataclass(frozen=True)
class Ranking:
    """How to search items: a condition, a score (smaller is better) and, on SQLite, the FTS5
    hits to join on the item id."""

    match: ColumnElement[bool]
    score: ColumnElement[float]
    join: Subquery | None = None


def ranking(db: Session, query: str) -> Ranking | None:
    """The ranking for a search box's text, or None when it has no words."""
    words = terms(query)
    if not words:
        return None
    if db.get_bind().dialect.name == "sqlite":
        fts = table("learning_items_fts", column("rowid"))
        hits = (
            select(
                literal_column("learning_items_fts.rowid").label("id"),
                literal_column("bm25(learning_items_fts, 10.0, 4.0, 2.0)", Float).label("score"),
            )
            .select_from(fts)
            .where(text("learning_items_fts MATCH :fts_query").bindparams(fts_query=fts5_query(words)))
            .subquery("hits")
        )
        return Ranking(match=true(), score=hits.c.score, join=hits)
    # On the items table itself (no subquery), so PostgreSQL filters first and keeps only the top
    # rows while ranking (a top-N sort) instead of sorting every match.
    vector: ColumnElement[str] = literal_column("learning_items.search_vector")
    ts = func.to_tsquery(literal_column("'english'"), tsquery(words))
    # ts_rank is a float4; as a double it survives the trip through a cursor exactly.
    return Ranking(match=vector.op("@@")(ts), score=cast(-func.ts_rank(vector, ts), Double))
