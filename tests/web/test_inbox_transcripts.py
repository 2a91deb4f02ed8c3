"""The inbox page with voicemail in words (issue 22): the first line in the list, all of it on the message's page
marked as a computer's writing, urgent ones first, and a search box that finds messages by a word of them, in
Dutch and German. The words come from an OpenAI-compatible stand-in on 127.0.0.1."""

import html
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ivr.settings import Settings
from tests.audio.telephone_signals import spoken_mp3
from tests.fakes.smtp import MailServer
from tests.fakes.transcription_api import FakeTranscriptionApi
from tests.fakes.twilio_api import FakeTwilio
from tests.web.inbox_setup import Inbox, inbox_server, log_in

pytest_plugins = ["tests.fakes.twilio_api", "tests.fakes.smtp", "tests.fakes.transcription_api"]

HEATING = "Goedemiddag, met Piet Bakker. Mijn verwarming doet het niet meer. Wilt u mij terugbellen?"
LEAK = "Er is een lekkage in de keuken, het water staat op de vloer."
GERMAN = "Guten Tag, hier spricht Anna Weber. Bitte rufen Sie mich zurück."


@pytest.fixture
def inbox(
    settings: Settings,
    demo_text: str,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
    transcription_api: FakeTranscriptionApi,
    tmp_path: Path,
) -> Iterator[Inbox]:
    transcribing = settings.model_copy(update={"transcribe_url": transcription_api.base_url})
    with inbox_server(transcribing, demo_text, mail_server, twilio_api, tmp_path) as served:
        yield served


def left(inbox: Inbox, api: FakeTranscriptionApi, said: str, language: str = "dutch") -> str:
    api.text, api.language = said, language
    sid = inbox.leave_message(audio=spoken_mp3("Hello, please call me back about the heating."))
    inbox.clock.advance(5)
    inbox.run_worker()
    return sid


def test_the_list_shows_each_first_line_urgent_first_and_the_page_all_words_marked_as_a_computers(
    inbox: Inbox, transcription_api: FakeTranscriptionApi
) -> None:
    heating = left(inbox, transcription_api, HEATING)
    leak = left(inbox, transcription_api, LEAK)
    german = left(inbox, transcription_api, GERMAN, "german")
    with httpx.Client(base_url=inbox.url, timeout=30) as staff:
        log_in(staff)
        listing = html.unescape(staff.get("/admin/messages").text)
        page = html.unescape(staff.get(f"/admin/messages/{german}").text)
        found = html.unescape(staff.get("/admin/messages", params={"q": "VERWARMING"}).text)
        none = html.unescape(staff.get("/admin/messages", params={"q": "dakgoot"}).text)
    assert '<input type="search" id="message-search" name="q" value=""' in listing
    # The urgent one (lekkage) first, then newest first; each with its first sentence only.
    assert listing.index(leak) < listing.index(german) < listing.index(heating)
    assert "“Goedemiddag, met Piet Bakker.”" in listing and "verwarming" not in listing
    assert listing.count('<span class="badge urgent">Spoed</span>') == 1
    assert "Uitgeschreven door een computer; er kunnen fouten in staan. De beller sprak Duits." in page
    assert f'<blockquote class="transcript" translate="no" style="white-space: pre-line">{GERMAN}</blockquote>' in page
    assert heating in found and leak not in found and german not in found
    assert 'value="VERWARMING"' in found
    assert "Geen bericht bevat deze woorden." in none and heating not in none


def test_a_message_page_in_german_says_the_words_are_a_computers(
    inbox: Inbox, transcription_api: FakeTranscriptionApi
) -> None:
    sid = left(inbox, transcription_api, HEATING)
    with httpx.Client(base_url=inbox.url, timeout=30) as staff:
        log_in(staff)
        staff.get("/admin/language/de")
        page = html.unescape(staff.get(f"/admin/messages/{sid}").text)
    assert "Von einem Computer aufgeschrieben; es können Fehler darin sein." in page
