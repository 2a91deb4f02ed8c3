"""`greetline serve`'s cheap schema check: the stored revision against the heads the migration files name, without
loading Alembic's environment (issue 25's cold start); any doubt leaves the decision to Alembic."""

from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import text

from ivr.store.database import Database
from ivr.store.migrate import MIGRATIONS_DIR, alembic_config, schema_is_current, shipped_heads, upgrade_if_behind


def test_the_heads_read_from_the_files_are_alembics() -> None:
    alembic_heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert shipped_heads() == frozenset(alembic_heads)
    assert len(alembic_heads) == 1 and (MIGRATIONS_DIR / "versions").is_dir()


def test_a_merge_of_two_branches_is_one_head_and_an_unreadable_file_leaves_it_to_alembic(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text('revision = "0001"\ndown_revision = None\n', "utf-8")
    (tmp_path / "b.py").write_text('revision = "0002"\ndown_revision: str | None = "0001"\n', "utf-8")
    (tmp_path / "c.py").write_text("revision = '0003'\ndown_revision = '0001'\n", "utf-8")
    assert shipped_heads(tmp_path) == {"0002", "0003"}
    (tmp_path / "d.py").write_text('revision = "0004"\ndown_revision = ("0002", "0003")\n', "utf-8")
    assert shipped_heads(tmp_path) == {"0004"}
    (tmp_path / "e.py").write_text("revision = make_revision()\ndown_revision = '0004'\n", "utf-8")
    assert shipped_heads(tmp_path) is None


def test_only_a_database_at_the_shipped_head_counts_as_current(database_url: str) -> None:
    fresh = Database(database_url)
    try:
        assert not schema_is_current(fresh)  # no tables at all: Alembic creates them
        upgrade_if_behind(database_url)
        assert schema_is_current(fresh)
        with fresh.engine.begin() as connection:  # as if a newer migration had shipped since
            connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
        assert not schema_is_current(fresh)
    finally:
        fresh.dispose()
