"""Password reset by e-mail over real HTTP and real SMTP (aiosmtpd), on SQLite and PostgreSQL (issue 24): the link
arrives, works once and for one hour, ends the login's other sessions; a forged, replayed or expired link is
refused in the page's language; an unknown address is answered exactly as a known one."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from ivr.settings import Settings
from ivr.store import audit, staff
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.fakes.smtp import MailServer, running_mail_server
from tests.local_server import running_server
from tests.web.test_admin import csrf

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
EMAIL, PASSWORD, NEW_PASSWORD = "eigenaar@delinde.nl", "een-lang-wachtwoord", "een-nieuw-wachtwoord"
LINK = re.compile(r"http://greetline\.test(/admin/password/reset\?token=[\w-]+)")


@dataclass
class Served:
    url: str
    database: Database
    home: int
    mail: MailServer
    clock: list[datetime]


@pytest.fixture
def served(database_url: str, settings: Settings, demo_text: str) -> Iterator[Served]:
    upgrade(database_url)
    database = Database(database_url)
    home = apply_text(database, demo_text, NOW).stored.id
    with database.transaction() as session:
        staff.set_login(session, business_id=home, email=EMAIL, password=PASSWORD, now=NOW)
    now = [NOW]
    with running_mail_server() as mail:
        local = {"database_url": database_url, "public_url": "http://greetline.test", "smtp_url": mail.url}
        app = create_app(settings.model_copy(update=local), clock=lambda: now[0])
        with running_server(app) as url:
            yield Served(url, database, home, mail, now)
    database.dispose()


def _ask(http: httpx.Client, email: str) -> httpx.Response:
    token = csrf(http.get("/admin/password/forgot").text)
    return http.post("/admin/password/forgot", data={"email": email, "csrf": token})


def _reset(http: httpx.Client, path: str, new: str = NEW_PASSWORD) -> httpx.Response:
    page = http.get(path)
    if page.status_code != 200:
        return page
    token = re.search(r'name="token" value="([^"]+)"', page.text)
    assert token
    return http.post("/admin/password/reset", data={"csrf": csrf(page.text), "token": token.group(1), "new": new})


def _log_in(http: httpx.Client, password: str) -> int:
    token = csrf(http.get("/admin/login").text)
    return http.post("/admin/login", data={"email": EMAIL, "password": password, "csrf": token}).status_code


def test_a_reset_link_works_once_and_ends_the_other_sessions(served: Served) -> None:
    with (
        httpx.Client(base_url=served.url, timeout=30) as elsewhere,
        httpx.Client(base_url=served.url, timeout=30) as http,
    ):
        assert _log_in(elsewhere, PASSWORD) == 303
        unknown = _ask(http, "niemand@delinde.nl")
        known = _ask(http, EMAIL)
        assert unknown.status_code == known.status_code == 200
        assert "Als dit adres een login heeft" in known.text and "Als dit adres een login heeft" in unknown.text
        (mail,) = served.mail.inbox.wait_for(1)
        assert mail["To"] == EMAIL and mail["Subject"] == "Een nieuw wachtwoord voor Greetline"
        found = LINK.search(mail.get_content())
        assert found
        done = _reset(http, found.group(1))
        assert done.status_code == 200 and "Uw wachtwoord is gewijzigd" in done.text
        assert elsewhere.get("/admin", follow_redirects=False).headers["location"] == "/admin/login"  # ended
        assert _log_in(http, PASSWORD) == 401 and _log_in(http, NEW_PASSWORD) == 303
        replayed = _reset(http, found.group(1), "nog-een-ander-wachtwoord")
        assert replayed.status_code == 400 and "Deze link is al gebruikt." in replayed.text
        forged = _reset(http, "/admin/password/reset?token=" + "A" * 43)
        assert forged.status_code == 400 and "Deze link is niet geldig." in forged.text
    assert len(served.mail.inbox.messages) == 1  # nothing went to the unknown address
    with served.database.transaction() as session:
        actions = [e.action for e in reversed(audit.events(session, served.home))]
    assert actions == ["login", "password_reset_asked", "password_reset", "login_failed", "login"]


def test_a_link_older_than_an_hour_is_refused_and_changes_nothing(served: Served) -> None:
    with httpx.Client(base_url=served.url, timeout=30) as http:
        _ask(http, EMAIL)
        (mail,) = served.mail.inbox.wait_for(1)
        found = LINK.search(mail.get_content())
        assert found
        served.clock[0] = NOW + timedelta(hours=1, seconds=1)
        expired = _reset(http, found.group(1))
        assert expired.status_code == 400 and "Deze link is verlopen" in expired.text
        assert _log_in(http, PASSWORD) == 303
