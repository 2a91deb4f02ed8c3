"""The in-memory number → business map: answered from memory until a change is heard, from any of its sources."""

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from ivr.callflow.model import Business, Prompt
from ivr.document.convert import to_business
from ivr.document.load import parse_document
from ivr.routing.directory import MISS, Directory, shared
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.store.revisions import _STAMP
from ivr.store.snapshot import RoutingSnapshot
from ivr.usecases.documents import apply_text
from prompts import PartOfDay

NUMBER = "+31501234567"
NOW = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


def looked_up(database: Database, directory: Directory, number: str = NUMBER) -> Business | None:
    with database.reading() as connection:
        return directory.lookup(connection, number, NOW)


def renamed(demo_text: str, name: str) -> str:
    return demo_text.replace("De Linde", name)


def test_a_number_looked_up_once_is_answered_from_memory(database: Database, demo_text: str) -> None:
    apply_text(database, demo_text, NOW)
    directory = Directory(recheck_s=3600)
    assert directory.cached(NUMBER, NOW) is MISS
    business = looked_up(database, directory)
    assert business is not None
    assert directory.cached(NUMBER, NOW) is business
    unknown = "+31509999999"
    assert looked_up(database, directory, unknown) is None
    assert directory.cached(unknown, NOW) is None  # an unknown number is remembered as unknown too


def test_a_change_committed_in_this_process_is_heard_from_the_next_call(database_url: str, demo_text: str) -> None:
    upgrade(database_url)
    serving, editing = Database(database_url), Database(database_url)  # as the server and the admin page would
    apply_text(editing, demo_text, NOW)
    directory = Directory(recheck_s=3600)
    looked_up(serving, directory)
    apply_text(editing, renamed(demo_text, "De Eik"), NOW)
    assert directory.cached(NUMBER, NOW) is MISS
    business = looked_up(serving, directory)
    assert business is not None and business.name == "Huisartsenpraktijk De Eik"
    serving.dispose()
    editing.dispose()


def test_a_change_by_another_replica_is_heard_after_the_recheck(database: Database, demo_text: str) -> None:
    apply_text(database, demo_text, NOW)
    rechecking, holding = Directory(recheck_s=0), Directory(recheck_s=3600)
    first = looked_up(database, rechecking)
    looked_up(database, holding)
    # Another replica's commit: nothing in this process hears of it, only the database knows.
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE businesses SET revision = revision + 1"))
    assert holding.cached(NUMBER, NOW) is not MISS  # within its recheck time it answers from memory
    assert not holding.check_due.is_set()
    # Due for a check: the call is still answered from memory, and the check is asked of the background thread.
    assert rechecking.cached(NUMBER, NOW) is first
    assert rechecking.check_due.is_set()
    with database.reading() as connection:
        rechecking.recheck(connection)  # what ivr.routing.watch.RevisionCheck does beside the calls
    assert not rechecking.check_due.is_set()
    assert rechecking.cached(NUMBER, NOW) is MISS
    again = looked_up(database, rechecking)
    assert again is not None and again is not first  # the new revision, converted again


def test_a_due_check_never_holds_a_call_whatever_the_database_does(database: Database, demo_text: str) -> None:
    apply_text(database, demo_text, NOW)
    directory = Directory(recheck_s=0)  # every call finds the revision check due
    first = looked_up(database, directory)
    database.dispose()  # no connection is asked for below: each call answers from memory alone
    assert [directory.cached(NUMBER, NOW) for _ in range(3)] == [first] * 3
    assert directory.check_due.is_set()


def test_a_snapshot_another_process_rewrote_is_heard_from_the_next_call(
    database: Database, demo_text: str, tmp_path: Path
) -> None:
    apply_text(database, demo_text, NOW)
    path = tmp_path / "routing-snapshot.json"
    directory = Directory(routing=RoutingSnapshot(path), recheck_s=3600)
    looked_up(database, directory)  # writes the number's routing to the snapshot: its own write is no change
    assert directory.cached(NUMBER, NOW) is not MISS
    RoutingSnapshot(path).replace_all({})  # `greetline apply` in another process rewrites the file
    assert directory.snapshot_stale()
    directory.read_snapshot()  # what a call has a worker thread do before it asks memory (ivr.web.fallback)
    assert directory.cached(NUMBER, NOW) is MISS


def test_a_draft_is_answered_for_its_business_and_the_stored_document_for_the_others(
    database: Database, demo_text: str
) -> None:
    stored = apply_text(database, demo_text, NOW).stored
    other = apply_text(database, renamed(demo_text, "De Eik").replace(NUMBER, "+31501234568"), NOW).stored
    draft = parse_document(renamed(demo_text, "De Beuk"))
    previewing = Directory(recheck_s=3600, drafts={stored.id: draft})
    business = looked_up(database, previewing)
    assert business is not None and business.name == "Huisartsenpraktijk De Beuk"
    untouched = looked_up(database, previewing, "+31501234568")
    assert untouched is not None and untouched.id == other.id and untouched.name == "Huisartsenpraktijk De Eik"
    serving = looked_up(database, Directory(recheck_s=3600))
    assert serving is not None and serving.name == "Huisartsenpraktijk De Linde"  # nothing was saved


def test_each_part_of_day_is_converted_as_on_its_own_and_what_they_have_in_common_is_held_once(
    database: Database, demo_text: str
) -> None:
    apply_text(database, demo_text, NOW)
    directory = Directory(recheck_s=3600)
    document = parse_document(demo_text)
    # 09:00, 13:00 and 19:00 in Amsterdam (UTC+1 in March): the three parts of the day.
    hours: dict[PartOfDay, int] = {"morning": 8, "afternoon": 12, "evening": 18}
    seen = {}
    for part, utc_hour in hours.items():
        now = NOW.replace(hour=utc_hour)
        with database.reading() as connection:
            business = directory.lookup(connection, NUMBER, now)
        assert business is not None
        assert business == to_business(document, business.id, part_of_day=part, playable=lambda _media_id: False)
        seen[part] = business
    morning, afternoon, evening = seen.values()
    assert morning.greeting.text.startswith("Goedemorgen")
    assert evening.greeting.text.startswith("Goedenavond")
    assert afternoon.menu is morning.menu and evening.hours is morning.hours
    assert afternoon.operators is morning.operators


def test_shared_keeps_what_differs_and_reuses_what_is_equal() -> None:
    like = (Prompt("Goedemorgen", None), ("+31501111111", "+31502222222"), Prompt("Tot ziens", "media-1"))
    value = (Prompt("Goedenavond", None), ("+31501111111", "+31502222222"), Prompt("Tot ziens", "media-1"))
    result = shared(value, like)
    assert result == value
    assert result[1] is like[1] and result[2] is like[2]
    assert shared(1, True) == 1 and shared(1, True) is not True  # equal but of another type: not replaced


def test_the_revision_check_reads_an_index_not_every_business_row_on_sqlite(sqlite_url: str) -> None:
    upgrade(sqlite_url)
    database = Database(sqlite_url)
    try:
        with database.reading() as connection:
            compiled = _STAMP.compile(connection, compile_kwargs={"literal_binds": True})
            plan = connection.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
        assert any("COVERING INDEX ix_businesses_revision_updated" in str(row) for row in plan), plan
    finally:
        database.dispose()
