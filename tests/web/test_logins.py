"""Admin logins under attack, over real HTTP (issue 8): throttled floods, bounded hashing, sessions that end."""

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import anyio
import httpx
import pytest
from argon2 import PasswordHasher

from ivr.settings import Settings
from ivr.store import staff
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from ivr.web.logins import (
    CONCURRENT_HASHES,
    FREE_FAILURES_PER_ACCOUNT,
    FREE_FAILURES_PER_ADDRESS,
    FailureCounts,
    HashingBusy,
    LoginGuard,
    shared_login_guard,
)
from ivr.web.services import Services
from tests.local_server import running_server
from tests.web.test_admin import EMAIL, PASSWORD, PUBLIC_URL, csrf

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
# Enough to show the bound; bench/inputs.py sends 32 and measures memory.
PARALLEL_LOGINS = 8


@dataclass
class Admin:
    url: str
    services: Services
    database_url: str

    def client(self, cookies: httpx.Cookies | None = None) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, cookies=cookies)


@pytest.fixture
def admin(settings: Settings, demo_text: str) -> Iterator[Admin]:
    database = Database(settings.database_url)
    business = apply_text(database, demo_text, NOW).stored
    with database.transaction() as session:
        staff.set_login(session, business_id=business.id, email=EMAIL, password=PASSWORD, now=NOW)
    database.dispose()
    app = create_app(settings.model_copy(update={"public_url": PUBLIC_URL}), clock=lambda: NOW)
    with running_server(app) as url:
        yield Admin(url, app.state.services, settings.database_url)


def _log_in(http: httpx.Client, email: str = EMAIL, password: str = PASSWORD) -> httpx.Response:
    token = csrf(http.get("/admin/login").text)
    return http.post("/admin/login", data={"email": email, "password": password, "csrf": token})


def test_the_21st_wrong_password_in_a_row_is_throttled_and_says_when_to_try_again(admin: Admin) -> None:
    with admin.client() as http:
        answers = [_log_in(http, password=f"wrong-{attempt}") for attempt in range(21)]
        assert [a.status_code for a in answers[:FREE_FAILURES_PER_ACCOUNT]] == [401] * FREE_FAILURES_PER_ACCOUNT
        last = answers[20]
        assert last.status_code == 429 and int(last.headers["retry-after"]) >= 1
        assert "Te veel mislukte pogingen. Probeer het over" in last.text
        # The account waits, even for its right password: the flood cannot find it by luck either.
        assert _log_in(http).status_code == 429


def test_an_address_trying_many_accounts_is_throttled() -> None:
    guard = LoginGuard()
    for n in range(FREE_FAILURES_PER_ADDRESS):
        assert guard.wait_s(f"guess{n}@delinde.nl", "192.0.2.7") == 0.0
        guard.record(f"guess{n}@delinde.nl", "192.0.2.7", succeeded=False)
    assert guard.wait_s("guess-21@delinde.nl", "192.0.2.7") > 0  # a fresh account, the same address
    assert guard.wait_s("guess-21@delinde.nl", "198.51.100.1") == 0.0  # another address is not held up


def test_parallel_logins_hash_a_few_at_a_time(admin: Admin) -> None:
    clients = [admin.client() for _ in range(PARALLEL_LOGINS)]
    tokens = [csrf(http.get("/admin/login").text) for http in clients]
    start = threading.Barrier(len(clients))

    def log_in(index: int) -> int:
        start.wait()
        form = {"email": EMAIL, "password": PASSWORD, "csrf": tokens[index]}
        return clients[index].post("/admin/login", data=form).status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        statuses = list(pool.map(log_in, range(len(clients))))
    for http in clients:
        http.close()
    assert set(statuses) <= {303, 503} and 303 in statuses  # logged in, or asked to try again in a moment
    assert 1 <= admin.services.logins.peak_hashing <= CONCURRENT_HASHES


def test_a_login_that_finds_no_free_turn_is_asked_to_try_again() -> None:
    guard = LoginGuard(hash_wait_s=0.05)
    release = threading.Event()
    outcomes: list[str] = []

    async def hold() -> None:
        outcomes.append(await guard.check_password(lambda: "held" if release.wait(10) else "timed out"))

    async def one_too_many() -> None:
        try:
            await guard.check_password(lambda: "checked")
        except HashingBusy:
            outcomes.append("busy")
        release.set()

    async def main() -> None:
        async with anyio.create_task_group() as tasks:
            for _ in range(CONCURRENT_HASHES):
                tasks.start_soon(hold)
            await anyio.wait_all_tasks_blocked()
            tasks.start_soon(one_too_many)

    anyio.run(main)
    assert sorted(outcomes) == ["busy", *["held"] * CONCURRENT_HASHES]


@pytest.mark.parametrize(
    ("failures", "seconds_later", "wait_s"),
    [
        (FREE_FAILURES_PER_ACCOUNT - 1, 0.0, 0.0),  # still free
        (FREE_FAILURES_PER_ACCOUNT, 0.0, 1.0),
        (FREE_FAILURES_PER_ACCOUNT, 1.0, 0.0),  # waited long enough
        (FREE_FAILURES_PER_ACCOUNT + 1, 0.5, 1.5),  # doubled
        (FREE_FAILURES_PER_ACCOUNT + 3, 0.0, 8.0),
        (FREE_FAILURES_PER_ACCOUNT + 30, 0.0, 900.0),  # at most 15 minutes
    ],
)
def test_waits_grow_with_each_failure(failures: int, seconds_later: float, wait_s: float) -> None:
    now = [100.0]
    counts = FailureCounts(FREE_FAILURES_PER_ACCOUNT, clock=lambda: now[0])
    for _ in range(failures):
        counts.failed("someone@example.nl")
    now[0] += seconds_later
    assert counts.wait_s("someone@example.nl") == wait_s
    counts.succeeded("someone@example.nl")
    assert counts.wait_s("someone@example.nl") == 0.0


def _dashboard_status(admin: Admin, cookies: httpx.Cookies) -> int:
    with admin.client(cookies) as replay:
        return replay.get("/admin").status_code


def test_the_old_cookie_stops_working_after_logout(admin: Admin) -> None:
    with admin.client() as http:
        assert _log_in(http).status_code == 303
        copied = httpx.Cookies(http.cookies)
        assert _dashboard_status(admin, copied) == 200
        token = csrf(http.get("/admin").text)
        assert http.post("/admin/logout", data={"csrf": token}).status_code == 303
    assert _dashboard_status(admin, copied) == 303  # to the login page


def test_the_old_cookie_stops_working_after_a_password_change(admin: Admin) -> None:
    with admin.client() as http:
        assert _log_in(http).status_code == 303
        copied = httpx.Cookies(http.cookies)
    database = Database(admin.database_url)
    with database.transaction() as session:
        user = staff.verify(session, EMAIL, PASSWORD)
        assert user is not None
        staff.set_login(session, business_id=user.business_id, email=EMAIL, password="een-nieuw-wachtwoord", now=NOW)
    database.dispose()
    assert _dashboard_status(admin, copied) == 303
    with admin.client() as http:
        assert _log_in(http, password="een-nieuw-wachtwoord").status_code == 303


class RecordingHasher(PasswordHasher):
    """argon2's own hasher, remembering which hashes it checked."""

    def __init__(self) -> None:
        super().__init__()
        self.checked: list[str] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.checked.append(str(hash))
        return super().verify(hash, password)


def test_an_unknown_address_is_checked_against_the_dummy_hash(database: Database) -> None:
    hasher = RecordingHasher()
    with database.transaction() as session:
        assert staff.verify(session, "nobody@example.nl", "any password", hasher=hasher) is None
    assert hasher.checked == [staff.dummy_hash(hasher)]


def test_two_guards_on_one_database_count_each_others_failures(database: Database) -> None:
    # What two replicas do (tests/test_replicas.py runs it with two server processes): one database, one count.
    now = [NOW]
    first, second = shared_login_guard(database, lambda: now[0]), shared_login_guard(database, lambda: now[0])
    for attempt in range(FREE_FAILURES_PER_ACCOUNT):
        (first, second)[attempt % 2].record("Anna@Praktijk.example", "10.0.0.1", succeeded=False)
    assert second.wait_s("anna@praktijk.example", "10.0.0.2") == 1.0
    now[0] += timedelta(seconds=0.25)
    assert first.wait_s("anna@praktijk.example", "10.0.0.2") == 0.75
    first.record("anna@praktijk.example", "10.0.0.1", succeeded=True)
    assert second.wait_s("anna@praktijk.example", "10.0.0.1") == 0.0
