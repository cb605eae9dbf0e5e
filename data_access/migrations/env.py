"""Alembic environment: migrations run on the connection handed over by data_access.db.migrate,
or, from the alembic command line, on PAIR_ATLAS_DATABASE_URL."""

from alembic import context

from data_access.db import get_engine, metadata

config = context.config
connection = config.attributes.get("connection")

if connection is None:
    with get_engine().begin() as connection:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
