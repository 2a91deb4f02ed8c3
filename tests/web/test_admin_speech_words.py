"""Why a saved text is not spoken by a computer voice, or by another one than the first, said on the page in its
own language by code: which text, which voice failed and why (issue 19: problems as data). Google is reached
through a proxy that refuses every connection, so it is unreachable at once; espeak-ng speaks on this machine."""

import html
import re
import socket
from collections.abc import Iterator

import httpx
import pytest

from ivr.settings import Settings
from ivr.store import staff
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.local_server import running_server
from tests.web.test_admin import EMAIL, PASSWORD, PUBLIC_URL, TUESDAY_10, log_in

# What our code says in English about speech; none of it may reach a Dutch page.
ENGLISH = ["callers hear <Say>", "Google gave no audio", "no speech engine", "could not speak", "Listen to it once"]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # nothing listens on it once closed: a proxy that refuses at once


def _admin(settings: Settings, demo_text: str, engines: tuple[str, ...]) -> Iterator[httpx.Client]:
    database = Database(settings.database_url)
    business = apply_text(database, demo_text, TUESDAY_10).stored
    with database.transaction() as session:
        staff.set_login(session, business_id=business.id, email=EMAIL, password=PASSWORD, now=TUESDAY_10)
    database.dispose()
    speech = {"public_url": PUBLIC_URL, "tts_engines": engines, "tts_proxy_url": f"http://127.0.0.1:{_closed_port()}"}
    app = create_app(settings.model_copy(update=speech), clock=lambda: TUESDAY_10)
    with running_server(app) as url, httpx.Client(base_url=url, timeout=60) as http:
        yield http


@pytest.fixture
def google_then_espeak(settings: Settings, demo_text: str) -> Iterator[httpx.Client]:
    yield from _admin(settings, demo_text, ("gtts", "espeak"))


@pytest.fixture
def google_only(settings: Settings, demo_text: str) -> Iterator[httpx.Client]:
    yield from _admin(settings, demo_text, ("gtts",))


def _notes(page: str) -> list[str]:
    found = re.search(r'<div class="note" role="status">(.*?)</div>', page, re.S)
    assert found is not None, "no notes on the page"
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]


def _no_english(page: str) -> None:
    shown = html.unescape(page)
    assert [sentence for sentence in ENGLISH if sentence in shown] == []


def test_a_text_spoken_by_the_offline_voice_says_google_was_unreachable_in_dutch(
    google_then_espeak: httpx.Client,
) -> None:
    token = log_in(google_then_espeak)
    welcome = "Welkom bij Huisartsenpraktijk De Linde."
    page = google_then_espeak.post("/admin/greetings/text", data={"csrf": token, "text": welcome})
    assert page.status_code == 200
    # Google is dropped after its first failure, so only the first text spoken says so.
    (note,) = [note for note in _notes(page.text) if "Google" in note]
    assert note == (
        f"“{welcome}”: Google kon de tekst niet uitspreken (de server van de computerstem was niet bereikbaar), "
        "dus spreekt espeak-ng hem uit."
    )
    _no_english(page.text)


def test_a_text_no_voice_can_speak_says_which_and_why_in_dutch(google_only: httpx.Client) -> None:
    token = log_in(google_only)
    text = "Wij zijn deze week op vrijdag gesloten."
    page = google_only.post("/admin/texts/info", data={"csrf": token, "info_text": text, "info_on": "on"})
    assert page.status_code == 200
    notes = _notes(page.text)
    waiting = (
        "Geen computerstem kan dit nu uitspreken; tot dat weer lukt, horen bellers de eigen stem van de telefoondienst."
    )
    # The first text tried says why each voice failed, and what callers hear meanwhile.
    assert notes[0] == (
        "“Goedemorgen, u spreekt met Huisartsenpraktijk De Linde.”: "
        f"De server van de computerstem was niet bereikbaar. {waiting}"
    )
    # The texts after it are not tried again: one line names them.
    assert len(notes) == 2
    assert notes[1].startswith("Om dezelfde reden nog niet uitgesproken: “") and f"“{text}”" in notes[1]
    _no_english(page.text)
