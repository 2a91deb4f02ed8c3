"""Alembic environment: migrations run against the engine Greetline's settings name."""

from alembic import context
from sqlalchemy import Connection

from ivr.store.access_tables import AuditEventRow  # noqa: F401  (its tables on Base.metadata too)
from ivr.store.console_events import ConsoleEventRow  # noqa: F401  (its table on Base.metadata too)
from ivr.store.database import make_engine
from ivr.store.tables import Base


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    )
    with context.begin_transaction():
        context.run_migrations()


engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "", bounded=False)
with engine.connect() as connection:
    run(connection)
engine.dispose()
