"""The recording webhooks through the real HTTP app: a message and all its deliveries stored once, before 2xx."""

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI

from ivr.settings import Settings
from ivr.store import jobs
from ivr.store.database import Database
from ivr.web.app import create_app
from tests.messages.documents import (
    BUSINESS_NUMBER,
    apply_after_call_document,
    call_sid,
    recording_sid,
    recording_url,
)
from tests.twilio_client import TwilioLikeClient, twilio_client

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture
def business_id(settings: Settings) -> int:
    database = Database(settings.database_url)
    try:
        return apply_after_call_document(database, NOW)
    finally:
        database.dispose()


@pytest.fixture
def app(settings: Settings, business_id: int) -> FastAPI:
    return create_app(settings, clock=lambda: NOW)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TwilioLikeClient]:
    with twilio_client(app) as client:
        yield client


def recording_form(settings: Settings, sid: str, call: str, **extra: str) -> dict[str, str]:
    return {
        "CallSid": call,
        "To": BUSINESS_NUMBER,
        "RecordingSid": sid,
        "RecordingUrl": recording_url(settings.twilio_api_url, sid),
        "RecordingDuration": "14",
        "RecordingStatus": "completed",
        **extra,
    }


def deliveries(settings: Settings, sid: str) -> list[tuple[str, str]]:
    database = Database(settings.database_url)
    try:
        with database.transaction() as session:
            found = jobs.for_subject(session, sid)
    finally:
        database.dispose()
    return [(job.kind, job.args.get("address") or job.args.get("number") or "") for job in found]


EXPECTED = [
    ("keep-recording", ""),
    ("voicemail-email", "kantoor@jansen.example"),
    ("voicemail-email", "jan@jansen.example"),
    ("voicemail-sms", "+31687654321"),
]


def test_status_callback_stores_the_message_and_one_delivery_per_address_once(
    client: TwilioLikeClient, settings: Settings, business_id: int
) -> None:
    sid, call = recording_sid(), call_sid()
    path = f"/twilio/recording?business={business_id}&box=overflow"
    first = client.post(path, recording_form(settings, sid, call))
    assert first.status_code == 201
    assert deliveries(settings, sid) == EXPECTED
    again = client.post(path, recording_form(settings, sid, call))
    assert again.status_code == 200
    # The <Record> action for the same message: the caller hears goodbye, nothing is stored twice.
    recorded = client.post(f"/twilio/recorded?business={business_id}&box=overflow", recording_form(settings, sid, call))
    root = ElementTree.fromstring(recorded.text)
    assert recorded.status_code == 200 and [child.tag for child in root] == ["Say", "Hangup"]
    assert root[0].text == "Bedankt, tot ziens."
    assert deliveries(settings, sid) == EXPECTED


def test_record_action_alone_stores_the_message_with_the_caller(
    client: TwilioLikeClient, settings: Settings, business_id: int
) -> None:
    sid, call = recording_sid(), call_sid()
    form = recording_form(settings, sid, call, From="+31611112222")
    assert client.post(f"/twilio/recorded?business={business_id}&box=menu:2", form).status_code == 200
    assert deliveries(settings, sid) == [("keep-recording", ""), ("voicemail-email", "offerte@jansen.example")]
    database = Database(settings.database_url)
    with database.engine.connect() as connection:
        row = connection.exec_driver_sql("SELECT box, from_number, duration_s FROM recordings").one()
    database.dispose()
    assert tuple(row) == ("menu:2", "+31611112222", 14)


@pytest.mark.parametrize("withheld", ["anonymous", "Restricted", "+266696687", "+2562533"])
def test_a_withheld_caller_is_stored_as_withheld_not_as_a_number_to_call_back(
    app: FastAPI, client: TwilioLikeClient, settings: Settings, business_id: int, withheld: str
) -> None:
    # Twilio writes a withheld caller ID as a word or its letters on the keypad (+266696687 is "ANONYMOUS"): written
    # into an e-mail as "anonymous" or "+266 696687", staff would call Lesotho back.
    sid, call = recording_sid(), call_sid()
    voice = {"CallSid": call, "To": BUSINESS_NUMBER, "From": withheld}
    assert client.post("/twilio/voice", voice).status_code == 200
    form = recording_form(settings, sid, call, From=withheld)
    assert client.post(f"/twilio/recorded?business={business_id}&box=menu:2", form).status_code == 200
    assert app.state.services.call_log.flush()
    database = Database(settings.database_url)
    with database.engine.connect() as connection:
        left = connection.exec_driver_sql("SELECT from_number FROM recordings").scalar_one()
        called = connection.exec_driver_sql("SELECT from_number FROM calls").scalar_one()
    database.dispose()
    # Stored as no number: the inbox and e-mails then say "nummer afgeschermd" / "een onbekend nummer".
    assert (left, called) == (None, "")


REFUSALS = [
    ("RecordingSid", {"RecordingSid": "RE1"}, "", "RecordingSid must be RE followed by 32 hex digits"),
    ("no RecordingSid", {"RecordingSid": ""}, "", "RecordingSid must be RE followed by 32 hex digits"),
    ("CallSid", {"CallSid": "CA0123"}, "", "CallSid must be CA followed by 32 hex digits"),
    ("another host", {"RecordingUrl": "https://evil.example/RE"}, "", "RecordingUrl must be on https://api.twilio.com"),
    ("unknown business", {}, "business=999&box=overflow", "no business with id 999"),
    ("not a business id", {}, "business=x&box=overflow", "business= query parameter must be a business id"),
    ("unknown box", {}, "business={id}&box=menu:9", "has no voicemail box 'menu:9' (it has: closed, menu:2, overflow)"),
]


@pytest.mark.parametrize(("name", "change", "query", "message"), REFUSALS, ids=[case[0] for case in REFUSALS])
def test_malformed_callbacks_are_refused_with_400_and_store_nothing(
    client: TwilioLikeClient,
    settings: Settings,
    business_id: int,
    name: str,
    change: dict[str, str],
    query: str,
    message: str,
) -> None:
    sid = recording_sid()
    form = {**recording_form(settings, sid, call_sid()), **change}
    query = (query or "business={id}&box=overflow").format(id=business_id)
    response = client.post(f"/twilio/recording?{query}", form)
    assert response.status_code == 400
    assert message in response.json()["detail"]
    # The same at the <Record> action still lets the caller hear goodbye.
    recorded = client.post(f"/twilio/recorded?{query}", form)
    assert recorded.status_code == 200 and "Bedankt, tot ziens." in recorded.text
    assert deliveries(settings, form["RecordingSid"]) == []


def test_unsigned_callback_is_refused_with_403(client: TwilioLikeClient, settings: Settings, business_id: int) -> None:
    form = recording_form(settings, recording_sid(), call_sid())
    assert client.post(f"/twilio/recording?business={business_id}&box=overflow", form, signature="x").status_code == 403


def test_silence_is_answered_without_storing_a_message(
    client: TwilioLikeClient, settings: Settings, business_id: int
) -> None:
    sid = recording_sid()
    form = recording_form(settings, sid, call_sid(), RecordingStatus="absent")
    assert client.post(f"/twilio/recording?business={business_id}&box=overflow", form).status_code == 204
    assert deliveries(settings, sid) == []


def test_message_that_cannot_be_stored_is_503_but_the_caller_still_hears_goodbye(
    settings: Settings, business_id: int
) -> None:
    with twilio_client(create_app(settings, clock=lambda: NOW)) as client:
        database = Database(settings.database_url)
        with database.engine.begin() as connection:  # the outbox is gone under the running server
            connection.exec_driver_sql("DROP TABLE jobs")
        database.dispose()
        form = recording_form(settings, recording_sid(), call_sid())
        status = client.post(f"/twilio/recording?business={business_id}&box=overflow", form)
        recorded = client.post(f"/twilio/recorded?business={business_id}&box=overflow", form)
    assert status.status_code == 503 and "send it again" in status.json()["detail"]
    assert recorded.status_code == 200 and [child.tag for child in ElementTree.fromstring(recorded.text)] == [
        "Say",
        "Hangup",
    ]
