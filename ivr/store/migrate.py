"""Bringing a database's schema up to date with the Alembic migrations shipped in this package.

Alembic is imported only to migrate: with its templates and highlighter it is about 10 MB that a server, which asks
only `has_schema`, would otherwise carry (issue 12).
"""

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect

from ivr.store.database import Database
from ivr.store.tables import BusinessRow

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(database_url: str) -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation would choke on % in passwords.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def has_schema(database: Database) -> bool:
    """Whether `greetline migrate` has run on this database (its tables exist)."""
    with database.reading() as connection:
        return inspect(connection).has_table(BusinessRow.__tablename__)


def upgrade(database_url: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(database_url), "head")
