"""/admin/privacy over real HTTP: a logged-in practice downloads one caller's data as a ZIP and erases it; a number
with nothing stored, or no number at all, is refused in the page's language with nothing changed."""

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from audio.objects import LocalObjects
from ivr.messages.voicemail_copies import VoicemailAudio
from ivr.settings import Settings
from ivr.store import staff
from ivr.store.access_tables import AuditEventRow
from ivr.store.database import Database
from ivr.store.tables import CallRow, RecordingRow
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.fakes.twilio_api import FakeTwilio
from tests.local_server import running_server
from tests.privacy.stored import leave
from tests.web.test_admin import EMAIL, PASSWORD, PUBLIC_URL, log_in

pytest_plugins = ["tests.fakes.twilio_api"]

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
PATIENT = "+31611112222"


@pytest.fixture
def stored(settings: Settings, demo_text: str, tmp_path: Path, twilio_api: FakeTwilio) -> Iterator[Database]:
    database = Database(settings.database_url)
    business = apply_text(database, demo_text, NOW).stored
    with database.transaction() as session:
        staff.set_login(session, business_id=business.id, email=EMAIL, password=PASSWORD, now=NOW)
    audio = VoicemailAudio(LocalObjects(tmp_path / "voicemail", private=True))
    leave(database, audio, twilio_api, business.id, PATIENT, NOW - timedelta(days=1))
    leave(database, audio, twilio_api, business.id, "+31633334444", NOW - timedelta(days=1))
    yield database
    database.dispose()


@pytest.fixture
def admin(settings: Settings, stored: Database, tmp_path: Path) -> Iterator[httpx.Client]:
    update = {"public_url": PUBLIC_URL, "tts_engines": ("espeak",), "voicemail_dir": tmp_path / "voicemail"}
    app = create_app(settings.model_copy(update=update), clock=lambda: NOW)
    with running_server(app) as url, httpx.Client(base_url=url, timeout=30) as http:
        yield http


def test_the_page_needs_a_login_and_shows_the_retention(admin: httpx.Client) -> None:
    assert admin.get("/admin/privacy").status_code == 303
    log_in(admin)
    shown = admin.get("/admin/privacy").text
    assert "Hoe lang we het bewaren" in shown and "90 dagen" in shown and "400 dagen" in shown


def test_export_then_erase_a_caller_from_the_page(admin: httpx.Client, stored: Database, tmp_path: Path) -> None:
    token = log_in(admin)
    exported = admin.post("/admin/privacy/export", data={"csrf": token, "caller": "06 1111 2222"})
    assert exported.status_code == 200 and exported.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(exported.content))
    assert json.loads(archive.read("caller.json"))["caller"] == PATIENT
    assert len([name for name in archive.namelist() if name.endswith(".mp3")]) == 1

    erased = admin.post("/admin/privacy/erase", data={"csrf": token, "caller": PATIENT})
    assert erased.status_code == 200
    assert f"Alles over {PATIENT} is gewist: 1 gesprekken, 1 berichten, 1 gespreksnotities." in erased.text
    with stored.transaction() as session:
        assert list(session.scalars(select(CallRow.from_number))) == ["+31633334444"]
        assert len(list(session.scalars(select(RecordingRow.recording_sid)))) == 1
        trail = list(session.execute(select(AuditEventRow.action, AuditEventRow.actor, AuditEventRow.address)))
    assert [(action, actor) for action, actor, _ in trail] == [
        ("login", EMAIL),  # the trail records the login too (ivr.web.admin.session)
        ("caller_exported", EMAIL),
        ("caller_erased", EMAIL),
    ]
    assert all(address == "127.0.0.1" for _, _, address in trail)
    assert len(list((tmp_path / "voicemail").iterdir())) == 1


@pytest.mark.parametrize("act", ["export", "erase"])
@pytest.mark.parametrize(
    ("caller", "said"),
    [
        ("+31687650000", "Over +31687650000 is niets bewaard: geen gesprekken, berichten of notities."),
        ("12", "is geen telefoonnummer"),
    ],
)
def test_a_number_with_nothing_stored_or_no_number_is_refused_in_dutch(
    admin: httpx.Client, stored: Database, caller: str, said: str, act: str
) -> None:
    token = log_in(admin)
    refused = admin.post(f"/admin/privacy/{act}", data={"csrf": token, "caller": caller})
    assert refused.status_code == 422 and said in refused.text
    with stored.transaction() as session:
        assert len(list(session.scalars(select(CallRow.call_sid)))) == 2
        assert list(session.scalars(select(AuditEventRow.action))) == ["login"]  # no export or erasure in the trail
