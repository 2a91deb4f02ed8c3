"""Every form of every admin page, submitted as the browser sends it unchanged, leaves the stored document as it
was and adds no version to its history: a form changes only what it shows (issue 19). The documents use every key
the document model knows, so a form that writes back only what it displayed loses something here."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from ivr.callflow.model import Voicemail
from ivr.messages.call_notes import NoteInput, take_note
from ivr.messages.intake import take_in
from ivr.messages.outbox import LeftMessage
from ivr.settings import Settings
from ivr.store import businesses, history, keys, staff
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.usecases.editing import change_parts
from ivr.web.app import create_app
from tests.audio.signals import speech_wav
from tests.every_key import EVERY_KEY, OTHER_SHAPES
from tests.local_server import running_server
from tests.web.browser_forms import Form, forms_of, links_of
from tests.web.test_admin import SAVE_WAITS_FOR_SPEECH_S

# Tuesday 24 November 2026, 10:00 in Amsterdam: inside the first period below, so its instructions are in force.
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
EMAIL, PASSWORD = "assistent@delinde.nl", "een-lang-wachtwoord"
PUBLIC_URL = "http://greetline.test"

# Forms whose whole act is a change, so "unchanged" does not apply: they are submitted by their own tests.
CHANGES_BY_DESIGN = {
    r"/admin/logout": "ends the session",
    r"/admin/settings/periods/\d+/delete": "removes a period",
    r"/admin/history/\d+/restore": "brings an older version back",
    r"/admin/history/\d+/undo": "undoes one change",
    r"/admin/greetings/\d+/active": "puts another recording in use",
    r"/admin/greetings/\d+/delete": "deletes a recording",
    r"/admin/greetings/\d+/use": "makes a recording another message",
    r"/admin/staff/\d+/remove": "removes a login",
    r"/admin/keys": "makes an API key",
    r"/admin/keys/\d+/revoke": "revokes an API key",
}
# The forms that change the document: each must be found on the pages, or the walk missed it.
DOCUMENT_FORMS = {
    "/admin/settings/rings",
    "/admin/settings/phones",
    "/admin/settings/hours",
    "/admin/settings/periods",
    "/admin/settings/holidays",
    "/admin/settings/after-calls",
    "/admin/texts/info",
    "/admin/texts/menu",
    "/admin/texts/closed",
    "/admin/greetings/text",
    "/admin/greetings/upload",
    "/admin/answering/instructions",
    "/admin/answering/notes",
}
# A period's own form, changing it in place, for a document with periods.
PERIOD_FORM = "/admin/settings/periods/0"


@dataclass
class Admin:
    http: httpx.Client
    database: Database
    business_id: int

    def stored(self) -> tuple[dict[str, Any], int]:
        """The document and how many versions the history holds. (Not the revision: speaking a text for the first
        time makes every server reload the business without changing its document, ivr.usecases.rendering.)"""
        with self.database.transaction() as session:
            found = businesses.get(session, self.business_id)
            return found.document, len(history.versions(session, self.business_id, limit=1000))


def _seed(database: Database, business_id: int) -> None:
    """A second login, a message, a call note and an API key: so the staff, messages and keys pages show their forms
    too."""
    with database.transaction() as session:
        staff.set_login(session, business_id=business_id, email=EMAIL, password=PASSWORD, now=NOW)
        staff.set_login(session, business_id=business_id, email="tweede@delinde.nl", password=PASSWORD, now=NOW)
    message = LeftMessage("RE" + "1" * 32, "CA" + "1" * 32, business_id, "overflow", "https://api.twilio.test/r", 12)
    take_in(database, message, Voicemail(("praktijk@example.nl",)), "greetline.test", NOW)
    take_note(database, business_id, NoteInput("Jan", "+31611112222", "Belt terug", False), NOW, "greetline.test")
    with database.transaction() as session:  # so the keys page shows its revoke form
        keys.create(session, business_id=business_id, label="afsprakensysteem", now=NOW)


def _served(settings: Settings, document: str, recordings: int, tmp_path: Path) -> Iterator[Admin]:
    database = Database(settings.database_url)
    business_id = apply_text(database, document, NOW).stored.id
    _seed(database, business_id)
    local_speech = {"public_url": PUBLIC_URL, "tts_engines": ("espeak",), "speaking_grace_s": SAVE_WAITS_FOR_SPEECH_S}
    app = create_app(settings.model_copy(update=local_speech), clock=lambda: NOW)
    with running_server(app) as url, httpx.Client(base_url=url, timeout=SAVE_WAITS_FOR_SPEECH_S) as http:
        page = http.get("/admin/login").text
        token = _csrf(page)
        answer = http.post("/admin/login", data={"email": EMAIL, "password": PASSWORD, "csrf": token})
        assert answer.status_code == 303
        token = _csrf(http.get("/admin").text)  # a new one after logging in
        for index in range(recordings):  # the last one becomes the welcome; the others wait in the library
            spoken = speech_wav(tmp_path / f"welkom-{index}.wav", f"Welkom bij de praktijk, opname {index}.")
            upload = {"recording": (spoken.name, spoken.read_bytes(), "audio/wav")}
            answer = http.post("/admin/greetings/upload", data={"csrf": token}, files=upload)
            assert answer.status_code == 200, answer.text
        if recordings:
            # With the text spoken when the recording cannot be played; and recorded messages beside typed ones.
            with database.transaction() as session:
                media = businesses.get(session, business_id).document["greeting"]["media"]
            recorded = {
                "greeting.text": "Goedemiddag, u spreekt met Huisartsenpraktijk De Linde.",
                "info.text": None,  # a recording alone
                "info.file": "informatie.wav",
                "info.media": media,
                "closed.greeting.file": "gesloten.wav",
                "closed.greeting.media": media,
            }
            change_parts(database, business_id, recorded, NOW)
        yield Admin(http, database, business_id)
    database.dispose()


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


@pytest.fixture(params=["every key", "other shapes", "recorded welcome"])
def admin(request: pytest.FixtureRequest, settings: Settings, tmp_path: Path) -> Iterator[Admin]:
    document, recordings = {
        "every key": (EVERY_KEY, 0),
        "other shapes": (OTHER_SHAPES, 0),
        "recorded welcome": (EVERY_KEY, 2),
    }[request.param]
    yield from _served(settings, document, recordings, tmp_path)


def _pages(http: httpx.Client) -> list[str]:
    """Every admin page a logged-in visitor can reach by following links (not the language switches)."""
    found, queue = [], ["/admin"]
    while queue:
        path = queue.pop(0)
        if path in found:
            continue
        found.append(path)
        answer = http.get(path)
        assert answer.status_code == 200, path
        for link in links_of(answer.text):
            target = urlsplit(link)
            if target.netloc or not target.path.startswith("/admin") or "/language/" in target.path:
                continue
            if target.path.endswith(".mp3") or target.path == "/admin/login":
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return found


def _changes_by_design(form: Form) -> bool:
    return any(re.fullmatch(pattern, form.action) for pattern in CHANGES_BY_DESIGN)


def _submit(http: httpx.Client, form: Form) -> httpx.Response:
    fields: dict[str, list[str]] = {}
    for name, value in form.submitted("save"):
        fields.setdefault(name, []).append(value)
    if form.method == "get":
        return http.get(form.action, params=fields)
    if form.multipart:
        files = [(name, ("", b"", "application/octet-stream")) for name in form.files]
        return http.post(form.action, data=fields, files=files)
    return http.post(form.action, data=fields)


def test_every_form_saved_unchanged_changes_nothing(admin: Admin) -> None:
    walked: set[str] = set()
    for path in _pages(admin.http):
        for action in [form.action for form in forms_of(admin.http.get(path).text)]:
            # The form as the page shows it now: an earlier form's answer may have changed it (a message handled
            # leaves the list, and its form with it).
            form = next((form for form in forms_of(admin.http.get(path).text) if form.action == action), None)
            if form is None or _changes_by_design(form):
                continue
            before = admin.stored()
            answer = _submit(admin.http, form)
            assert answer.status_code < 500, (form.action, answer.text)
            after = admin.stored()
            assert after[0] == before[0], f"{form.action} on {path} changed the document"
            assert after[1] == before[1], f"{form.action} on {path} added a version to the history"
            walked.add(form.action)
    expected = DOCUMENT_FORMS | ({PERIOD_FORM} if admin.stored()[0].get("periods") else set())
    assert walked >= expected, f"not found on the pages: {sorted(expected - walked)}"


def test_a_document_applied_again_unchanged_adds_no_version(settings: Settings) -> None:
    # `greetline apply` of the same file (a deployment run twice, a folder applied nightly) is not a change: the
    # history would fill with versions nobody made and every replica would reload for nothing.
    database = Database(settings.database_url)
    try:
        first = apply_text(database, EVERY_KEY, NOW).stored
        again = apply_text(database, EVERY_KEY, NOW).stored
        with database.transaction() as session:
            kept = len(history.versions(session, first.id, limit=1000))
    finally:
        database.dispose()
    assert (again.id, again.revision, kept) == (first.id, first.revision, 1)
