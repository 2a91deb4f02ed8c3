"""A text back to a missed mobile caller: which ended calls get one (table-driven), and the real path from the
status callback through the outbox to Twilio's stand-in on 127.0.0.1, once per caller per day, mobiles only."""

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from fastapi import FastAPI

from ivr.messages.delivery import make_worker
from ivr.messages.notes import Notes
from ivr.messages.senders import senders
from ivr.messages.summary_email import daily_summary_email
from ivr.messages.text_back import EndedCall, NoTextBack, no_text_back
from ivr.settings import Settings
from ivr.store import text_backs
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.clock import FakeClock
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.messages.documents import call_sid
from tests.twilio_client import TwilioLikeClient, twilio_client

pytest_plugins = ["tests.fakes.twilio_api"]

# Tuesday 24 November 2026, 10:15 in Amsterdam.
NOW = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
BUSINESS_NUMBER = "+31201234567"
MOBILE, LANDLINE = "+31611112222", "+31101234567"
TEXT_BACK_DOCUMENT = """\
business: Loodgietersbedrijf Jansen
numbers: ["+31201234567"]
operators: ["+31612345678"]
text_back: {text: "U belde {business}. Wij bellen u zo snel mogelijk terug.", after_s: 120}
"""
MISSED = EndedCall(MOBILE, "missed", ("welcome", "operators:no-answer"))


@pytest.mark.parametrize(
    ("call", "mobile", "lately", "reason"),
    [
        (MISSED, True, False, None),
        (EndedCall(MOBILE, "hung up", ("welcome",)), True, False, None),
        (MISSED, False, False, NoTextBack.NOT_MOBILE),
        (MISSED, True, True, NoTextBack.TEXTED_LATELY),
        (EndedCall("", "missed", ("welcome",)), True, False, NoTextBack.WITHHELD),
        (EndedCall(MOBILE, "operator", ("welcome", "operators:completed")), True, False, NoTextBack.ANSWERED),
        (EndedCall(MOBILE, None, ("welcome", "operators:completed")), True, False, NoTextBack.ANSWERED),
        (EndedCall(MOBILE, "voicemail", ("welcome",), left_message=True), True, False, NoTextBack.MESSAGE),
        (EndedCall(MOBILE, "callback", ("callback:requested",)), True, False, NoTextBack.CALLBACK),
        (EndedCall(MOBILE, "hung up", ("welcome",), asked_callback=True), True, False, NoTextBack.CALLBACK),
        (EndedCall(MOBILE, "blocked", ("blocked",)), True, False, NoTextBack.BLOCKED),
        (EndedCall(MOBILE, "missed", ("welcome",), simulated=True), True, False, NoTextBack.SIMULATED),
    ],
)
def test_which_ended_calls_get_a_text_back(
    call: EndedCall, mobile: bool, lately: bool, reason: NoTextBack | None
) -> None:
    assert no_text_back(call, mobile=mobile, texted_lately=lately) is reason


@pytest.fixture
def text_settings(settings: Settings, database_url: str, twilio_api: FakeTwilio) -> Settings:
    return settings.model_copy(
        update={
            "database_url": database_url,
            "twilio_account_sid": ACCOUNT_SID,
            "twilio_auth_token": AUTH_TOKEN,
            "twilio_api_url": twilio_api.base_url,
            "embedded_worker": False,
        }
    )


@pytest.fixture
def business_id(database: Database) -> int:
    return apply_text(database, TEXT_BACK_DOCUMENT, NOW).stored.id


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def app(text_settings: Settings, database: Database, business_id: int, clock: FakeClock) -> FastAPI:
    return create_app(text_settings, clock=clock, database=database)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TwilioLikeClient]:
    with twilio_client(app) as client:
        yield client


def missed_call(app: FastAPI, client: TwilioLikeClient, caller: str) -> str:
    call = {"CallSid": call_sid(), "From": caller, "To": BUSINESS_NUMBER}
    client.post("/twilio/voice", call)
    client.post("/twilio/dial-ended?stage=operators", {**call, "DialCallStatus": "no-answer"})
    client.post("/twilio/status", {**call, "CallStatus": "completed", "CallDuration": "25"})
    app.state.services.call_log.flush()
    return call["CallSid"]


def test_a_missed_mobile_caller_gets_one_text_a_landline_none_and_a_second_call_that_day_none(
    app: FastAPI,
    client: TwilioLikeClient,
    text_settings: Settings,
    database: Database,
    business_id: int,
    clock: FakeClock,
    twilio_api: FakeTwilio,
) -> None:
    worker = make_worker(text_settings, database, clock)
    missed_call(app, client, MOBILE)
    missed_call(app, client, LANDLINE)
    missed_call(app, client, "anonymous")
    assert worker.run_due() == 0  # not before after_s
    clock.advance(121)
    worker.run_due()
    worker.run_due()
    assert twilio_api.wait_for_texts(1) == 1
    sms = twilio_api.texts[0]
    assert (sms["To"], sms["From"]) == (MOBILE, BUSINESS_NUMBER)
    assert sms["Body"] == "U belde Loodgietersbedrijf Jansen. Wij bellen u zo snel mogelijk terug."
    # The same caller again two hours later: no second text that day; a day later there is one.
    clock.advance(2 * 3600)
    missed_call(app, client, MOBILE)
    clock.advance(121)
    worker.run_due()
    worker.run_due()
    clock.advance(24 * 3600)
    missed_call(app, client, MOBILE)
    clock.advance(121)
    worker.run_due()
    worker.run_due()
    assert twilio_api.wait_for_texts(2) == 2 and len(twilio_api.texts) == 2
    with database.transaction() as session:
        assert [found.caller_number for found in text_backs.listed(session, business_id)] == [MOBILE, MOBILE]


def test_an_answered_call_gets_no_text(
    app: FastAPI,
    client: TwilioLikeClient,
    text_settings: Settings,
    database: Database,
    clock: FakeClock,
    twilio_api: FakeTwilio,
) -> None:
    call = {"CallSid": call_sid(), "From": MOBILE, "To": BUSINESS_NUMBER}
    client.post("/twilio/voice", call)
    client.post("/twilio/dial-ended?stage=operators", {**call, "DialCallStatus": "completed"})
    client.post("/twilio/status", {**call, "CallStatus": "completed", "CallDuration": "95"})
    app.state.services.call_log.flush()
    clock.advance(121)
    worker = make_worker(text_settings, database, clock)
    assert worker.run_due() == 1  # the look at the call, and nothing after it
    assert worker.run_due() == 0 and twilio_api.texts == []


def test_the_summary_counts_the_texts_back_of_the_day(
    app: FastAPI,
    client: TwilioLikeClient,
    text_settings: Settings,
    database: Database,
    business_id: int,
    clock: FakeClock,
) -> None:
    missed_call(app, client, MOBILE)
    clock.advance(121)
    worker = make_worker(text_settings, database, clock)
    worker.run_due()
    worker.run_due()
    notes = Notes(
        database, senders(text_settings), public_url="https://greetline.test", domain="greetline.test", clock=clock
    )
    body = daily_summary_email(
        notes.summary_facts(business_id, date(2026, 11, 24)), "a@example.nl", "<s.1@x.test>"
    ).body
    assert "Teruggestuurde sms na een gemiste oproep: 1" in body
