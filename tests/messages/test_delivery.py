"""A message from the recording callback to the inboxes: real HTTP app, real SMTP (aiosmtpd), Twilio's REST API
faked on 127.0.0.1, the worker run with an injected clock."""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI

from ivr.jobs.worker import Worker
from ivr.messages.delivery import make_worker
from ivr.messages.notes import missed_call_check
from ivr.messages.reconcile import box_from_path
from ivr.messages.senders import ForeignRecordingHost, TwilioRecordings
from ivr.settings import Settings
from ivr.simulator import SIMULATED_CALL_FIELD
from ivr.store import jobs
from ivr.store.database import Database
from ivr.web.app import create_app
from tests.clock import FakeClock
from tests.fakes.smtp import MailServer
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio, voicemail_mp3
from tests.messages.documents import BUSINESS_NUMBER, apply_after_call_document, call_sid, recording_sid
from tests.messages.message_ids import assert_valid_msg_id
from tests.twilio_client import TwilioLikeClient, twilio_client

pytest_plugins = ["tests.fakes.twilio_api", "tests.fakes.smtp"]

# Tuesday 24 November 2026, 10:15 in Amsterdam.
NOW = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)


def Clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def after_call_settings(
    settings: Settings, mail_server: MailServer, twilio_api: FakeTwilio, tmp_path: Path
) -> Settings:
    return settings.model_copy(
        update={
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
def database(after_call_settings: Settings) -> Iterator[Database]:
    database = Database(after_call_settings.database_url)
    apply_after_call_document(database, NOW)
    yield database
    database.dispose()


@pytest.fixture
def app(after_call_settings: Settings, database: Database) -> FastAPI:
    return create_app(after_call_settings, clock=Clock(), database=database)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TwilioLikeClient]:
    with twilio_client(app) as client:
        yield client


def call_reaches_nobody(app: FastAPI, client: TwilioLikeClient, caller: str) -> str:
    """A call rings the operators unanswered and overflows to the voicemail box; returns its CallSid."""
    call = call_sid()
    call_form = {"CallSid": call, "From": caller, "To": BUSINESS_NUMBER}
    client.post("/twilio/voice", call_form)
    client.post("/twilio/dial-ended?stage=operators", {**call_form, "DialCallStatus": "no-answer"})
    app.state.services.call_log.flush()
    return call


def leave_message(app: FastAPI, client: TwilioLikeClient, twilio_api: FakeTwilio, caller: str = "+31611112222") -> str:
    """A caller reaches nobody and leaves a message; Twilio reports the recording (status callback only)."""
    sid, call = recording_sid(), call_reaches_nobody(app, client, caller)
    url = twilio_api.add_recording(sid, call)
    # Twilio's recording status callback carries no From: the caller's number comes from the call log.
    form = {"CallSid": call, "From": "", "RecordingSid": sid, "RecordingUrl": url, "RecordingDuration": "74"}
    assert client.post("/twilio/recording?business=1&box=overflow", form).status_code == 201
    return sid


def worker(settings: Settings, database: Database, clock: Clock) -> Worker:
    return make_worker(settings, database, clock)


def test_a_message_reaches_both_addresses_with_the_recording_and_the_phone_by_text(
    app: FastAPI,
    client: TwilioLikeClient,
    after_call_settings: Settings,
    database: Database,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
) -> None:
    sid = leave_message(app, client, twilio_api)
    clock = Clock()
    clock.advance(2)
    assert worker(after_call_settings, database, clock).run_due() == 4
    mails = mail_server.inbox.wait_for(2)
    assert sorted(mail["To"] for mail in mails) == ["jan@jansen.example", "kantoor@jansen.example"]
    mail = mail_server.inbox.to("kantoor@jansen.example")[0]
    assert mail["Subject"] == "Voicemail voor Loodgietersbedrijf Jansen van 06 11 11 22 22"
    assert mail["From"] == "Greetline <voicemail@greetline.test>"
    assert mail["Message-ID"].startswith(f"<voicemail.{sid}.")
    body = mail.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Terugbellen: tel:+31611112222" in text
    assert "Tijd: 24-11-2026 10:15" in text and "Duur: 1 min 14 s" in text
    assert "Route: na 4 keer overgaan" in text
    assert f"https://greetline.test/admin/messages/{sid}" in text
    attachments = list(mail.iter_attachments())
    assert [a.get_content_type() for a in attachments] == ["audio/mpeg"]
    assert attachments[0].get_filename() == "voicemail-2026-11-24-1015.mp3"
    assert attachments[0].get_content() == voicemail_mp3()
    # One text, from the business's own number, naming the business, the caller and the time.
    assert len(twilio_api.texts) == 1
    text_message = twilio_api.texts[0]
    assert (text_message["To"], text_message["From"]) == ("+31687654321", BUSINESS_NUMBER)
    assert "Loodgietersbedrijf Jansen van 06 11 11 22 22 om 24-11-2026 10:15" in text_message["Body"]
    # Our copy is private (not under the media directory) and Twilio's was fetched once, not deleted.
    assert (after_call_settings.voicemail_dir / f"{sid}.mp3").read_bytes() == voicemail_mp3()
    assert not list(Path(after_call_settings.media_dir).glob(f"**/{sid}*"))
    assert twilio_api.fetched == [sid] and twilio_api.deleted == []
    assert worker(after_call_settings, database, clock).run_due() == 0


def test_twilio_copy_is_deleted_once_ours_is_stored(
    app: FastAPI, client: TwilioLikeClient, after_call_settings: Settings, database: Database, twilio_api: FakeTwilio
) -> None:
    sid = leave_message(app, client, twilio_api)
    settings = after_call_settings.model_copy(update={"twilio_delete_recordings": True})
    worker(settings, database, Clock()).run_due()
    assert twilio_api.deleted == [sid] and sid not in twilio_api.recordings
    assert (settings.voicemail_dir / f"{sid}.mp3").exists()


def test_mail_server_down_then_up_delivers_each_mail_once(
    app: FastAPI,
    client: TwilioLikeClient,
    after_call_settings: Settings,
    database: Database,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
) -> None:
    sid = leave_message(app, client, twilio_api)
    mail_server.stop()
    clock = Clock()
    the_worker = worker(after_call_settings, database, clock)
    assert the_worker.run_due() == 4
    with database.transaction() as session:
        found = {job.kind + ":" + job.state for job in jobs.for_subject(session, sid)}
        errors = [job.last_error for job in jobs.for_subject(session, sid) if job.state == "pending"]
    assert found == {"keep-recording:done", "voicemail-email:pending", "voicemail-sms:done"}
    assert len(errors) == 2 and all(errors)
    mail_server.start()
    clock.advance(5)
    assert the_worker.run_due() == 2
    assert len(mail_server.inbox.wait_for(2)) == 2
    clock.advance(3600)
    assert the_worker.run_due() == 0
    assert len(mail_server.inbox.messages) == 2 and len(twilio_api.texts) == 1


def test_recordings_are_fetched_only_from_the_configured_api(twilio_api: FakeTwilio) -> None:
    fetcher = TwilioRecordings(ACCOUNT_SID, AUTH_TOKEN, twilio_api.base_url)
    sid = recording_sid()
    with pytest.raises(ForeignRecordingHost, match="not on GREETLINE_TWILIO_API_URL"):
        fetcher.fetch(f"http://localhost:{twilio_api.base_url.rsplit(':', 1)[1]}/Recordings/{sid}")
    assert twilio_api.fetched == []
    url = twilio_api.add_recording(sid, call_sid())
    assert fetcher.fetch(url) == voicemail_mp3()
    wrong = TwilioRecordings(ACCOUNT_SID, "not-the-token", twilio_api.base_url)
    with pytest.raises(Exception, match="401"):
        wrong.fetch(url)
    assert twilio_api.refused_auth == 1


def test_a_recording_whose_callback_never_came_is_taken_in_by_the_reconciler(
    app: FastAPI,
    client: TwilioLikeClient,
    after_call_settings: Settings,
    database: Database,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
) -> None:
    call = call_reaches_nobody(app, client, "+31611112222")
    sid = recording_sid()
    twilio_api.add_recording(sid, call)  # recorded at Twilio, but neither webhook ever reached us
    twilio_api.add_recording(recording_sid(), call_sid())  # and one of a call we never saw: left alone
    clock = Clock()
    the_worker = worker(after_call_settings, database, clock)
    assert the_worker.run_schedules() == 3  # the reconciliation, the calls' recovery, the day's retention
    the_worker.run_due()
    mails = mail_server.inbox.wait_for(2)
    assert sorted(mail["To"] for mail in mails) == ["jan@jansen.example", "kantoor@jansen.example"]
    assert mails[0]["Subject"] == "Voicemail voor Loodgietersbedrijf Jansen van 06 11 11 22 22"
    assert twilio_api.wait_for_texts(1) == 1
    clock.advance(300)  # the next reconciliation finds nothing new
    assert the_worker.run_schedules() == 2
    the_worker.run_due()
    assert len(mail_server.inbox.messages) == 2 and len(twilio_api.texts) == 1


@pytest.mark.parametrize(
    ("path", "box"),
    [
        (["welcome", "operators:no-answer>overflow:voicemail"], "overflow"),
        (["welcome+menu", "menu:2"], "menu:2"),
        (["welcome+menu", "menu:wrong:9", "menu:2"], "menu:2"),
        (["welcome+menu", "menu:1", "option:busy>overflow:voicemail"], "overflow"),
        (["closed:hours"], "closed"),
        (["period:2026-12-24"], "period:2026-12-24"),
        # A closed number nobody answered, then its part's box.
        (["period:2026-12-24", "closed:no-answer>voicemail:period:2026-12-24"], "period:2026-12-24"),
        (["closed:hours", "emergency:1", "emergency:busy>voicemail:closed"], "closed"),
        (["welcome", "operators:completed"], None),
    ],
)
def test_box_from_the_call_path(path: list[str], box: str | None) -> None:
    assert box_from_path(path) == box


def test_a_call_that_reached_nobody_and_left_nothing_gets_a_note_a_message_does_not(
    app: FastAPI,
    client: TwilioLikeClient,
    after_call_settings: Settings,
    database: Database,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
) -> None:
    hung_up = call_reaches_nobody(app, client, "+31611112222")  # hangs up at the beep, says nothing
    leave_message(app, client, twilio_api, caller="+31633334444")
    with_message = next(iter(twilio_api.recordings.values())).call_sid
    for call in (hung_up, with_message):
        ended = {"CallSid": call, "To": BUSINESS_NUMBER, "CallStatus": "completed", "CallDuration": "40"}
        client.post("/twilio/status", ended)
    app.state.services.call_log.flush()
    clock = Clock()
    the_worker = worker(after_call_settings, database, clock)
    clock.advance(59)  # the recording callback may still be on its way: not yet
    the_worker.run_due()
    assert [m["Subject"] for m in mail_server.inbox.messages if "Gemiste" in m["Subject"]] == []
    clock.advance(1)
    the_worker.run_due()
    notes = [m for m in mail_server.inbox.wait_for(3) if m["Subject"].startswith("Gemiste oproep")]
    assert [(m["To"], m["Subject"]) for m in notes] == [
        ("kantoor@jansen.example", "Gemiste oproep voor Loodgietersbedrijf Jansen van 06 11 11 22 22")
    ]
    body = notes[0].get_body(("plain",))
    assert body is not None and "tel:+31611112222" in body.get_content()


def test_daily_summary_goes_at_its_local_time_across_the_dst_change(
    after_call_settings: Settings, database: Database, mail_server: MailServer
) -> None:
    clock = Clock()
    # Without a Twilio account there is no reconciling, so the only scheduled work is the summary and the retention.
    the_worker = worker(after_call_settings.model_copy(update={"twilio_account_sid": None}), database, clock)
    # Saturday 24 October 2026, summer time (UTC+2): 17:30 in Amsterdam is 15:30 UTC.
    clock.now = datetime(2026, 10, 24, 15, 29, tzinfo=UTC)
    assert the_worker.run_schedules() == 1  # the day's retention
    clock.advance(60)
    assert the_worker.run_schedules() == 1
    assert the_worker.run_schedules() == 0  # once a day, however often the schedule looks
    the_worker.run_due()
    # Sunday 25 October, winter time again (UTC+1): 17:30 is now 16:30 UTC.
    clock.now = datetime(2026, 10, 25, 16, 29, tzinfo=UTC)
    assert the_worker.run_schedules() == 1  # the day's retention
    clock.advance(60)
    assert the_worker.run_schedules() == 1
    the_worker.run_due()
    mails = mail_server.inbox.wait_for(2)
    assert [m["Subject"] for m in mails] == [
        "Oproepen voor Loodgietersbedrijf Jansen op 24-10-2026: 0",
        "Oproepen voor Loodgietersbedrijf Jansen op 25-10-2026: 0",
    ]
    body = mails[0].get_body(("plain",))
    assert body is not None and "Vandaag geen oproepen." in body.get_content()  # silence never hides a fault


def test_summary_command_lists_the_day(
    app: FastAPI,
    client: TwilioLikeClient,
    after_call_settings: Settings,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
) -> None:
    from datetime import date

    from ivr.cli.commands import send_summary
    from ivr.cli.runtime import runtime

    sid = leave_message(app, client, twilio_api)
    call_reaches_nobody(app, client, "+31655556666")
    with runtime(after_call_settings) as opened:
        day, addresses = send_summary(opened, BUSINESS_NUMBER, date(2026, 11, 24))
    assert (day, addresses) == ("2026-11-24", ["jan@jansen.example"])
    mail = mail_server.inbox.wait_for(1)[0]
    assert mail["Subject"] == "Oproepen voor Loodgietersbedrijf Jansen op 24-11-2026: 2"
    body = mail.get_body(("plain",))
    assert body is not None
    text = body.get_content().replace("\r\n", "\n")
    assert text.startswith("Oproepen: 2 · Aangenomen: 0 · Voicemail: 1 · Gemist: 1\n")
    assert (
        f"10:15 · 06 11 11 22 22 · na 4 keer overgaan · voicemail · https://greetline.test/admin/messages/{sid}" in text
    )
    assert "10:15 · 06 55 55 66 66 · na 4 keer overgaan · gemist" in text


def test_every_mail_has_an_rfc_5322_message_id_and_a_belgian_caller_is_written_internationally(
    app: FastAPI,
    client: TwilioLikeClient,
    after_call_settings: Settings,
    database: Database,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
) -> None:
    # A Dutch business: "0470 12 34 56" would dial a Dutch number, so a Belgian mobile is written internationally.
    hung_up = call_reaches_nobody(app, client, "+32470123456")
    leave_message(app, client, twilio_api, caller="+32470654321")
    with_message = next(iter(twilio_api.recordings.values())).call_sid
    for call in (hung_up, with_message):
        client.post("/twilio/status", {"CallSid": call, "To": BUSINESS_NUMBER, "CallStatus": "completed"})
    app.state.services.call_log.flush()
    clock = Clock()
    clock.advance(60)
    worker(after_call_settings, database, clock).run_due()
    # 17:30 in Amsterdam (winter time, UTC+1): the day's summary.
    clock.now = datetime(2026, 11, 24, 16, 30, tzinfo=UTC)
    summary_worker = worker(after_call_settings.model_copy(update={"twilio_account_sid": None}), database, clock)
    assert summary_worker.run_schedules() == 2  # the summary and the day's retention
    summary_worker.run_due()
    mails = mail_server.inbox.wait_for(4)
    subjects = sorted(str(mail["Subject"]) for mail in mails)
    assert subjects == [
        "Gemiste oproep voor Loodgietersbedrijf Jansen van +32 470 12 34 56",
        "Oproepen voor Loodgietersbedrijf Jansen op 24-11-2026: 2",
        "Voicemail voor Loodgietersbedrijf Jansen van +32 470 65 43 21",
        "Voicemail voor Loodgietersbedrijf Jansen van +32 470 65 43 21",
    ]
    summary = next(mail for mail in mails if str(mail["Subject"]).startswith("Oproepen"))
    body = summary.get_body(("plain",))
    assert body is not None and "10:15 · +32 470 12 34 56 · " in body.get_content()
    # A long id is folded onto its own line (RFC 5322 allows folding white space before a msg-id).
    ids = [str(mail["Message-ID"]).strip() for mail in mails]
    for found in ids:
        assert_valid_msg_id(found)
    assert str(summary["Message-ID"]).strip().startswith("<summary.2026-11-24.") and len(set(ids)) == 4


def test_simulated_calls_get_no_missed_call_note_and_the_reconciler_leaves_their_recordings(
    app: FastAPI,
    client: TwilioLikeClient,
    after_call_settings: Settings,
    database: Database,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
) -> None:
    with_message, without = call_sid(), call_sid()
    for call in (with_message, without):
        form = {"CallSid": call, "From": "+31611112222", "To": BUSINESS_NUMBER, SIMULATED_CALL_FIELD: "1"}
        client.post("/twilio/voice", form)
        client.post("/twilio/dial-ended?stage=operators", {**form, "DialCallStatus": "no-answer"})
        client.post("/twilio/status", {**form, "CallStatus": "completed", "CallDuration": "40"})
    app.state.services.call_log.flush()
    twilio_api.add_recording(recording_sid(), with_message)  # at Twilio (as if a real recording were made)
    with database.transaction() as session:  # a missed-call check as an older version queued one
        jobs.enqueue(session, [missed_call_check(without, 1, NOW)], NOW)
    clock = Clock()
    clock.advance(120)
    the_worker = worker(after_call_settings, database, clock)
    assert the_worker.run_schedules() == 3
    # The reconciliation, the calls' recovery, the retention and the missed-call check, none finding anything to send.
    assert the_worker.run_due() == 4
    assert mail_server.inbox.messages == [] and twilio_api.texts == []
