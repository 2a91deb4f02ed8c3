"""Twilio's webhooks through the real HTTP app (uvicorn on 127.0.0.1): signatures, TwiML, the call log."""

import sqlite3
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

TUESDAY_10_LOCAL = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture
def applied(settings: Settings, demo_text: str) -> None:
    database = Database(settings.database_url)
    apply_text(database, demo_text, TUESDAY_10_LOCAL)
    database.dispose()


@pytest.fixture
def app(settings: Settings, applied: None) -> FastAPI:
    return create_app(settings, clock=lambda: TUESDAY_10_LOCAL)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TwilioLikeClient]:
    with twilio_client(app) as client:
        yield client


def logged_call(app: FastAPI, call_sid: str) -> calls.LoggedCall | None:
    services: Services = app.state.services
    services.call_log.flush()  # the log is written beside the call; wait for what was handed over so far
    with services.database.transaction() as session:
        return calls.get(session, call_sid)


def twiml(body: str) -> ElementTree.Element:
    root = ElementTree.fromstring(body)
    assert root.tag == "Response"
    return root


def test_signed_call_gets_the_menu_then_operators_with_a_15_second_timeout(client: TwilioLikeClient) -> None:
    response = client.post("/twilio/voice")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    root = twiml(response.text)
    assert [child.tag for child in root] == ["Gather", "Dial"]
    dial = root.find("Dial")
    assert dial is not None and dial.get("timeout") == "15" and dial.get("ringTone") == "nl"
    assert [number.text for number in dial] == ["+31501111111", "+31502222222"]


def test_forged_signature_is_refused_with_403(client: TwilioLikeClient) -> None:
    response = client.post("/twilio/voice", signature="bm90IGEgc2lnbmF0dXJl")
    assert response.status_code == 403
    assert "GREETLINE_PUBLIC_URL" in response.json()["detail"]


def test_signature_over_other_parameters_is_refused(client: TwilioLikeClient) -> None:
    signature = client.validator.compute_signature("https://greetline.test/twilio/voice", {"To": "+31201234567"})
    assert client.post("/twilio/voice", signature=signature).status_code == 403


def test_missing_signature_is_refused(client: TwilioLikeClient) -> None:
    assert client.post("/twilio/voice", signature="").status_code == 403


def test_signature_covers_the_query_string(client: TwilioLikeClient) -> None:
    signature = client.validator.compute_signature(
        "https://greetline.test/twilio/menu?attempt=1",
        {"CallSid": "CA0123", "AccountSid": "AC0123", "From": "+31612345678", "To": "+31501234567", "Digits": "1"},
    )
    assert client.post("/twilio/menu?attempt=2", {"Digits": "1"}, signature=signature).status_code == 403
    assert client.post("/twilio/menu?attempt=1", {"Digits": "1"}, signature=signature).status_code == 200


def test_unknown_number_hears_a_polite_message_and_is_logged(client: TwilioLikeClient, app: FastAPI) -> None:
    response = client.post("/twilio/voice", {"To": "+31201234567", "CallSid": "CAunknown"})
    root = twiml(response.text)
    assert [child.tag for child in root] == ["Say", "Hangup"]
    assert root[0].get("language") == "nl-NL"
    logged = logged_call(app, "CAunknown")
    assert logged is not None and logged.outcome == "unknown number" and logged.business_id is None


def test_a_whole_call_is_logged_with_its_path_and_outcome(client: TwilioLikeClient, app: FastAPI) -> None:
    client.post("/twilio/voice")
    client.post("/twilio/menu?attempt=1", {"Digits": "1"})
    overflow = twiml(client.post("/twilio/dial-ended?key=1&stage=option", {"DialCallStatus": "no-answer"}).text)
    number = overflow.find("Dial/Number")
    assert number is not None and number.text == "+31208888888"
    # What the caller chose travels in the whisper's URL, which Twilio signs with its query.
    assert number.get("url") == "https://greetline.test/twilio/whisper?business=1&via=menu&key=1"
    leg = {"CallSid": "CAleg", "ParentCallSid": "CA0123", "To": "+31208888888"}
    whisper = twiml(client.post("/twilio/whisper?business=1&via=menu&key=1", leg).text)
    assert whisper[0].text == "Oproep voor Huisartsenpraktijk De Linde, gekozen: spoed."
    client.post("/twilio/dial-ended?stage=overflow", {"DialCallStatus": "completed"})
    client.post("/twilio/status", {"CallStatus": "completed", "CallDuration": "95"})
    logged = logged_call(app, "CA0123")
    assert logged is not None
    assert logged.path == [
        "welcome+menu",
        "menu:1",
        "option:no-answer>overflow:dial",
        "whisper:menu:1",
        "overflow:completed",
    ]
    assert (logged.outcome, logged.duration_s, logged.business_id) == ("overflow", 95, 1)


def test_database_gone_still_answers_200_and_dials_the_operators(settings: Settings, applied: None) -> None:
    with twilio_client(create_app(settings, clock=lambda: TUESDAY_10_LOCAL)) as client:
        assert client.post("/twilio/voice").status_code == 200  # the routing snapshot now holds the number
    # The database loses its tables (a botched restore, a wrong database) under a server that has not answered the
    # number yet: it asks the database, which fails.
    with sqlite3.connect(settings.database_url.removeprefix("sqlite:///")) as broken:
        broken.executescript("DROP TABLE business_numbers; DROP TABLE businesses;")
    with twilio_client(create_app(settings, clock=lambda: TUESDAY_10_LOCAL)) as client:
        response = client.post("/twilio/voice", {"CallSid": "CA-after-outage"})
        root = twiml(response.text)
        assert response.status_code == 200 and [child.tag for child in root] == ["Dial"]
        assert [number.text for number in root[0]] == ["+31501111111", "+31502222222"]
        # The dial's end is answered from the snapshot too, never the database: on to the answering service.
        action = root[0].get("action", "")
        assert action.endswith("/twilio/dial-ended?stage=fallback")
        ended = client.post(action.removeprefix(client.public_url), {"DialCallStatus": "no-answer"})
    assert [child.tag for child in twiml(ended.text)] == ["Dial", "Say", "Hangup"]
    assert [number.text for number in twiml(ended.text)[0]] == ["+31208888888"]
    assert twiml(ended.text)[0].get("action") is None  # no further webhook that could fail


def test_database_unreachable_from_the_start_gives_a_clear_message(settings: Settings) -> None:
    unreachable = settings.model_copy(update={"database_url": "postgresql+psycopg://nobody@127.0.0.1:9/none"})
    with twilio_client(create_app(unreachable)) as client:
        response = client.post("/twilio/voice")
    assert response.status_code == 200
    root = twiml(response.text)
    assert [child.tag for child in root] == ["Say", "Hangup"]
    assert root[0].get("language") == "nl-NL"  # +31: Dutch


def test_mid_call_failure_also_falls_back(settings: Settings, applied: None) -> None:
    with twilio_client(create_app(settings)) as client:
        client.post("/twilio/voice")
        response = client.post("/twilio/dial-ended?stage=nonsense", {"DialCallStatus": "no-answer"})
    assert response.status_code == 200
    root = twiml(response.text)
    # The staff, then the overflow from the snapshot through the fallback's own stage (ivr.callflow.last_resort).
    assert [child.tag for child in root] == ["Dial"] and root[0].get("action", "").endswith("?stage=fallback")


def test_server_refuses_to_start_without_a_token(settings: Settings) -> None:
    from ivr.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="--insecure-dev-mode"):
        create_app(settings.model_copy(update={"twilio_auth_token": None}))


@pytest.fixture
def confirming(settings: Settings, demo_text: str) -> Iterator[TwilioLikeClient]:
    database = Database(settings.database_url)
    # Three rings: the question adds seconds before the emergency caller reaches a human.
    apply_text(database, demo_text.replace("rings: 4", "rings: 3") + "confirm: true\n", TUESDAY_10_LOCAL)
    database.dispose()
    with twilio_client(create_app(settings, clock=lambda: TUESDAY_10_LOCAL)) as client:
        yield client


def test_with_confirm_calls_each_staff_phone_presses_1_or_its_leg_hangs_up(confirming: TwilioLikeClient) -> None:
    operators = twiml(confirming.post("/twilio/voice").text).findall("Dial/Number")
    assert [number.get("url") for number in operators] == ["https://greetline.test/twilio/confirm?business=1"] * 2
    leg = {"CallSid": "CAleg", "ParentCallSid": "CA0123", "To": "+31501111111"}
    question = twiml(confirming.post("/twilio/confirm?business=1", leg).text)
    assert [child.tag for child in question] == ["Gather", "Hangup"]  # no key: this phone's leg ends
    gather = question[0]
    assert gather.get("action") == "https://greetline.test/twilio/confirmed?business=1"
    assert gather.get("numDigits") == "1" and gather[0].text == (
        "Oproep voor Huisartsenpraktijk De Linde, toets 1 om aan te nemen."
    )
    accepted = twiml(confirming.post("/twilio/confirmed?business=1", {**leg, "Digits": "1"}).text)
    assert list(accepted) == []  # an empty answer puts the caller through
    refused = twiml(confirming.post("/twilio/confirmed?business=1", {**leg, "Digits": "7"}).text)
    assert [child.tag for child in refused] == ["Hangup"]
    # The answering service is not staff: it hears the whisper, not the question.
    overflow = twiml(confirming.post("/twilio/dial-ended?stage=operators", {"DialCallStatus": "no-answer"}).text)
    number = overflow.find("Dial/Number")
    assert number is not None
    assert number.get("url") == "https://greetline.test/twilio/whisper?business=1&via=no-choice"
