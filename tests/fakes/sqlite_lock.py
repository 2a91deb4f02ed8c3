"""Another real process holding an exclusive lock on a SQLite database, as a backup or a stuck migration would."""

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Starting sqlite3 and taking the lock takes milliseconds; this only bounds a process that cannot start.
LOCK_TIMEOUT_S = 15.0


@contextmanager
def exclusive_lock(database_path: Path) -> Iterator[None]:
    """Lock readers and writers out from a `sqlite3` process until the block ends; enters once the lock is held."""
    holder = subprocess.Popen(
        ["sqlite3", str(database_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdin is not None and holder.stdout is not None
    try:
        # EXCLUSIVE locking mode keeps readers out too, even in WAL mode (sqlite.org/pragma.html#pragma_locking_mode).
        # The SELECT runs inside the transaction: once its answer is printed, the lock is held.
        holder.stdin.write("PRAGMA locking_mode=EXCLUSIVE;\nBEGIN EXCLUSIVE;\nSELECT 'locked';\n")
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
