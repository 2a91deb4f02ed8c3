"""Roles over real HTTP, on SQLite and PostgreSQL (issue 24): a read-only login posts every admin route the app has
and changes nothing; staff cannot manage logins; an answering service opens only the cards of the businesses it
serves; a login at two businesses picks one. Each refusal is said in the page's language, and the owners' acts are
in the audit trail, on the page and in the API."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from alembic import command
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlalchemy import text

from ivr.roles import ANSWERING, OWNER, READ_ONLY, STAFF
from ivr.settings import Settings
from ivr.store import audit, businesses, history, keys, staff
from ivr.store.database import Database
from ivr.store.migrate import alembic_config, upgrade
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.local_server import running_server
from tests.web.test_admin import csrf

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
PASSWORD = "een-lang-wachtwoord"
OWNER_EMAIL, READER, HELPER, SERVICE, TWO_PLACES = (
    "eigenaar@delinde.nl",
    "meekijker@delinde.nl",
    "assistent@delinde.nl",
    "balie@antwoorddienst.nl",
    "waarnemer@delinde.nl",
)
READ_ONLY_NL = "Met uw rol bij dit bedrijf kunt u deze pagina zien, maar niets wijzigen."
OWNERS_ONLY_NL = "Alleen de eigenaren van het bedrijf kunnen deze pagina openen."
# The pages mounted for owners only (ivr.web.admin.router): logins, API keys, the audit trail, a caller's data.
OWNER_PAGES = ("/admin/staff", "/admin/keys", "/admin/audit", "/admin/privacy")
# The login's own routes: open to every role, as they change the login, never a business.
OWN_ROUTES = re.compile(r"/admin/(login(/code)?|password/.*|logout|language/.*|account(/.*)?|business|cards(/.*)?)")


@dataclass
class Served:
    url: str
    app: FastAPI
    database: Database
    home: int  # the practice
    other: int  # a second location, with its own document

    @contextmanager
    def client(self, email: str) -> Iterator[httpx.Client]:
        with httpx.Client(base_url=self.url, timeout=30) as http:
            token = csrf(http.get("/admin/login").text)
            answer = http.post("/admin/login", data={"email": email, "password": PASSWORD, "csrf": token})
            assert answer.status_code == 303, answer.text
            yield http

    def state(self) -> tuple[Any, ...]:
        """Everything a form could change: the document, its history, who logs in where, the trail's changes."""
        with self.database.transaction() as session:
            stored = businesses.get(session, self.home)
            return (
                stored.document,
                len(history.versions(session, self.home, limit=1000)),
                [(m.email, m.role) for m in staff.of_business(session, self.home)],
            )


@pytest.fixture
def served(database_url: str, settings: Settings, demo_text: str) -> Iterator[Served]:
    upgrade(database_url)
    database = Database(database_url)
    home = apply_text(database, demo_text, NOW).stored.id
    second = demo_text.replace("+31501234567", "+31507654321").replace("De Linde", "De Eik")
    other = apply_text(database, second, NOW).stored.id
    with database.transaction() as session:
        for email, role in ((OWNER_EMAIL, OWNER), (READER, READ_ONLY), (HELPER, STAFF), (SERVICE, ANSWERING)):
            staff.set_login(session, business_id=home, email=email, password=PASSWORD, now=NOW, role=role)
        staff.set_login(session, business_id=home, email=TWO_PLACES, password=PASSWORD, now=NOW, role=STAFF)
        staff.set_login(session, business_id=other, email=TWO_PLACES, password=None, now=NOW, role=OWNER)
    local = {"database_url": database_url, "public_url": "http://greetline.test"}
    app = create_app(settings.model_copy(update=local), clock=lambda: NOW)
    with running_server(app) as url:
        yield Served(url, app, database, home, other)
    database.dispose()


def _changing_routes(app: FastAPI) -> list[str]:
    """Every admin route that takes anything but GET, from the app itself: a route added later is covered."""
    found = []
    for route in iter_route_contexts(app.routes):
        path, methods = route.path, set(route.methods or ())
        if path.startswith("/admin") and not OWN_ROUTES.fullmatch(path) and methods - {"GET", "HEAD"}:
            found.append(path)
    return found


def test_a_read_only_login_posting_any_admin_route_is_refused_and_nothing_changes(served: Served) -> None:
    with served.database.transaction() as session:
        owner_id = next(m.id for m in staff.of_business(session, served.home) if m.email == OWNER_EMAIL)
    routes = _changing_routes(served.app)
    expected = {"/admin/settings/rings", "/admin/staff", "/admin/staff/{staff_id}/role", "/admin/audit"}
    assert expected - {"/admin/audit"} <= set(routes), routes
    before = served.state()
    with served.client(READER) as http:
        token = csrf(http.get("/admin").text)
        for path in routes:
            filled = re.sub(r"\{staff_id\}", str(owner_id), path)
            filled = re.sub(r"\{[a-z_]+\}", "1", filled)
            answer = http.post(filled, data={"csrf": token, "role": READ_ONLY, "rings": "3"})
            assert answer.status_code == 403, (path, answer.status_code)
            reason = OWNERS_ONLY_NL if path.startswith(OWNER_PAGES) else READ_ONLY_NL
            assert reason in answer.text, path
        assert http.get("/admin").status_code == 200  # it does see
        assert http.get("/admin/messages").status_code == 200
    assert served.state() == before


def test_staff_work_but_only_owners_manage_logins_and_see_the_trail(served: Served) -> None:
    with served.client(HELPER) as http:
        token = csrf(http.get("/admin").text)
        refused = http.post("/admin/staff", data={"csrf": token, "email": "nieuw@delinde.nl", "password": PASSWORD})
        assert refused.status_code == 403
        assert OWNERS_ONLY_NL in refused.text
        assert http.get("/admin/audit").status_code == 403
        assert http.post("/admin/settings/rings", data={"csrf": token, "rings": "5"}).status_code == 200
    with served.database.transaction() as session:
        assert businesses.get(session, served.home).document["rings"] == 5
        assert "nieuw@delinde.nl" not in [m.email for m in staff.of_business(session, served.home)]


def test_an_owner_adds_a_read_only_login_changes_its_role_and_the_trail_shows_both(served: Served) -> None:
    with served.client(OWNER_EMAIL) as http:
        token = csrf(http.get("/admin/staff").text)
        added = http.post(
            "/admin/staff",
            data={"csrf": token, "email": "stagiair@delinde.nl", "password": PASSWORD, "role": READ_ONLY},
        )
        assert added.status_code == 200
        with served.database.transaction() as session:
            new_id = next(m.id for m in staff.of_business(session, served.home) if m.email == "stagiair@delinde.nl")
        changed = http.post(f"/admin/staff/{new_id}/role", data={"csrf": token, "role": STAFF})
        assert changed.status_code == 200
        page = http.get("/admin/audit").text
        http.get("/admin/language/en")
        english = http.get("/admin/audit").text
    assert "Login toegevoegd" in page and "Rol gewijzigd" in page and "Alleen lezen → Medewerker" in page
    assert "Changed a role" in english and "Logged in" in english
    assert "10:00" in page  # 09:00 UTC is 10:00 in Amsterdam
    with served.database.transaction() as session:
        entries = audit.events(session, served.home)
        secret = keys.create(session, business_id=served.home, label="audit", now=NOW)[1]
    assert [(e.action, e.actor, e.details) for e in entries[:2]] == [
        ("role_changed", OWNER_EMAIL, {"email": "stagiair@delinde.nl", "from": READ_ONLY, "to": STAFF}),
        ("staff_added", OWNER_EMAIL, {"email": "stagiair@delinde.nl", "role": READ_ONLY}),
    ]
    assert entries[2].action == "login" and entries[2].address == "127.0.0.1"
    listed = httpx.get(
        f"{served.url}/api/v1/businesses/{served.home}/audit", headers={"Authorization": f"Bearer {secret}"}
    )
    assert listed.status_code == 200
    assert [e["action"] for e in listed.json()[:3]] == ["role_changed", "staff_added", "login"]
    other = httpx.get(
        f"{served.url}/api/v1/businesses/{served.other}/audit", headers={"Authorization": f"Bearer {secret}"}
    )
    assert other.status_code == 404


def test_a_failed_login_is_in_the_trail_with_its_address(served: Served) -> None:
    with httpx.Client(base_url=served.url) as http:
        token = csrf(http.get("/admin/login").text)
        answer = http.post("/admin/login", data={"email": READER, "password": "fout-wachtwoord", "csrf": token})
    assert answer.status_code == 401
    with served.database.transaction() as session:
        (failed,) = audit.events(session, served.home, limit=1)
    assert (failed.action, failed.actor, failed.address, failed.details) == (
        "login_failed",
        READER,
        "127.0.0.1",
        {"reason": "password"},
    )


def test_an_answering_service_opens_the_cards_it_serves_and_no_other(served: Served) -> None:
    with served.client(SERVICE) as http:
        overview = http.get("/admin", follow_redirects=False)
        assert (overview.status_code, overview.headers["location"]) == (303, "/console")
        listing = http.get("/admin/cards").text
        assert f'href="/admin/cards/{served.home}"' in listing and f"/admin/cards/{served.other}" not in listing
        assert http.get(f"/admin/cards/{served.home}").status_code == 200
        assert http.get(f"/admin/cards/{served.other}").status_code == 404
        assert http.post(f"/admin/cards/{served.other}", data={"message": "x"}).status_code == 404
        assert http.get("/admin/messages", follow_redirects=False).status_code == 303


def test_a_login_at_two_businesses_picks_one_and_acts_as_its_role_there(served: Served) -> None:
    with served.client(TWO_PLACES) as http:
        token = csrf(http.get("/admin").text)
        assert http.get("/admin/staff").status_code == 403  # staff at the first
        assert http.post("/admin/business", data={"csrf": token, "business_id": str(served.other)}).status_code == 303
        assert "De Eik" in http.get("/admin").text
        assert http.get("/admin/staff").status_code == 200  # owner at the second
        assert http.post("/admin/business", data={"csrf": token, "business_id": "999999"}).status_code == 404


def test_existing_logins_become_owners_of_their_business(database_url: str, demo_text: str) -> None:
    command.upgrade(alembic_config(database_url), "0018")
    database = Database(database_url)
    try:
        home = apply_text(database, demo_text, NOW).stored.id  # the businesses table is the same before and after
        with database.transaction() as session:
            session.execute(
                text(
                    "INSERT INTO staff_users (business_id, email, password_hash, created_at, session_epoch)"
                    " VALUES (:business, 'oud@delinde.nl', 'x', :now, 3)"
                ),
                {"business": home, "now": NOW},
            )
        upgrade(database_url)
        with database.transaction() as session:
            members = staff.of_business(session, home)
    finally:
        database.dispose()
    assert [(m.email, m.role) for m in members] == [("oud@delinde.nl", OWNER)]
