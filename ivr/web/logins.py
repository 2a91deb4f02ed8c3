"""Guarding the admin login: failed attempts slow down per account and per address, and argon2 runs a few at a time.

The server counts failures in the database (`SharedFailureCounts`, issue 24): every replica and every restart sees
the same counts. `FailureCounts` keeps them in memory, for a guard on its own (tests, the benchmark).
"""

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

import anyio
import anyio.to_thread

from ivr.store import login_failures
from ivr.store.database import Database

T = TypeVar("T")

# A person mistyping gets a few tries without waiting; then every failure doubles the wait, up to 15 minutes.
FREE_FAILURES_PER_ACCOUNT = 5
# One office shares one address: allow more before its logins slow down.
FREE_FAILURES_PER_ADDRESS = 20
FIRST_DELAY_S = 1.0
MAX_DELAY_S = 15 * 60.0
# Counts kept at most; the oldest are forgotten first (an attacker cycling addresses cannot fill the memory).
MAX_TRACKED = 10_000
# argon2-cffi's default profile (RFC 9106 low-memory) takes 64 MiB per hash. The server idles at about 180 MB
# and must stay under 300 MB (issue 8), so one at a time: 1-3 logins a second, plenty for a business's staff,
# and the worker threads stay free for calls (bench/inputs.py: 250 MB with 32 parallel logins).
CONCURRENT_HASHES = 1
# How long a login waits for a turn before it is asked to try again.
HASH_WAIT_S = 3.0


def delay_s(failures: int, free: int) -> float:
    """How long after the last failure the next attempt must wait, after `failures` in a row."""
    if failures < free:
        return 0.0
    return min(MAX_DELAY_S, FIRST_DELAY_S * 2.0 ** (failures - free))


class Counts(Protocol):
    def wait_s(self, key: str) -> float: ...
    def failed(self, key: str) -> None: ...
    def succeeded(self, key: str) -> None: ...


@dataclass
class _Failures:
    count: int
    last_s: float


class FailureCounts:
    """Consecutive failures per key; after `free` of them each attempt waits a doubling delay since the last."""

    def __init__(self, free: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.free = free
        self.clock = clock
        self._failures: OrderedDict[str, _Failures] = OrderedDict()

    def wait_s(self, key: str) -> float:
        failures = self._failures.get(key)
        if failures is None or failures.count < self.free:
            return 0.0
        return max(0.0, failures.last_s + delay_s(failures.count, self.free) - self.clock())

    def failed(self, key: str) -> None:
        failures = self._failures.pop(key, _Failures(0, 0.0))
        self._failures[key] = _Failures(failures.count + 1, self.clock())
        while len(self._failures) > MAX_TRACKED:
            self._failures.popitem(last=False)

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)


class SharedFailureCounts:
    """The same counts in the database (ivr.store.login_failures), by wall-clock time: shared by every replica.
    Blocking: called from worker threads, never on the event loop."""

    def __init__(self, free: int, database: Database, clock: Callable[[], datetime], kind: str) -> None:
        self.free, self.database, self.clock, self.kind = free, database, clock, kind

    def wait_s(self, key: str) -> float:
        with self.database.transaction() as session:
            found = login_failures.counted(session, f"{self.kind}:{key}")
        if found is None:
            return 0.0
        count, last_at = found
        return max(0.0, delay_s(count, self.free) - (self.clock() - last_at).total_seconds())

    def failed(self, key: str) -> None:
        with self.database.transaction() as session:
            login_failures.failed(session, f"{self.kind}:{key}", self.clock())

    def succeeded(self, key: str) -> None:
        with self.database.transaction() as session:
            login_failures.succeeded(session, f"{self.kind}:{key}")


class HashingBusy(Exception):
    """Too many password checks are running; the visitor should try again in a moment."""


class LoginGuard:
    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        hash_wait_s: float = HASH_WAIT_S,
        *,
        accounts: Counts | None = None,
        addresses: Counts | None = None,
    ) -> None:
        self.hash_wait_s = hash_wait_s
        self.accounts: Counts = accounts or FailureCounts(FREE_FAILURES_PER_ACCOUNT, clock)
        self.addresses: Counts = addresses or FailureCounts(FREE_FAILURES_PER_ADDRESS, clock)
        self._turns: anyio.Semaphore | None = None
        self.hashing = 0
        self.peak_hashing = 0  # the most password checks that ever ran at once (shown by tests and the bench)

    def wait_s(self, email: str, address: str) -> float:
        return max(self.accounts.wait_s(email.lower()), self.addresses.wait_s(address))

    def record(self, email: str, address: str, *, succeeded: bool) -> None:
        if succeeded:
            self.accounts.succeeded(email.lower())
            self.addresses.succeeded(address)
        else:
            self.accounts.failed(email.lower())
            self.addresses.failed(address)

    async def check_password(self, check: Callable[[], T]) -> T:
        """Run the (argon2) check in a worker thread when a turn is free; `HashingBusy` if none frees up soon."""
        if self._turns is None:  # made on first use, inside the server's event loop
            self._turns = anyio.Semaphore(CONCURRENT_HASHES)
        acquired = False
        with anyio.move_on_after(self.hash_wait_s):  # only waiting for a turn is bounded, never a check under way
            await self._turns.acquire()
            acquired = True
        if not acquired:
            raise HashingBusy
        self.hashing += 1
        self.peak_hashing = max(self.peak_hashing, self.hashing)
        try:
            return await anyio.to_thread.run_sync(check)
        finally:
            self.hashing -= 1
            self._turns.release()


def shared_login_guard(database: Database, clock: Callable[[], datetime]) -> LoginGuard:
    """The server's guard: failures counted in the database, so replicas share one throttle."""
    return LoginGuard(
        accounts=SharedFailureCounts(FREE_FAILURES_PER_ACCOUNT, database, clock, "account"),
        addresses=SharedFailureCounts(FREE_FAILURES_PER_ADDRESS, database, clock, "address"),
    )
