"""The migrations build exactly the schema the models declare, on both databases: Alembic's
autogenerate, run against a freshly migrated database, finds nothing to add, drop or change."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine

from learnbridge.models import include_object, metadata


def test_autogenerate_finds_no_difference_between_migrations_and_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        differences = compare_metadata(context, metadata)
    assert differences == [], "the migrations and the models disagree:\n" + "\n".join(map(str, differences))
