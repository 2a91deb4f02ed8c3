"""A caller asks to be called back at night: real HTTP app, the callback webhooks as Twilio posts them, real SMTP
(aiosmtpd), Twilio's REST API faked on 127.0.0.1, the worker run with an injected clock; on both databases."""

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from ivr.card.link import card_link
from ivr.messages.delivery import make_worker
from ivr.messages.notes import Notes
from ivr.messages.senders import senders
from ivr.messages.summary_email import daily_summary_email
from ivr.settings import Settings
from ivr.store import callbacks, calls, keys, staff
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.clock import FakeClock
from tests.fakes.smtp import MailServer
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.local_server import running_server
from tests.messages.documents import call_sid
from tests.twilio_client import TwilioLikeClient, twilio_client
from tests.web.inbox_setup import EMAIL, PASSWORD, log_in

pytest_plugins = ["tests.fakes.twilio_api", "tests.fakes.smtp"]

# Tuesday 24 November 2026, 22:00 in Amsterdam: closed.
NIGHT = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
BUSINESS_NUMBER = "+31201234567"
# Plain http, so the session cookie is not marked Secure and the client sends it back.
PAGE_URL = "http://greetline.test"
CALLBACK_DOCUMENT = """\
business: Huisartsenpraktijk De Linde
numbers: ["+31201234567"]
language: nl
timezone: Europe/Amsterdam
operators: ["+31612345678"]
hours: {mon-fri: "08:00-17:00"}
menu:
  - {key: "3", prompt: "Wilt u teruggebeld worden, toets 3.", callback: true}
closed: {voicemail: {email: [praktijk@example.nl]}, offer_callback: true}
callback: {email: [terugbellen@example.nl], sms: ["+31687654321"]}
"""


@pytest.fixture
def callback_settings(
    settings: Settings, database_url: str, mail_server: MailServer, twilio_api: FakeTwilio, tmp_path: Path
) -> Settings:
    return settings.model_copy(
        update={
            "database_url": database_url,
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
def business_id(database: Database) -> int:
    return apply_text(database, CALLBACK_DOCUMENT, NIGHT).stored.id


@pytest.fixture
def app(callback_settings: Settings, database: Database, business_id: int) -> FastAPI:
    return create_app(callback_settings, clock=FakeClock(NIGHT), database=database)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TwilioLikeClient]:
    with twilio_client(app) as client:
        yield client


def said(body: str) -> list[str]:
    return [element.text or "" for element in ElementTree.fromstring(body).iter("Say")]


def action_of_gather(body: str) -> str:
    gather = ElementTree.fromstring(body).find("Gather")
    assert gather is not None, body
    return (gather.get("action") or "").removeprefix("https://greetline.test")


def test_a_caller_pressing_1_at_the_offer_at_night_is_called_back_by_email_and_text(
    app: FastAPI,
    client: TwilioLikeClient,
    callback_settings: Settings,
    database: Database,
    business_id: int,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
) -> None:
    call = {"CallSid": call_sid(), "From": "+31611112222", "To": BUSINESS_NUMBER}
    offer = action_of_gather(client.post("/twilio/voice", call).text)
    assert offer == "/twilio/callback?box=closed&offer=1&route=closed%3Ahours"
    asked = client.post(offer, {**call, "Digits": "1"}).text
    assert "Wij bellen u terug op nul zes, één één, één één, twee twee, twee twee." in said(asked)[0]
    confirm = action_of_gather(asked)
    assert confirm == "/twilio/callback-number?attempt=1&box=closed&route=closed%3Ahours"
    done = client.post(confirm, {**call, "Digits": "1"})
    assert said(done.text) == [
        "Dank u. Wij bellen u zo snel mogelijk terug op nul zes, één één, één één, twee twee, twee twee. Tot ziens."
    ]
    assert "<Hangup />" in done.text
    # Twilio posting the same keys again stores nothing twice.
    client.post(confirm, {**call, "Digits": "1"})
    with database.transaction() as session:
        stored = callbacks.listed(session, business_id, open_only=True)
    assert [(found.caller_number, found.call_sid) for found in stored] == [("+31611112222", call["CallSid"])]
    app.state.services.call_log.flush()
    with database.transaction() as session:
        logged = calls.get(session, call["CallSid"])
    assert logged is not None and logged.outcome == "callback"
    assert logged.path[-1] == "callback:requested"

    clock = FakeClock(NIGHT)
    clock.advance(2)
    assert make_worker(callback_settings, database, clock).run_due() == 2
    mail = mail_server.inbox.wait_for(1)[0]
    assert mail["To"] == "terugbellen@example.nl"
    assert mail["Subject"] == "Terugbelverzoek voor Huisartsenpraktijk De Linde: 06 11 11 22 22"
    body = mail.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Terugbellen: tel:+31611112222 (06 11 11 22 22)" in text and "Tijd: 24-11-2026 22:00" in text
    assert "https://greetline.test/admin/callbacks" in text
    assert twilio_api.wait_for_texts(1) == 1
    sms = twilio_api.texts[0]
    assert (sms["To"], sms["From"]) == ("+31687654321", BUSINESS_NUMBER)
    assert "bel 06 11 11 22 22 terug (gevraagd om 24-11-2026 22:00)" in sms["Body"]


def test_a_withheld_caller_keys_in_a_number_is_told_a_short_one_and_keys_again(
    client: TwilioLikeClient, database: Database, business_id: int
) -> None:
    call = {"CallSid": call_sid(), "From": "anonymous", "To": BUSINESS_NUMBER}
    key_in = client.post("/twilio/callback?box=closed&offer=1", {**call, "Digits": "1"}).text
    assert said(key_in)[0] == "Toets het nummer waarop wij u kunnen terugbellen, gevolgd door een hekje."
    short = client.post("/twilio/callback-number?attempt=1&box=closed", {**call, "Digits": "0612"}).text
    assert said(short)[:2] == ["Dat nummer is te kort.", said(key_in)[0]]
    assert action_of_gather(short) == "/twilio/callback-number?attempt=2&box=closed"
    premium = client.post("/twilio/callback-number?attempt=2&box=closed", {**call, "Digits": "0900123456"}).text
    # The second wrong number: why, then the voicemail box after all (never silence).
    assert said(premium)[:2] == ["Naar betaalnummers kunnen wij niet terugbellen.", said(premium)[1]]
    assert "<Record" in premium
    with database.transaction() as session:
        assert callbacks.listed(session, business_id) == []
    call = {**call, "CallSid": call_sid()}
    client.post("/twilio/callback", call)
    client.post("/twilio/callback-number?attempt=1", {**call, "Digits": "0101234567"})
    with database.transaction() as session:
        assert [found.caller_number for found in callbacks.listed(session, business_id)] == ["+31101234567"]


def test_the_menu_option_redirects_to_the_callback_webhook_in_opening_hours(
    callback_settings: Settings, database: Database, business_id: int
) -> None:
    morning = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    app = create_app(callback_settings, clock=FakeClock(morning), database=database)
    with twilio_client(app) as client:
        call = {"CallSid": call_sid(), "From": "+31611112222", "To": BUSINESS_NUMBER}
        chosen = client.post("/twilio/menu?attempt=1", {**call, "Digits": "3"}).text
        assert '<Redirect method="POST">https://greetline.test/twilio/callback</Redirect>' in chosen
        asked = client.post("/twilio/callback", call).text
        assert action_of_gather(asked) == "/twilio/callback-number?attempt=1"


def request_callback(client: TwilioLikeClient, caller: str) -> str:
    call = {"CallSid": call_sid(), "From": caller, "To": BUSINESS_NUMBER}
    client.post("/twilio/callback", call)
    client.post("/twilio/callback-number?attempt=1", {**call, "Digits": "1"})
    return call["CallSid"]


def test_the_api_lists_requests_and_marks_one_done_and_open_again(
    client: TwilioLikeClient, database: Database, business_id: int
) -> None:
    first, second = request_callback(client, "+31611112222"), request_callback(client, "+32470123456")
    with database.transaction() as session:
        _, key = keys.create(session, business_id=business_id, label="test", now=NIGHT)
        _, other_key = keys.create(session, business_id=None, label="ops", now=NIGHT)
    auth = {"Authorization": f"Bearer {key}"}
    listed = client.http.get(f"/api/v1/businesses/{business_id}/callbacks", headers=auth)
    assert listed.status_code == 200
    assert [(found["caller_number"], found["call_sid"], found["done"]) for found in listed.json()] == [
        ("+32470123456", second, False),
        ("+31611112222", first, False),
    ]
    done_id = listed.json()[1]["id"]
    path = f"/api/v1/businesses/{business_id}/callbacks/{done_id}/done"
    assert client.http.put(path, headers=auth).status_code == 204
    still_open = client.http.get(f"/api/v1/businesses/{business_id}/callbacks?open=true", headers=auth).json()
    assert [found["caller_number"] for found in still_open] == ["+32470123456"]
    assert client.http.put(path, json={"done": False}, headers=auth).status_code == 204
    assert len(client.http.get(f"/api/v1/businesses/{business_id}/callbacks?open=true", headers=auth).json()) == 2
    missing = f"/api/v1/businesses/{business_id}/callbacks/999999/done"
    assert client.http.put(missing, headers={"Authorization": f"Bearer {other_key}"}).status_code == 404


def test_the_calendar_feed_lists_open_requests_at_its_secret_url_and_a_rotated_one_is_gone(
    client: TwilioLikeClient, database: Database, business_id: int
) -> None:
    request_callback(client, "+31611112222")
    with database.transaction() as session:
        token = callbacks.feed_token(session, business_id, NIGHT)
    feed = client.http.get(f"/callbacks/{token}.ics")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    lines = feed.text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert "SUMMARY:Terugbellen: 06 11 11 22 22" in lines
    assert "DTSTART:20261124T210000Z" in lines and "URL:tel:+31611112222" in lines
    assert all(len(line.encode()) <= 75 for line in lines)
    with database.transaction() as session:
        callbacks.mark(session, business_id, callbacks.listed(session, business_id)[0].id, NIGHT, done=True)
    assert "BEGIN:VEVENT" not in client.http.get(f"/callbacks/{token}.ics").text
    with database.transaction() as session:
        rotated = callbacks.feed_token(session, business_id, NIGHT, rotate=True)
    assert client.http.get(f"/callbacks/{token}.ics").status_code == 404
    assert client.http.get(f"/callbacks/{rotated}.ics").status_code == 200
    assert client.http.get(f"/callbacks/{'x' * 43}.ics").status_code == 404
    assert client.http.get("/callbacks/short.ics").status_code == 404


def test_the_inbox_lists_the_request_under_terugbellen_with_done_and_undo_and_the_feed_address(
    callback_settings: Settings, database: Database, business_id: int
) -> None:
    served = callback_settings.model_copy(update={"public_url": PAGE_URL})
    with database.transaction() as session:
        staff.set_login(session, business_id=business_id, email=EMAIL, password=PASSWORD, now=NIGHT)
    app = create_app(served, clock=FakeClock(NIGHT), database=database)
    with running_server(app) as url, httpx.Client(base_url=url, timeout=30) as http:
        request_callback(TwilioLikeClient(http, public_url=PAGE_URL), "+31611112222")
        csrf = log_in(http, EMAIL)
        shown = http.get("/admin/callbacks").text
        assert "<h1>Terugbellen</h1>" in shown and 'href="/admin/callbacks"' in shown
        assert 'href="tel:+31611112222"' in shown and "06 11 11 22 22" in shown and ">Gedaan</button>" in shown
        feed = shown.split('aria-label="Agenda-adres"', 1)[0].rsplit('value="', 1)[1].split('"', 1)[0]
        assert feed.startswith(f"{PAGE_URL}/callbacks/") and feed.endswith(".ics")
        assert "SUMMARY:Terugbellen: 06 11 11 22 22" in http.get(feed.removeprefix(PAGE_URL)).text
        with database.transaction() as session:
            request_id = callbacks.listed(session, business_id)[0].id
        answer = http.post(f"/admin/callbacks/{request_id}/done", data={"csrf": csrf})
        assert answer.status_code == 303
        shown = http.get("/admin/callbacks").text
        assert "Niemand wacht op een terugbelverzoek." in shown and "Toch niet gedaan" in shown
        assert "BEGIN:VEVENT" not in http.get(feed.removeprefix(PAGE_URL)).text
        http.post(f"/admin/callbacks/{request_id}/done", data={"csrf": csrf, "done": "false"})
        assert ">Gedaan</button>" in http.get("/admin/callbacks").text
        http.post("/admin/callbacks/feed", data={"csrf": csrf})
        assert http.get(feed.removeprefix(PAGE_URL)).status_code == 404


def test_the_answering_services_card_lists_the_open_requests(
    client: TwilioLikeClient, database: Database, business_id: int
) -> None:
    request_callback(client, "+31611112222")
    link = card_link(database, business_id, "https://greetline.test", NIGHT, rotate=False)
    assert link.url is not None
    token = link.url.rsplit("/", 1)[1]
    shown = client.http.get(f"/card/{token}").text
    assert "Bellers die teruggebeld willen worden" in shown and 'href="tel:+31611112222"' in shown
    assert client.http.get(f"/api/v1/card/{token}").json()["callbacks"] == [
        {"asked_at": "2026-11-24T21:00:00+00:00", "number": "+31611112222"}
    ]
    with database.transaction() as session:
        callbacks.mark(session, business_id, callbacks.listed(session, business_id)[0].id, NIGHT, done=True)
    assert "Bellers die teruggebeld willen worden" not in client.http.get(f"/card/{token}").text


def test_the_daily_summary_lists_the_request_and_does_not_count_it_missed(
    client: TwilioLikeClient, app: FastAPI, callback_settings: Settings, database: Database, business_id: int
) -> None:
    request_callback(client, "+31611112222")
    app.state.services.call_log.flush()
    notes = Notes(
        database,
        senders(callback_settings),
        public_url="https://greetline.test",
        domain="greetline.test",
        clock=FakeClock(NIGHT),
    )
    facts = notes.summary_facts(business_id, date(2026, 11, 24))
    body = daily_summary_email(facts, "praktijk@example.nl", "<summary.1@greetline.test>").body
    assert "Oproepen: 1 · Aangenomen: 0 · Voicemail: 0 · Gemist: 0" in body
    assert "22:00 · 06 11 11 22 22" in body and "terugbelverzoek" in body
    assert "Terugbelverzoeken: 1\n22:00 · 06 11 11 22 22 · tel:+31611112222 · nog terugbellen" in body
