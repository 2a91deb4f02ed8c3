"""Bringing a database's schema up to date with the Alembic migrations shipped in this package.

Alembic is imported only to migrate: with its templates and highlighter it is about 10 MB that a server, which asks
only `has_schema`, would otherwise carry (issue 12).
"""

import ast
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

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


# A migration file's `revision = "0018"` and `down_revision = "0017"` (a tuple for a merge, None for the first).
_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


def shipped_heads(versions: Path = MIGRATIONS_DIR / "versions") -> frozenset[str] | None:
    """The head revisions of the migrations shipped, read from the files' own `revision` lines without Alembic;
    None when a file does not say them plainly (Alembic then decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions.glob("*.py"):
        found = {name: value for name, value in _REVISION_LINE.findall(path.read_text("utf-8"))}
        try:
            revision = ast.literal_eval(found["revision"])
            down = ast.literal_eval(found.get("down_revision", "None"))
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        parents.update([down] if isinstance(down, str) else down or ())
    return frozenset(revisions - parents) or None


def schema_is_current(database: Database) -> bool:
    """Whether the database's stored revisions are the shipped heads: then `upgrade` would do nothing.

    Asked before `upgrade` by `greetline serve`: Alembic's own check loads its environment, the migration scripts
    and their revision map, about 0.7 s of the cold start with nothing to do (issue 25). Any doubt is False.
    """
    heads = shipped_heads()
    if heads is None:
        return False
    with database.reading() as connection:  # an unreachable database raises, as Alembic's own check would
        if not inspect(connection).has_table("alembic_version"):
            return False
        stored = {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}
    return stored == heads


def upgrade_if_behind(database_url: str) -> None:
    """`upgrade`, unless the stored revisions are the shipped heads already (no Alembic loaded then)."""
    database = Database(database_url)
    try:
        current = schema_is_current(database)
    finally:
        database.dispose()
    if not current:
        upgrade(database_url)


def upgrade(database_url: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(database_url), "head")
