"""Another real process holding an exclusive lock on a SQLite database, as a backup or a stuck migration would."""

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Starting sqlite3 and taking the lock takes milliseconds; this only bounds a process that cannot start.
LOCK_TIMEOUT_S = 15.0


@contextmanager
def exclusive_lock(database_path: Path, *, readers_too: bool = False) -> Iterator[None]:
    """Hold `BEGIN EXCLUSIVE` from a `sqlite3` process until the block ends; enters once the lock is held.

    In WAL mode that locks writers out and lets readers on. `readers_too` locks readers out as well
    (EXCLUSIVE locking mode, sqlite.org/pragma.html#pragma_locking_mode), which SQLite grants only while no
    other connection is open: take it before the server's first call (a backup tool that was there first).
    """
    holder = subprocess.Popen(
        ["sqlite3", str(database_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdin is not None and holder.stdout is not None
    try:
        # The SELECT runs inside the transaction: once its answer is printed, the lock is held.
        # .timeout: wait for a server's own short transactions to end; .bail: no "locked" unless the lock is held.
        mode = "PRAGMA locking_mode=EXCLUSIVE;\n" if readers_too else ""
        holder.stdin.write(
            f".timeout {int(LOCK_TIMEOUT_S * 1000)}\n.bail on\n{mode}BEGIN EXCLUSIVE;\nSELECT 'locked';\n"
        )
        holder.stdin.flush()
        while (line := holder.stdout.readline()) and line.strip() != "locked":
            pass
        assert line.strip() == "locked", "sqlite3 ended before it held the lock"
        yield
        holder.stdin.write("COMMIT;\n.quit\n")
        holder.stdin.flush()
        holder.wait(LOCK_TIMEOUT_S)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(LOCK_TIMEOUT_S)
