"""Bringing a database's schema up to date with the Alembic migrations shipped in this package."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from ivr.store.database import Database
from ivr.store.tables import BusinessRow

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(database_url: str) -> Config:
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
    command.upgrade(alembic_config(database_url), "head")
