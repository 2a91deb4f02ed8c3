"""The answering service's console over real HTTP (issue 26): a call put through pops up as a Server-Sent Event
naming it, replayed after the last event id a browser says; the popped card shows the caller, their choice and their
day, the instructions and the urgent contact; a note tied to the call reaches the business's mailbox (aiosmtpd) like
a card's note. A business the login does not serve is a 404, and so is a note for another business's call."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from ivr.calendar.away import CalendarEvent
from ivr.roles import ANSWERING
from ivr.settings import Settings
from ivr.store import calendars, cards, console_events, keys, staff
from ivr.store.console_events import PutThrough, add
from ivr.usecases.documents import apply_text
from tests.fakes.smtp import MailServer
from tests.fakes.twilio_api import FakeTwilio
from tests.web.card_setup import CARD_DOCUMENT, NOW, PASSWORD, CardServer, card_server
from tests.web.test_admin import csrf

pytest_plugins = ["tests.fakes.twilio_api", "tests.fakes.smtp"]

SERVICE_LOGIN = "telefoniste@bureau.example"


@pytest.fixture
def served(
    settings: Settings, mail_server: MailServer, twilio_api: FakeTwilio, tmp_path: Path, demo_text: str
) -> Iterator[tuple[CardServer, int]]:
    """The plumber (served by the answering login) and a practice the login does not serve."""
    with card_server(settings, mail_server, twilio_api, tmp_path) as server:
        other = apply_text(server.database, demo_text, NOW).stored.id
        with server.database.transaction() as session:
            staff.set_login(
                session, business_id=server.business_id, email=SERVICE_LOGIN, password=PASSWORD, now=NOW, role=ANSWERING
            )
        yield server, other


@pytest.fixture
def console(served: tuple[CardServer, int]) -> Iterator[httpx.Client]:
    server, _other = served
    with httpx.Client(base_url=server.url, timeout=10) as http:
        token = csrf(http.get("/admin/login").text)
        answer = http.post("/admin/login", data={"email": SERVICE_LOGIN, "password": PASSWORD, "csrf": token})
        assert answer.status_code == 303
        yield http


def _events(http: httpx.Client, count: int, **options: str) -> list[dict[str, str]]:
    """The first `count` events of the console's stream, each as its fields (id, event, data)."""
    headers = {"Last-Event-ID": options["last"]} if "last" in options else {}
    found: list[dict[str, str]] = []
    with http.stream("GET", f"/console/events?after={options.get('after', '')}", headers=headers) as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/event-stream")
        fields: dict[str, str] = {}
        for line in answer.iter_lines():
            if not line:
                if "id" in fields:
                    found.append(fields)
                    if len(found) == count:
                        return found
                fields = {}
                continue
            name, _, value = line.partition(": ")
            fields[name] = value
    return found


def test_an_answering_login_lands_on_its_console_listing_the_businesses_it_serves(
    served: tuple[CardServer, int], console: httpx.Client
) -> None:
    server, other = served
    landing = console.get("/admin", follow_redirects=False)
    assert (landing.status_code, landing.headers["location"]) == (303, "/console")
    page = console.get("/console")
    assert page.status_code == 200 and '<html lang="nl">' in page.text
    assert f'data-business="{server.business_id}"' in page.text and f'data-business="{other}"' not in page.text
    assert "Wachten op een oproep" in page.text
    assert console.get(f"/console/cards/{other}").status_code == 404


def test_a_call_put_through_is_an_event_replayed_after_the_last_id_the_browser_saw(
    served: tuple[CardServer, int], console: httpx.Client
) -> None:
    server, other = served
    after = console.get("/console").text.split("/console/events?after=", 1)[1].split('"', 1)[0]
    server.call_to_service("+31611112222", "1")
    server.clock.advance(60)
    server.call_to_service("+31633334444", None)
    with server.database.transaction() as session:  # another business's call: never on this login's console
        add(session, PutThrough(other, "CA" + "0" * 32, "+31699990000", "direct", "", NOW))
    first, second = _events(console, 2, after=after)
    assert first["event"] == second["event"] == "call"
    assert json.loads(first["data"])["business"] == server.business_id
    assert int(second["id"]) > int(first["id"]) > int(after)
    # A reconnecting browser says the last event it had, and is sent only what came after it.
    (again,) = _events(console, 1, after=after, last=first["id"])
    assert again == second


def test_the_popped_card_shows_the_caller_their_choice_and_day_with_the_instructions(
    served: tuple[CardServer, int], console: httpx.Client
) -> None:
    server, _other = served
    server.call_to_service("+31611112222", "2")
    server.clock.advance(300)
    server.call_to_service("+31611112222", "1")
    (event,) = _events(console, 1, after="1")
    call = json.loads(event["data"])["call"]
    card = console.get(f"/console/cards/{server.business_id}?call={call}")
    assert card.status_code == 200 and card.headers["cache-control"] == "no-store"
    text = card.text
    assert 'translate="no">Installatiebedrijf Jansen</h2>' in text
    assert "06 11 11 22 22" in text and 'gekozen: <span translate="no">spoed</span>' in text
    assert "Afspraken alleen op dinsdag." in text and "Monteur Piet, 06 1111 2222." in text
    earlier = text.split('<ol class="calls earlier">', 1)[1].split("</ol>", 1)[0]
    assert "24-11-2026, 10:15" in earlier  # the first call, five minutes before
    assert f'name="call" value="{call}"' in text


def test_a_note_for_the_call_reaches_the_mailbox_and_a_note_for_another_business_call_is_refused(
    served: tuple[CardServer, int], console: httpx.Client, mail_server: MailServer
) -> None:
    server, other = served
    server.call_to_service("+31611112222", "1")
    (event,) = _events(console, 1, after="0")
    call = json.loads(event["data"])["call"]
    card = console.get(f"/console/cards/{server.business_id}?call={call}").text
    note = {
        "csrf": csrf(card),
        "call": call,
        "caller_name": "Mevrouw De Vries",
        "caller_number": "06 1111 2222",
        "message": "Lekkage in de keuken.",
    }
    with server.database.transaction() as session:
        add(session, PutThrough(other, "CA" + "f" * 32, "+31699990000", "direct", "", NOW))
    # Another business's call, through this business's card; this business's call, through another's card.
    assert (
        console.post(f"/console/cards/{server.business_id}", data={**note, "call": "CA" + "f" * 32}).status_code == 404
    )
    assert console.post(f"/console/cards/{other}", data=note).status_code == 404
    sent = console.post(f"/console/cards/{server.business_id}", data=note)
    assert sent.status_code == 200 and "de notitie is onderweg" in sent.text
    with server.database.transaction() as session:
        (stored,) = cards.notes(session, server.business_id)
    assert (stored.call_sid, stored.caller_number, stored.urgent) == (call, "+31611112222", False)
    assert server.run_worker() == 1
    mail = mail_server.inbox.wait_for(1)[0]
    assert mail["To"] == "kantoor@jansen.example" and "Lekkage in de keuken." in mail.get_content()


def test_the_console_speaks_the_language_chosen(served: tuple[CardServer, int], console: httpx.Client) -> None:
    server, _other = served
    console.get("/admin/language/de")
    page = console.get("/console").text
    assert '<html lang="de">' in page and "Warten auf einen Anruf" in page
    server.call_to_service("+31611112222", None)
    (event,) = _events(console, 1, after="0")
    card = console.get(f"/console/cards/{server.business_id}?call={json.loads(event['data'])['call']}").text
    # The card's own sections and the console's words, in the service's language; the business's texts as written.
    assert "Anweisungen für heute" in card and "Gesprächsnotiz senden" in card and "Am Apparat:" in card
    assert "Afspraken alleen op dinsdag." in card


def test_a_preview_of_what_callers_hear_pops_up_nothing(served: tuple[CardServer, int], console: httpx.Client) -> None:
    """The admin page's and the API's preview runs the simulator through the app, whisper included: not a call."""
    server, _other = served
    with server.database.transaction() as session:
        _key, secret = keys.create(session, business_id=server.business_id, label="preview", now=NOW)
    heard = console.get(
        f"/api/v1/businesses/{server.business_id}/hears?at=2026-11-24T22:00",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert heard.status_code == 200 and "whisper" in [event["kind"] for event in heard.json()["events"]]
    with server.database.reading() as connection:
        assert console_events.after(connection, 0, [server.business_id]) == []


def test_a_note_larger_than_a_card_takes_is_refused_before_it_is_read(
    served: tuple[CardServer, int], console: httpx.Client
) -> None:
    server, _other = served
    refused = console.post(f"/console/cards/{server.business_id}", data={"message": "x" * 20_000})
    assert refused.status_code == 413


def test_the_popped_card_says_who_is_away_by_the_calendar(
    served: tuple[CardServer, int], console: httpx.Client
) -> None:
    """The console shows the card's own calendar section (one builder for both): the owner away until 15:00."""
    server, _other = served
    url = "https://calendar.example/ical/private-abc/basic.ics"
    apply_text(server.database, CARD_DOCUMENT + f'calendar: {{ics: "{url}"}}\n', NOW)
    away = CalendarEvent(datetime(2026, 11, 24, 8, tzinfo=UTC), datetime(2026, 11, 24, 14, tzinfo=UTC), "Cursus", True)
    with server.database.transaction() as session:
        calendars.store_good(session, server.business_id, url, (away,), False, NOW)
    after = console.get("/console").text.split("/console/events?after=", 1)[1].split('"', 1)[0]
    server.call_to_service("+31611112222", "1")
    (event,) = _events(console, 1, after=after)
    call = json.loads(event["data"])["call"]
    text = console.get(f"/console/cards/{server.business_id}?call={call}").text
    assert "Afwezig tot 15:00" in text and "09:00\u201315:00 Cursus (afwezig)" in text
