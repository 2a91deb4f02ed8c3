"""Uploading a greeting is one use case (ivr.usecases.greetings): the admin page, the API and `apply` refuse the same
recordings for the same reasons, judged by the recording's measured length, and a refusal leaves nothing behind:
no library row, no changed document, the same welcome on the next call."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from audio.media import MediaStore
from audio.objects import LocalObjects
from ivr.errors import DocumentError
from ivr.settings import Settings
from ivr.store import businesses, library
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.usecases.greetings import upload_greeting
from tests.api.test_api import Setup, api  # noqa: F401 (a fixture)
from tests.twilio_client import TwilioLikeClient
from tests.web.test_admin import PUBLIC_URL, admin, log_in, stored_document  # noqa: F401 (a fixture)
from tests.web.test_admin_uploads import generated

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
# Longer than the 30 s within which an emergency caller must be able to press (ivr/document/path_check.py): the
# demo's emergency option is heard only after the welcome.
LONG_WELCOME_S = 55
WHY_EN = "an emergency caller can press only after about"
WHY_NL = "Een beller met spoed moet binnen 30 s kunnen kiezen."


@pytest.fixture(scope="module")
def long_welcome() -> bytes:
    """A tone with the level of speech, far past what the emergency option can wait for (real ffmpeg)."""
    return generated("sine=f=440:r=8000,volume=0.3", LONG_WELCOME_S)


@pytest.fixture(scope="module")
def short_welcome() -> bytes:
    return generated("sine=f=440:r=8000,volume=0.3", 3)


def library_rows(settings: Settings) -> list[library.GreetingRecording]:
    database = Database(settings.database_url)
    try:
        with database.transaction() as session:
            return [
                item
                for row in businesses.visible_to(session.connection(), None)
                for item in library.greetings(session, row.id)
            ]
    finally:
        database.dispose()


def test_a_welcome_that_delays_the_emergency_option_is_refused_on_the_page(
    admin: httpx.Client,  # noqa: F811
    settings: Settings,
    long_welcome: bytes,
) -> None:
    token = log_in(admin)
    before = stored_document(settings)
    heard_before = TwilioLikeClient(admin, public_url=PUBLIC_URL).post("/twilio/voice").text
    page = admin.post("/admin/greetings/upload", data={"csrf": token}, files={"recording": ("lang.wav", long_welcome)})
    assert page.status_code == 422, page.text[:300]
    field_error = page.text.split('<p id="recording-error" class="field-error">')[1].split("</p>")[0]
    assert WHY_NL in field_error
    assert stored_document(settings) == before
    assert library_rows(settings) == []
    assert TwilioLikeClient(admin, public_url=PUBLIC_URL).post("/twilio/voice").text == heard_before


def test_the_api_refuses_the_same_welcome_for_the_same_reason(api: Setup, long_welcome: bytes) -> None:  # noqa: F811
    base = f"/api/v1/businesses/{api.demo_id}/greetings"
    key = api.as_key(api.demo_key)
    before = api.http.get(f"/api/v1/businesses/{api.demo_id}/config", headers=key).json()
    files = {"recording": ("lang.wav", long_welcome)}
    refused = api.http.post(base, params={"active": "true"}, files=files, headers=key)
    assert refused.status_code == 422, refused.text
    assert any(WHY_EN in problem["message"] for problem in refused.json()["detail"]["problems"])
    assert api.http.get(base, headers=key).json() == []  # no library row either
    # Kept in the library without making it the welcome, it is refused when made the welcome, for the same reason.
    kept = api.http.post(base, files=files, headers=key)
    assert kept.status_code == 201 and kept.json()["active"] is False
    assert kept.json()["duration_s"] == pytest.approx(LONG_WELCOME_S, abs=1)
    made = api.http.put(f"{base}/{kept.json()['id']}/active", headers=key)
    assert made.status_code == 422 and any(
        WHY_EN in problem["message"] for problem in made.json()["detail"]["problems"]
    )
    assert api.http.get(f"/api/v1/businesses/{api.demo_id}/config", headers=key).json() == before


def test_the_api_makes_an_acceptable_upload_the_welcome_at_once(
    api: Setup,  # noqa: F811
    short_welcome: bytes,
) -> None:
    base = f"/api/v1/businesses/{api.demo_id}/greetings"
    key = api.as_key(api.demo_key)
    made = api.http.post(base, params={"active": "true"}, files={"recording": ("kort.wav", short_welcome)}, headers=key)
    assert made.status_code == 201 and made.json()["active"] is True, made.text
    config = api.http.get(f"/api/v1/businesses/{api.demo_id}/config", headers=key).json()
    assert config["greeting"] == {"file": "kort.wav", "media": made.json()["media_id"]}


def refuse_writes(database: Database, table: str) -> None:
    """A trigger that makes the database refuse every write to `table`: a failure in the middle of the use case."""
    if database.engine.dialect.name == "sqlite":
        statements = [
            f"CREATE TRIGGER refuse_{table} BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, 'refused'); END",
            f"CREATE TRIGGER refuse_{table}_new BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'refused'); END",
        ]
    else:
        statements = [
            "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER refuse_{table} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION refuse()",
        ]
    with database.transaction() as session:
        for statement in statements:
            session.execute(text(statement))


# The document is written first, then the library row: either write refused leaves neither.
@pytest.mark.parametrize("table", ["businesses", "greeting_recordings"])
def test_a_write_refused_in_the_middle_leaves_neither_the_library_row_nor_the_document(
    database: Database, demo_text: str, tmp_path: Path, short_welcome: bytes, table: str
) -> None:
    business_id = apply_text(database, demo_text, NOW).stored.id
    before = businesses_document(database, business_id)
    refuse_writes(database, table)
    media = MediaStore(LocalObjects(tmp_path / "media"))
    with pytest.raises(DBAPIError, match="refused"):
        upload_greeting(database, media, business_id, short_welcome, "kort.wav", NOW, make_welcome=True)
    with database.transaction() as session:
        assert library.greetings(session, business_id) == []
        assert businesses.get(session, business_id).revision == 1
    assert businesses_document(database, business_id) == before


def businesses_document(database: Database, business_id: int) -> dict[str, Any]:
    with database.transaction() as session:
        return businesses.get(session, business_id).document


def test_the_checker_judges_the_measured_length_not_the_words(
    database: Database, demo_text: str, tmp_path: Path, long_welcome: bytes, short_welcome: bytes
) -> None:
    business_id = apply_text(database, demo_text, NOW).stored.id
    media = MediaStore(LocalObjects(tmp_path / "media"))
    with pytest.raises(DocumentError) as refused:
        upload_greeting(database, media, business_id, long_welcome, "lang.wav", NOW, make_welcome=True)
    assert any(WHY_EN in problem for problem in refused.value.problems)
    uploaded = upload_greeting(database, media, business_id, short_welcome, "kort.wav", NOW, make_welcome=True)
    assert uploaded.welcome is not None and uploaded.welcome.stored.revision == 2
    with database.transaction() as session:
        stored: dict[str, Any] = businesses.get(session, business_id).document
        assert [item.file_name for item in library.greetings(session, business_id)] == ["kort.wav"]
    assert stored["greeting"] == {"file": "kort.wav", "media": uploaded.greeting.media_id}
