"""Two-step login over real HTTP, on SQLite and PostgreSQL (issue 24): set up with the app's first code; after the
password the page asks for a code; a wrong, reused or older code and a recovery code used twice are refused in the
page's language and logged in the audit trail; GREETLINE_REQUIRE_2FA sends an owner without it to set it up."""

import base64
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pyotp
import pytest

from ivr.roles import OWNER, STAFF
from ivr.settings import Settings
from ivr.store import audit, staff, two_factor
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.local_server import running_server
from tests.web.test_admin import csrf

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
EMAIL, PASSWORD = "eigenaar@delinde.nl", "een-lang-wachtwoord"
WRONG_CODE_NL = "Deze code klopt niet of is al gebruikt."


def test_rfc_6238_reference_codes_match_their_time_step() -> None:
    # RFC 6238 appendix B: the SHA-1 secret "12345678901234567890"; at T=59 s the 8-digit code is 94287082, so the
    # 6-digit one is its last six digits. 59 s is step 1 (30 s steps); a step out of the window matches nothing.
    secret = base64.b32encode(b"12345678901234567890").decode()
    at_59 = datetime.fromtimestamp(59, UTC)
    assert two_factor.matching_step(secret, "287082", at_59) == 1
    assert two_factor.matching_step(secret, "287 082", at_59 + timedelta(seconds=30)) == 1  # one step late: still
    assert two_factor.matching_step(secret, "287082", at_59 + timedelta(seconds=90)) is None
    assert two_factor.matching_step(secret, "28708", at_59) is None
    assert two_factor.matching_step(secret, "abcdef", at_59) is None


@pytest.fixture
def served(database_url: str, settings: Settings, demo_text: str) -> Iterator[tuple[str, Database, int]]:
    upgrade(database_url)
    database = Database(database_url)
    home = apply_text(database, demo_text, NOW).stored.id
    with database.transaction() as session:
        staff.set_login(session, business_id=home, email=EMAIL, password=PASSWORD, now=NOW, role=OWNER)
        staff.set_login(session, business_id=home, email="assistent@delinde.nl", password=PASSWORD, now=NOW, role=STAFF)
    local = {"database_url": database_url, "public_url": "http://greetline.test", "require_2fa": True}
    app = create_app(settings.model_copy(update=local), clock=lambda: NOW)
    with running_server(app) as url:
        yield url, database, home
    database.dispose()


def _password(http: httpx.Client, email: str = EMAIL) -> httpx.Response:
    token = csrf(http.get("/admin/login").text)
    return http.post("/admin/login", data={"email": email, "password": PASSWORD, "csrf": token})


def _code(http: httpx.Client, code: str) -> httpx.Response:
    token = csrf(http.get("/admin/login/code").text)
    return http.post("/admin/login/code", data={"code": code, "csrf": token})


def test_set_up_then_each_code_logs_in_once(served: tuple[str, Database, int]) -> None:
    url, database, home = served
    with httpx.Client(base_url=url, timeout=30) as http:
        assert _password(http).headers["location"] == "/admin"
        # Required for owners: every business page sends it to set two-step login up first.
        assert http.get("/admin/settings").headers["location"] == "/admin/account"
        token = csrf(http.get("/admin/account").text)
        started = http.post("/admin/account/two-factor/start", data={"csrf": token})
        assert "<svg" in started.text and "otpauth" not in started.text  # the QR code drawn here, the key as text
        key = re.search(r'id="totp-key"[^>]*>([A-Z2-7 ]+)<', started.text)
        assert key
        totp = pyotp.TOTP(key.group(1).replace(" ", ""))
        wrong = http.post("/admin/account/two-factor/confirm", data={"csrf": token, "code": "000000"})
        assert wrong.status_code == 422 and WRONG_CODE_NL in wrong.text
        confirmed = http.post("/admin/account/two-factor/confirm", data={"csrf": token, "code": totp.at(NOW)})
        codes = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", confirmed.text)
        assert len(codes) == two_factor.RECOVERY_CODE_COUNT
        assert http.get("/admin/settings").status_code == 200
    with httpx.Client(base_url=url, timeout=30) as http:
        assert _password(http).headers["location"] == "/admin/login/code"
        assert http.get("/admin", follow_redirects=False).status_code == 303  # not logged in yet
        reused = _code(http, totp.at(NOW))  # the code that set it up
        assert reused.status_code == 401 and WRONG_CODE_NL in reused.text
        assert _code(http, totp.at(NOW - timedelta(seconds=30))).status_code == 401  # older than one accepted
        assert _code(http, totp.at(NOW + timedelta(seconds=30))).headers["location"] == "/admin"
        assert http.get("/admin").status_code == 200
    with httpx.Client(base_url=url, timeout=30) as http:
        _password(http)
        assert _code(http, totp.at(NOW + timedelta(seconds=30))).status_code == 401  # used already
        assert _code(http, codes[0]).headers["location"] == "/admin"
    with httpx.Client(base_url=url, timeout=30) as http:
        _password(http)
        assert _code(http, codes[0]).status_code == 401  # a recovery code works once
        assert _code(http, codes[1].upper()).headers["location"] == "/admin"
    with database.transaction() as session:
        trail = [(e.action, e.details.get("reason")) for e in reversed(audit.events(session, home))]
    assert trail == [
        ("login", None),
        ("two_factor_enabled", None),
        ("login_failed", "code"),
        ("login_failed", "code"),
        ("login", None),
        ("login_failed", "code"),
        ("recovery_code_used", None),
        ("login_failed", "code"),
        ("recovery_code_used", None),
    ]


def test_staff_are_not_made_to_set_it_up(served: tuple[str, Database, int]) -> None:
    url, _database, _home = served
    with httpx.Client(base_url=url, timeout=30) as http:
        _password(http, "assistent@delinde.nl")
        assert http.get("/admin/settings").status_code == 200


def test_staff_turn_it_off_with_a_code_and_an_owner_may_not(served: tuple[str, Database, int]) -> None:
    url, database, home = served
    with httpx.Client(base_url=url, timeout=30) as http:
        _password(http, "assistent@delinde.nl")
        token = csrf(http.get("/admin/account").text)
        started = http.post("/admin/account/two-factor/start", data={"csrf": token})
        key = re.search(r'id="totp-key"[^>]*>([A-Z2-7 ]+)<', started.text)
        assert key
        totp = pyotp.TOTP(key.group(1).replace(" ", ""))
        http.post("/admin/account/two-factor/confirm", data={"csrf": token, "code": totp.at(NOW)})
        wrong = http.post("/admin/account/two-factor/off", data={"csrf": token, "code": "000000"})
        assert wrong.status_code == 422 and WRONG_CODE_NL in wrong.text
        off = http.post(
            "/admin/account/two-factor/off", data={"csrf": token, "code": totp.at(NOW + timedelta(seconds=30))}
        )
        assert off.status_code == 200 and "Inloggen in twee stappen staat uit." in off.text
    with httpx.Client(base_url=url, timeout=30) as http:
        _password(http)
        token = csrf(http.get("/admin/account").text)
        refused = http.post("/admin/account/two-factor/off", data={"csrf": token, "code": "000000"})
        assert refused.status_code == 422 and "verplicht voor eigenaren" in refused.text
    with database.transaction() as session:
        turned_off = staff.verify(session, "assistent@delinde.nl", PASSWORD)
        trail = [e.action for e in reversed(audit.events(session, home))]
    assert turned_off is not None and not turned_off.two_factor
    assert trail[-3:] == ["two_factor_enabled", "two_factor_disabled", "login"]
