"""What a voicemail e-mail says of the call is what happened (issue 20, items 7 and 10): the route in words even when
the call log has not stored the call's steps yet, and the time the caller left the message, also for one the
reconciler took in later. Real HTTP app, real SMTP (aiosmtpd), Twilio's REST API stood in on 127.0.0.1, SQLite and
PostgreSQL."""

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI

from ivr.messages.delivery import make_worker
from ivr.messages.notes import Notes
from ivr.messages.senders import senders
from ivr.messages.summary_email import daily_summary_email
from ivr.settings import Settings
from ivr.store import calls, recordings
from ivr.store.call_log import CallLogWriter
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.clock import FakeClock
from tests.fakes.smtp import MailServer
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.messages.documents import (
    AFTER_CALL_DOCUMENT,
    BUSINESS_NUMBER,
    apply_after_call_document,
    call_sid,
    recording_sid,
)
from tests.twilio_client import TwilioLikeClient, twilio_client

pytest_plugins = ["tests.fakes.twilio_api", "tests.fakes.smtp"]

# Tuesday 24 November 2026, 10:15 in Amsterdam.
NOW = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
EN_DASH = "\u2013"


@pytest.fixture
def after_call_settings(
    settings: Settings, database: Database, mail_server: MailServer, twilio_api: FakeTwilio, tmp_path: Path
) -> Settings:
    apply_after_call_document(database, NOW)
    return settings.model_copy(
        update={
            "database_url": database.url,
            "smtp_url": mail_server.url,
            "mail_from": "Greetline <voicemail@greetline.test>",
            "twilio_account_sid": ACCOUNT_SID,
            "twilio_auth_token": AUTH_TOKEN,
            "twilio_api_url": twilio_api.base_url,
            "voicemail_dir": tmp_path / "voicemail",
            "embedded_worker": False,
        }
    )


@pytest.fixture
def lagging_app(after_call_settings: Settings, database: Database, tmp_path: Path) -> FastAPI:
    """An app whose call log cannot store steps yet (its writer's database is away, as when another replica's writer
    is behind): the e-mail is composed before the call's steps are stored."""
    away = Database(f"sqlite:///{tmp_path / 'not-there' / 'calls.db'}")
    call_log = CallLogWriter(away, close_retry_s=0.1)
    return create_app(after_call_settings, clock=FakeClock(NOW), database=database, call_log=call_log)


@pytest.fixture
def client(lagging_app: FastAPI) -> Iterator[TwilioLikeClient]:
    with twilio_client(lagging_app) as client:
        yield client


def recording_callback(twiml: str) -> str:
    """The recordingStatusCallback of the <Record> a webhook answered, as the path Twilio would post to."""
    found = re.search(r'recordingStatusCallback="([^"]+)"', twiml)
    assert found, twiml
    url = urlsplit(found[1].replace("&amp;", "&"))
    return f"{url.path}?{url.query}"


def mail_body(mail_server: MailServer) -> str:
    mail = mail_server.inbox.wait_for(1)[0]
    body = mail.get_body(("plain",))
    assert body is not None
    return str(body.get_content()).replace("\r\n", "\n")


@pytest.mark.parametrize(
    ("steps", "route"),
    [
        ([("/twilio/dial-ended?stage=operators", {"DialCallStatus": "no-answer"})], "na 4 keer overgaan"),
        ([("/twilio/dial-ended?stage=operators", {"DialCallStatus": "busy"})], "in gesprek"),
        ([("/twilio/menu?attempt=1", {"Digits": "2"})], f"menu: 2 {EN_DASH} voor offertes"),
    ],
)
def test_the_route_is_in_words_though_the_call_log_has_not_stored_the_call(
    client: TwilioLikeClient,
    after_call_settings: Settings,
    database: Database,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
    steps: list[tuple[str, dict[str, str]]],
    route: str,
) -> None:
    call = {"CallSid": call_sid(), "From": "+31611112222", "To": BUSINESS_NUMBER}
    client.post("/twilio/voice", call)
    answers = [client.post(path, {**call, **form}).text for path, form in steps]
    sid = recording_sid()
    # The status callback, straight after the dial's answer: no From, and nothing of the call in the log.
    form = {"CallSid": call["CallSid"], "From": "", "RecordingSid": sid, "RecordingDuration": "30"}
    form["RecordingUrl"] = twilio_api.add_recording(sid, call["CallSid"])
    assert client.post(recording_callback(answers[-1]), form).status_code == 201
    with database.transaction() as session:
        assert calls.get(session, call["CallSid"]) is None  # the e-mail cannot lean on the call log
    clock = FakeClock(NOW)
    clock.advance(2)
    make_worker(after_call_settings, database, clock).run_due()
    text = mail_body(mail_server)
    assert f"Route: {route}\n" in text


@pytest.fixture
def app(after_call_settings: Settings, database: Database) -> FastAPI:
    return create_app(after_call_settings, clock=FakeClock(NOW), database=database)


def test_a_reconciled_message_carries_the_time_the_caller_left_it(
    app: FastAPI,
    after_call_settings: Settings,
    database: Database,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
) -> None:
    call = {"CallSid": call_sid(), "From": "+31611112222", "To": BUSINESS_NUMBER}
    with twilio_client(app) as twilio:
        twilio.post("/twilio/voice", call)
        twilio.post("/twilio/dial-ended?stage=operators", {**call, "DialCallStatus": "no-answer"})
        app.state.services.call_log.flush()
    left = NOW - timedelta(minutes=35)  # 09:40 in Amsterdam; neither webhook ever reached us
    sid = recording_sid()
    twilio_api.add_recording(sid, call["CallSid"], created=left + timedelta(seconds=30), started=left)
    worker = make_worker(after_call_settings, database, FakeClock(NOW))
    assert worker.run_schedules() == 3  # the reconciliation, the calls' recovery, the day's retention
    worker.run_due()
    with database.transaction() as session:
        stored = recordings.get_recording(session, sid)
    assert stored is not None and stored.received_at.astimezone(UTC) == left
    text = mail_body(mail_server)
    assert "Tijd: 24-11-2026 09:40\n" in text and "10:15" not in text
    assert "Route: na 4 keer overgaan\n" in text  # from the call log, as the reconciler found it


def test_the_status_callback_start_time_is_the_message_time(
    app: FastAPI, database: Database, twilio_api: FakeTwilio
) -> None:
    call, sid = call_sid(), recording_sid()
    started = NOW - timedelta(seconds=95)
    form = {
        "CallSid": call,
        "RecordingSid": sid,
        "RecordingUrl": twilio_api.add_recording(sid, call),
        "RecordingDuration": "74",
        "RecordingStartTime": format_datetime(started),
    }
    with twilio_client(app) as twilio:
        assert twilio.post("/twilio/recording?business=1&box=overflow", form).status_code == 201
    with database.transaction() as session:
        stored = recordings.get_recording(session, sid)
    assert stored is not None and stored.received_at.astimezone(UTC) == started


def test_the_record_actions_message_is_timed_from_its_start_not_its_end(
    app: FastAPI, database: Database, twilio_api: FakeTwilio
) -> None:
    """The <Record> action usually arrives first and says no start time; it comes as the message ends, so the
    message's time is its length before then (a message begun at 16:59 that lasts two minutes is 16:59's)."""
    call, sid = call_sid(), recording_sid()
    form = {
        "CallSid": call,
        "From": "+31611112222",
        "To": BUSINESS_NUMBER,
        "RecordingSid": sid,
        "RecordingUrl": twilio_api.add_recording(sid, call),
        "RecordingDuration": "74",
    }
    with twilio_client(app) as twilio:
        assert twilio.post("/twilio/recorded?business=1&box=overflow", form).status_code == 200
    with database.transaction() as session:
        stored = recordings.get_recording(session, sid)
    assert stored is not None and stored.received_at.astimezone(UTC) == NOW - timedelta(seconds=74)


def gather_action(twiml: str) -> str:
    found = re.search(r'<Gather action="([^"]+)"', twiml)
    assert found, twiml
    url = urlsplit(found[1].replace("&amp;", "&"))
    return f"{url.path}?{url.query}"


def test_a_message_left_after_declining_the_callback_offer_says_its_route(
    settings: Settings,
    database: Database,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
    after_call_settings: Settings,
    lagging_app: FastAPI,
) -> None:
    """The offer before the beep (offer_callback) is a webhook between the box's route and its <Record>: the route
    travels through it, and the e-mail says "na 4 keer overgaan", not "rechtstreeks", while the log lags."""
    text = AFTER_CALL_DOCUMENT.replace(
        'overflow: {voicemail: {email: [kantoor@jansen.example, jan@jansen.example], sms: ["+31687654321"]}}',
        "overflow: {voicemail: {email: [kantoor@jansen.example]}, offer_callback: true}\n"
        "callback: {email: [kantoor@jansen.example]}",
    )
    apply_text(database, text, NOW)
    call = {"CallSid": call_sid(), "From": "+31611112222", "To": BUSINESS_NUMBER}
    with twilio_client(lagging_app) as client:
        client.post("/twilio/voice", call)
        offered = client.post("/twilio/dial-ended?stage=operators", {**call, "DialCallStatus": "no-answer"}).text
        declined = client.post(gather_action(offered), {**call, "Digits": "2"}).text
        sid = recording_sid()
        form = {"CallSid": call["CallSid"], "From": "", "RecordingSid": sid, "RecordingDuration": "30"}
        form["RecordingUrl"] = twilio_api.add_recording(sid, call["CallSid"])
        assert client.post(recording_callback(declined), form).status_code == 201
    make_worker(after_call_settings, database, FakeClock(NOW + timedelta(seconds=2))).run_due()
    assert "Route: na 4 keer overgaan\n" in mail_body(mail_server)


def changed_menu_and_rings(database: Database, when: datetime) -> None:
    """The business's option 2 becomes complaints and its phones ring 3 times, after the call."""
    text = AFTER_CALL_DOCUMENT.replace("Voor offertes, toets 2.", "Voor klachten, toets 2.") + "rings: 3\n"
    apply_text(database, text, when)


def test_a_past_calls_route_is_worded_in_the_settings_of_its_time(
    app: FastAPI,
    after_call_settings: Settings,
    database: Database,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
) -> None:
    """Issue 20 item 8: option 2 was "voor offertes" when the caller pressed it; the e-mail sent after the menu was
    changed (a delivery retried, a message reconciled late) and the day's summary still say so."""
    call = {"CallSid": call_sid(), "From": "+31611112222", "To": BUSINESS_NUMBER}
    with twilio_client(app) as twilio:
        twilio.post("/twilio/voice", call)
        box = twilio.post("/twilio/menu?attempt=1", {**call, "Digits": "2"}).text
        sid = recording_sid()
        form = {"CallSid": call["CallSid"], "From": call["From"], "RecordingSid": sid, "RecordingDuration": "30"}
        form["RecordingUrl"] = twilio_api.add_recording(sid, call["CallSid"])
        form["RecordingStartTime"] = format_datetime(NOW)
        assert twilio.post(recording_callback(box), form).status_code == 201
        app.state.services.call_log.flush()
    changed_menu_and_rings(database, NOW + timedelta(minutes=10))
    make_worker(after_call_settings, database, FakeClock(NOW + timedelta(minutes=11))).run_due()
    assert f"Route: menu: 2 {EN_DASH} voor offertes\n" in mail_body(mail_server)
    notes = Notes(
        database,
        senders(after_call_settings),
        public_url="https://greetline.test",
        domain="greetline.test",
        clock=FakeClock(NOW + timedelta(days=2)),
    )
    with database.transaction() as session:
        business_id = calls.get(session, call["CallSid"]).business_id  # type: ignore[union-attr]
    assert business_id is not None
    facts = notes.summary_facts(business_id, date(2026, 11, 24), late=True)
    [summary_call] = facts.calls
    assert summary_call.menu is not None and dict(summary_call.menu)["2"] == "Voor offertes, toets 2."
    body = daily_summary_email(facts, "jan@jansen.example", "<summary.1@greetline.test>").body
    assert f"menu: 2 {EN_DASH} voor offertes" in body and "klachten" not in body
