"""Alembic environment: the URL comes from Settings (or the caller's Config), never from a file."""

from __future__ import annotations

from alembic import context

from learnbridge.core.db import make_engine
from learnbridge.core.settings import Settings
from learnbridge.models import include_object, metadata

config = context.config
url = config.get_main_option("sqlalchemy.url") or Settings().database_url
connection = config.attributes.get("connection")


def run() -> None:
    if connection is not None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    # A migration waits for the locks it needs, however long the running app holds them.
    engine = make_engine(url, lock_timeout=None)
    with engine.connect() as conn:
        context.configure(
            connection=conn, target_metadata=metadata, render_as_batch=True, include_object=include_object
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
