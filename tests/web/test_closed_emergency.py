"""After hours through the real HTTP app: the emergency key puts the caller through to the number on call, and a
number nobody answers falls back to the part's voicemail box (Twilio's <Dial> action with DialCallStatus)."""

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI

from ivr.settings import Settings
from ivr.store import calls
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from ivr.web.services import Services
from tests.twilio_client import TwilioLikeClient, twilio_client

# Tuesday 24 November 2026, 22:00 in Germany: closed.
TUESDAY_22_LOCAL = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
# Christmas Eve 2026, 10:00: the period's first day.
IN_THE_PERIOD = datetime(2026, 12, 24, 9, 0, tzinfo=UTC)

PLUMBER = """\
business: Sanitär Schulte
numbers: ["+4921112345678"]
language: de
country: DE
timezone: Europe/Berlin
greeting: {text: "{salutation}, Sie sind verbunden mit Sanitär Schulte."}
operators: ["+4921199999999"]
hours: {mon-fri: "08:00-17:00"}
overflow: {voicemail: {email: [buero@schulte.example]}}
closed:
  greeting: {text: "Sanitär Schulte, wir sind gerade nicht erreichbar."}
  emergency: {prompt: "Bei einem Rohrbruch drücken Sie die 1.", dial: "+491701234567"}
  voicemail: {email: [notdienst@schulte.example]}
periods:
  - from: 2026-12-24
    to: 2026-12-26
    greeting: {text: "Sanitär Schulte: Betriebsferien."}
    dial: "+491709876543"
    voicemail: {email: [ferien@schulte.example]}
"""
CALLED = {"To": "+4921112345678"}


def twiml(body: str) -> ElementTree.Element:
    root = ElementTree.fromstring(body)
    assert root.tag == "Response"
    return root


def _client(settings: Settings, at: datetime) -> Iterator[tuple[TwilioLikeClient, FastAPI]]:
    database = Database(settings.database_url)
    apply_text(database, PLUMBER, at)
    database.dispose()
    app = create_app(settings, clock=lambda: at)
    with twilio_client(app) as client:
        yield client, app


@pytest.fixture
def closed_line(settings: Settings) -> Iterator[tuple[TwilioLikeClient, FastAPI]]:
    yield from _client(settings, TUESDAY_22_LOCAL)


@pytest.fixture
def period_line(settings: Settings) -> Iterator[tuple[TwilioLikeClient, FastAPI]]:
    yield from _client(settings, IN_THE_PERIOD)


def logged_path(app: FastAPI, call_sid: str) -> list[str]:
    services: Services = app.state.services
    services.call_log.flush()
    with services.database.transaction() as session:
        logged = calls.get(session, call_sid)
    assert logged is not None
    return list(logged.path)


def test_closed_greeting_and_emergency_prompt_play_inside_a_gather_then_the_message_box(
    closed_line: tuple[TwilioLikeClient, FastAPI],
) -> None:
    client, _app = closed_line
    root = twiml(client.post("/twilio/voice", CALLED).text)
    assert [child.tag for child in root] == ["Gather", "Say", "Record", "Say", "Hangup"]
    gather = root[0]
    assert gather.get("action") == "https://greetline.test/twilio/emergency?via=hours"
    assert [said.text for said in gather] == [
        "Sanitär Schulte, wir sind gerade nicht erreichbar.",
        "Bei einem Rohrbruch drücken Sie die 1.",
    ]
    record = root.find("Record")
    assert record is not None and "box=closed" in (record.get("action") or "")


def test_the_emergency_key_dials_the_number_on_call(closed_line: tuple[TwilioLikeClient, FastAPI]) -> None:
    client, app = closed_line
    client.post("/twilio/voice", CALLED)
    root = twiml(client.post("/twilio/emergency?via=hours", {**CALLED, "Digits": "1"}).text)
    assert [child.tag for child in root] == ["Dial"]
    dial = root[0]
    assert [number.text for number in dial] == ["+491701234567"]
    assert dial.get("action") == "https://greetline.test/twilio/dial-ended?stage=emergency"
    assert logged_path(app, "CA0123") == ["closed:hours", "emergency:1"]


def test_another_key_goes_on_to_the_message_box(closed_line: tuple[TwilioLikeClient, FastAPI]) -> None:
    client, _app = closed_line
    root = twiml(client.post("/twilio/emergency?via=hours", {**CALLED, "Digits": "5"}).text)
    assert [child.tag for child in root] == ["Say", "Record", "Say", "Hangup"]


@pytest.mark.parametrize("status", ["no-answer", "busy", "failed"])
def test_an_emergency_number_nobody_answers_takes_a_message_in_the_closed_box(
    closed_line: tuple[TwilioLikeClient, FastAPI], status: str
) -> None:
    client, app = closed_line
    client.post("/twilio/voice", CALLED)
    client.post("/twilio/emergency?via=hours", {**CALLED, "Digits": "1"})
    root = twiml(client.post("/twilio/dial-ended?stage=emergency", {**CALLED, "DialCallStatus": status}).text)
    assert [child.tag for child in root] == ["Say", "Record", "Say", "Hangup"]
    record = root[1]
    rings = "&rings=4" if status == "no-answer" else ""
    route = f"route=emergency%3A{status}%3Evoicemail%3Aclosed{rings}"
    assert record.get("action") == f"https://greetline.test/twilio/recorded?business=1&box=closed&{route}"
    assert logged_path(app, "CA0123")[-1] == f"emergency:{status}>voicemail:closed"


@pytest.mark.parametrize("status", ["no-answer", "busy", "failed"])
def test_a_period_number_nobody_answers_takes_a_message_in_the_period_box(
    period_line: tuple[TwilioLikeClient, FastAPI], status: str
) -> None:
    client, app = period_line
    first = twiml(client.post("/twilio/voice", CALLED).text)
    assert [child.tag for child in first] == ["Say", "Dial"]
    action = first[1].get("action")
    assert action == "https://greetline.test/twilio/dial-ended?stage=closed&period=2026-12-24"
    root = twiml(client.post(action.removeprefix("https://greetline.test"), {**CALLED, "DialCallStatus": status}).text)
    assert [child.tag for child in root] == ["Say", "Record", "Say", "Hangup"]
    rings = "&rings=4" if status == "no-answer" else ""
    route = f"route=closed%3A{status}%3Evoicemail%3Aperiod%3A2026-12-24{rings}"
    box = "https://greetline.test/twilio/recorded?business=1&box=period%3A2026-12-24"
    assert root[1].get("action") == f"{box}&{route}"
    assert logged_path(app, "CA0123") == ["period:2026-12-24", f"closed:{status}>voicemail:period:2026-12-24"]


def test_an_answered_closed_number_ends_the_call(period_line: tuple[TwilioLikeClient, FastAPI]) -> None:
    client, _app = period_line
    params = {**CALLED, "DialCallStatus": "completed"}
    root = twiml(client.post("/twilio/dial-ended?stage=closed&period=2026-12-24", params).text)
    assert [child.tag for child in root] == ["Hangup"]
