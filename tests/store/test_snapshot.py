"""The routing snapshot file: what a server started without its database knows about every number."""

import json
import subprocess
import sys
from pathlib import Path

from ivr.store.snapshot import Routing, RoutingSnapshot

STAFF = ("+31501111111", "+31502222222")


def routing(business_id: int, revision: int, operators: tuple[str, ...] = STAFF) -> Routing:
    return Routing(business_id, revision, operators, "nl", "NL", "Wij zijn niet bereikbaar.")


def test_a_change_is_on_disk_for_the_next_process(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.json"
    RoutingSnapshot(path).put_business(1, 1, {"+31501234567": routing(1, 1), "+31501234568": routing(1, 1)})
    assert RoutingSnapshot(path).get("+31501234567") == routing(1, 1)
    assert list(path.parent.glob(".snapshot.json.*")) == []  # no temporary file left behind


def test_a_business_loses_numbers_it_no_longer_has_and_keeps_others_apart(tmp_path: Path) -> None:
    snapshot = RoutingSnapshot(tmp_path / "snapshot.json")
    snapshot.put_business(1, 1, {"+31501234567": routing(1, 1), "+31501234568": routing(1, 1)})
    snapshot.put_business(2, 1, {"+31201234567": routing(2, 1)})
    snapshot.put_business(1, 2, {"+31501234567": routing(1, 2, ("+31503333333",))})
    reread = RoutingSnapshot(tmp_path / "snapshot.json")
    assert reread.get("+31501234568") is None
    assert reread.get("+31501234567") == routing(1, 2, ("+31503333333",))
    assert reread.get("+31201234567") == routing(2, 1)


def test_an_older_revision_does_not_put_old_staff_back(tmp_path: Path) -> None:
    snapshot = RoutingSnapshot(tmp_path / "snapshot.json")
    snapshot.put_business(1, 5, {"+31501234567": routing(1, 5, ("+31503333333",))})
    snapshot.put_business(1, 4, {"+31501234567": routing(1, 4)})  # a call that read the database just before
    assert snapshot.get("+31501234567") == routing(1, 5, ("+31503333333",))


def test_a_change_written_by_another_process_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.json"
    server = RoutingSnapshot(path)
    assert server.get("+31501234567") is None
    script = (
        "import sys; from pathlib import Path; from ivr.store.snapshot import Routing, RoutingSnapshot; "
        "RoutingSnapshot(Path(sys.argv[1])).put_business(1, 1, {'+31501234567': "
        "Routing(1, 1, ('+31501111111',), 'nl', 'NL', 'x')})"
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True, timeout=60)  # `greetline apply`
    # The event loop's side only looks at the file; what it holds changes when a worker thread reads it.
    assert server.stale() and server.get("+31501234567") is None and server.generation() == 0
    server.reload()
    found = server.get("+31501234567")
    assert found is not None and found.operators == ("+31501111111",)
    assert not server.stale() and server.generation() == 1


def test_a_damaged_file_is_ignored_and_the_next_change_writes_a_good_one(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.json"
    path.write_text('{"format": 1, "numbers": {"+3150', "utf-8")
    snapshot = RoutingSnapshot(path)
    assert snapshot.get("+31501234567") is None
    snapshot.put_business(1, 1, {"+31501234567": routing(1, 1)})
    assert json.loads(path.read_text("utf-8"))["numbers"]["+31501234567"]["operators"] == list(STAFF)
