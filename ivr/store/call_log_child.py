"""The call log's batches stored by a process of its own, so storing them costs the serving process nothing.

Inserting a batch of calls (SQLAlchemy's per-row parameters, JSON, the hourly counters, the driver) is about a
seventh of a voice webhook's CPU, and done by a thread of the serving process it also holds the GIL for tens of
milliseconds at a time, which the calls answered meanwhile wait for (their p99, issue 25). Here the writer's thread
(ivr.store.call_log) hands each batch, its stage marks already worked out, to a child process over a pipe and waits
for its answer: a blocking read that holds no GIL. The child stores the batch in one transaction, as the writer did,
and answers "ok" or the error; the writer's retries, spill file and close are unchanged, so a refused batch is
retried, and a child that died (its pipe broke) is started again for the next try.

The child runs in a session of its own: a Ctrl+C or a signal to the server's process group does not cut a batch
in half; it ends when its pipe closes (the server closed the log, or died), after the batch in hand.

Protocol: each message parent → child is an 8-byte big-endian length and a pickle (the first the database URL, then
lists of call log entries, which only the parent writes); each answer is one line.
"""

import logging
import pickle
import select
import struct
import subprocess
import sys
from typing import IO, Any

from ivr.store import calls
from ivr.store.calls import CallEntry

log = logging.getLogger("greetline.call_log")

_LENGTH = struct.Struct(">Q")
OK = b"ok\n"
READY = b"ready\n"
# The child's start (Python, SQLAlchemy, the database's first connection) may take this long on a busy machine.
START_TIMEOUT_S = 60.0
# A child that does not answer this long after a batch was sent is taken for hung: killed and started again.
ANSWER_TIMEOUT_S = 120.0


class ChildStoreFailed(Exception):
    """The child could not store a batch (its answer says why), or it died or hung while storing it."""


class ChildStore:
    """Stores batches through a child process started on the first batch (not at start: a cold start is the first
    call, and the child's imports would compete with it)."""

    def __init__(self, database_url: str, answer_timeout_s: float = ANSWER_TIMEOUT_S) -> None:
        self._database_url = database_url
        self._answer_timeout_s = answer_timeout_s
        self._process: subprocess.Popen[bytes] | None = None

    def store(self, entries: list[CallEntry]) -> None:
        """Stored in one transaction when this returns; ChildStoreFailed otherwise (nothing of the batch stored)."""
        process = self._running()
        assert process.stdin is not None and process.stdout is not None
        try:
            _send(process.stdin, entries)
            answer = self._answer(process.stdout)
        except (OSError, ValueError) as error:  # a broken pipe, or a closed one
            self.close(kill=True)
            raise ChildStoreFailed(f"the call log's store process ended: {error!r}") from None
        if answer != OK:
            if not answer:  # end of file: the child died while storing
                self.close(kill=True)
                raise ChildStoreFailed("the call log's store process ended while storing a batch")
            raise ChildStoreFailed(answer.decode("utf-8", "replace").strip())

    def close(self, *, kill: bool = False) -> None:
        """Ends the child: after the batch in hand (its pipe closed), or at once (`kill`)."""
        process, self._process = self._process, None
        if process is None:
            return
        if kill:
            process.kill()
        elif process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(self._answer_timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for pipe in (process.stdin, process.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()

    def _running(self) -> "subprocess.Popen[bytes]":
        if self._process is not None and self._process.poll() is None:
            return self._process
        self.close(kill=True)
        process = subprocess.Popen(
            [sys.executable, "-m", "ivr.store.call_log_child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,
        )
        assert process.stdin is not None and process.stdout is not None
        self._process = process
        try:
            _send(process.stdin, self._database_url)
            started = self._answer(process.stdout, START_TIMEOUT_S)
        except OSError as error:
            started = repr(error).encode()
        if started != READY:
            self.close(kill=True)
            raise ChildStoreFailed(f"could not start the call log's store process: {started!r}")
        return process

    def _answer(self, stdout: IO[bytes], timeout_s: float | None = None) -> bytes:
        timeout_s = self._answer_timeout_s if timeout_s is None else timeout_s
        ready, _, _ = select.select([stdout], [], [], timeout_s)
        if not ready:
            self.close(kill=True)
            raise ChildStoreFailed(f"the call log's store process did not answer within {timeout_s:g} s")
        return stdout.readline()


def _send(pipe: IO[bytes], value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(_LENGTH.pack(len(data)) + data)
    pipe.flush()


def _received(pipe: IO[bytes]) -> Any | None:
    """The next message, or None at the end of the pipe (the parent closed it or died)."""
    header = pipe.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        return None
    data = pipe.read(_LENGTH.unpack(header)[0])
    return pickle.loads(data)  # written by our own parent process only, over a pipe nobody else holds


def main() -> None:
    from ivr.store.database import Database  # here: the parent imports this module without needing an engine

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s:%(name)s: %(message)s")
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    database_url = _received(stdin)
    if not isinstance(database_url, str):
        return
    database = Database(database_url)
    stdout.write(READY)
    stdout.flush()
    try:
        while (entries := _received(stdin)) is not None:
            try:
                with database.engine.begin() as connection:
                    calls.write_batches(connection, entries)
            except Exception as error:  # told to the parent, which retries the batch as it always did
                stdout.write(f"error: {error!r}".replace("\n", " ").encode("utf-8", "replace") + b"\n")
            else:
                stdout.write(OK)
            stdout.flush()
    finally:
        database.dispose()


if __name__ == "__main__":
    main()
