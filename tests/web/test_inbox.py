"""The inbox over real HTTP: messages left the real way, listed and shown in Dutch with their deliveries, the
audio served only to the business's own staff and API key, and marking a message handled."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ivr.messages.inbox import Delivery, DeliveryState, delivery
from ivr.settings import Settings
from ivr.store import audit
from ivr.store.jobs import JobStatus
from ivr.store.keys import SHOWN_PREFIX_LENGTH
from tests.fakes.smtp import MailServer
from tests.fakes.twilio_api import FakeTwilio, voicemail_mp3
from tests.web.inbox_setup import EMAIL, NOW, OTHER_EMAIL, Inbox, inbox_server, log_in

pytest_plugins = ["tests.fakes.twilio_api", "tests.fakes.smtp"]


@pytest.fixture
def inbox(
    settings: Settings, demo_text: str, mail_server: MailServer, twilio_api: FakeTwilio, tmp_path: Path
) -> Iterator[Inbox]:
    with inbox_server(settings, demo_text, mail_server, twilio_api, tmp_path) as served:
        yield served


@pytest.fixture
def staff(inbox: Inbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=inbox.url, timeout=30) as http:
        yield http


def test_the_list_and_a_message_in_dutch(inbox: Inbox, staff: httpx.Client) -> None:
    sid = inbox.leave_message("+31611112222", duration_s=74)
    inbox.clock.advance(60)
    assert inbox.run_worker() == 4  # our copy, two e-mails, one text
    log_in(staff)
    for path in ["/admin/messages", f"/admin/messages/{sid}"]:
        page = staff.get(path)
        assert page.status_code == 200, path
        text = page.text
        assert '<a href="tel:+31611112222" translate="no">06 11 11 22 22</a>' in text, path
        assert "24-11-2026, 10:15" in text  # received, in Amsterdam
        assert "<td>74 s</td>" in text
        assert "<td>na 4 keer overgaan</td>" in text
        assert "<td>nog niet</td>" in text and "Markeer als afgehandeld" in text
        assert f'<audio controls preload="metadata" src="/admin/messages/{sid}.mp3"' in text
        assert f'href="/admin/messages/{sid}.mp3?download=1" download>Downloaden (MP3)' in text
        deliveries = text.split('class="deliveries"', 1)[1]
        for to in ("kantoor@jansen.example", "jan@jansen.example", "06 87 65 43 21"):
            assert f'<td translate="no">{to}</td>' in deliveries, to
        assert deliveries.count("verstuurd om 24-11-2026, 10:16") == 3
        assert deliveries.count("<td>e-mail</td>") == 2 and deliveries.count("<td>sms</td>") == 1
    assert 'aria-current="page">Berichten</a>' in staff.get("/admin/messages").text


def test_the_newest_message_comes_first_and_a_menu_box_says_its_option(inbox: Inbox, staff: httpx.Client) -> None:
    first = inbox.leave_message("+31611112222")
    inbox.clock.advance(3600)
    call = {"CallSid": "CA" + "ab" * 16, "From": "+31201110000", "To": "+31201234567"}
    second = "RE" + "cd" * 16
    url = inbox.fake_twilio.add_recording(second, call["CallSid"])
    form = {**call, "RecordingSid": second, "RecordingUrl": url, "RecordingDuration": "9"}
    assert inbox.twilio.post(f"/twilio/recording?business={inbox.business_id}&box=menu:2", form).status_code == 201
    log_in(staff)
    text = staff.get("/admin/messages").text
    assert text.index(second) < text.index(first)
    assert '<td>menu: toets 2 \u2013 <span translate="no">voor offertes</span></td>' in text
    # Not fetched yet: no player, a note saying why, and the delivery waiting.
    assert "De opname staat hier nog niet" in text and "wacht op verzending" in text
    assert staff.get(f"/admin/messages/{second}.mp3").status_code == 404


def test_the_audio_is_served_to_the_business_staff_only(inbox: Inbox, staff: httpx.Client) -> None:
    sid = inbox.leave_message()
    inbox.run_worker()
    assert staff.get(f"/admin/messages/{sid}.mp3").headers["location"] == "/admin/login"  # not logged in
    log_in(staff)
    audio = staff.get(f"/admin/messages/{sid}.mp3")
    assert audio.status_code == 200 and audio.content == voicemail_mp3()
    assert audio.headers["content-type"] == "audio/mpeg"
    assert audio.headers["cache-control"] == "private, no-store"
    download = staff.get(f"/admin/messages/{sid}.mp3", params={"download": "1"})
    assert download.headers["content-disposition"] == 'attachment; filename="voicemail-2026-11-24-1015.mp3"'
    assert staff.get(f"/media/{sid}.mp3").status_code == 404  # never public
    with httpx.Client(base_url=inbox.url, timeout=30) as other:
        log_in(other, OTHER_EMAIL)
        assert other.get(f"/admin/messages/{sid}.mp3").status_code == 404
        assert other.get(f"/admin/messages/{sid}").status_code == 404
        assert sid not in other.get("/admin/messages").text
        token = log_in(other, OTHER_EMAIL)
        assert other.post(f"/admin/messages/{sid}/handled", data={"csrf": token}).status_code == 404
    assert staff.get("/admin/messages/not-a-sid.mp3").status_code == 404
    # Who listened to what is in the business's audit trail (issue 24); the refused tries are not acts.
    with inbox.database.transaction() as session:
        heard = [(e.action, e.actor, e.details) for e in audit.events(session, inbox.business_id)]
    assert [entry for entry in heard if entry[0].startswith("voicemail_")] == [
        ("voicemail_downloaded", EMAIL, {"recording": sid}),
        ("voicemail_played", EMAIL, {"recording": sid}),
    ]


def test_mark_handled(inbox: Inbox, staff: httpx.Client) -> None:
    sid = inbox.leave_message()
    token = log_in(staff)
    assert staff.post(f"/admin/messages/{sid}/handled", data={"csrf": "forged"}).status_code == 403
    inbox.clock.advance(600)
    done = staff.post(f"/admin/messages/{sid}/handled", data={"csrf": token, "back": "message"})
    assert (done.status_code, done.headers["location"]) == (303, f"/admin/messages/{sid}")
    page = staff.get(f"/admin/messages/{sid}").text
    assert "<td>ja, om 24-11-2026, 10:25</td>" in page and "Markeer als afgehandeld" not in page
    listed = staff.get(f"/api/v1/businesses/{inbox.business_id}/voicemails", headers=_key(inbox.key)).json()
    assert [(v["recording_sid"], v["handled"]) for v in listed] == [(sid, True)]


def test_retrying_then_failed_deliveries_say_when_and_why(
    inbox: Inbox, staff: httpx.Client, mail_server: MailServer
) -> None:
    sid = inbox.leave_message()
    mail_server.stop()
    inbox.run_worker()
    log_in(staff)
    text = staff.get(f"/admin/messages/{sid}").text
    assert text.count("1 poging mislukt; opnieuw om 24-11-2026, 10:15") == 2  # the two e-mails
    assert text.count("Reden:") == 2 and "verstuurd om" in text  # the text went out
    inbox.clock.advance(25 * 3600)
    inbox.run_worker()
    text = staff.get(f"/admin/messages/{sid}").text
    assert text.count("mislukt om 25-11-2026, 11:15; opgegeven") == 2
    # Why, in Dutch; what the mail connection itself answered follows as it is, marked as not to be translated.
    reason = 'Reden: De mail- of sms-dienst nam het niet aan. <span translate="no">([Errno 111] Connection refused)'
    assert text.count(reason) == 2
    assert "gave up after" not in text


def test_a_delivery_refused_for_a_damaged_recording_says_why_in_dutch(inbox: Inbox, staff: httpx.Client) -> None:
    sid = inbox.leave_message()
    stored = inbox.fake_twilio.recordings[sid]
    stored.audio = b"<html>an error page, not audio</html>" * 8  # what a proxy in between might answer
    inbox.run_worker()
    log_in(staff)
    text = staff.get(f"/admin/messages/{sid}").text
    damaged = "Reden: De opname die de telefoondienst stuurde is beschadigd: geen MP3-bestand."
    assert text.count(damaged) == 2  # the two e-mails, which attach the recording
    assert "not an MP3" not in text and "the recording is" not in text
    # The API keeps the English line for its readers.
    [listed] = staff.get(f"/api/v1/businesses/{inbox.business_id}/voicemails", headers=_key(inbox.key)).json()
    errors = [d["error"] for d in listed["deliveries"] if d["error"]]
    assert len(errors) == 2 and all("the recording is not an MP3" in error for error in errors)


def _key(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_the_api_serves_the_audio_and_the_deliveries_to_the_business_key(inbox: Inbox, staff: httpx.Client) -> None:
    sid = inbox.leave_message()
    inbox.run_worker()
    base = f"/api/v1/businesses/{inbox.business_id}/voicemails"
    audio = staff.get(f"{base}/{sid}/audio", headers=_key(inbox.key))
    assert audio.status_code == 200 and audio.content == voicemail_mp3()
    assert audio.headers["cache-control"] == "private, no-store"
    with inbox.database.transaction() as session:
        (played,) = audit.events(session, inbox.business_id, limit=1)
    assert (played.action, played.actor, played.details) == (
        "voicemail_played",
        f"api:{inbox.key[:SHOWN_PREFIX_LENGTH]}",
        {"recording": sid},
    )
    assert staff.get(f"{base}/{sid}/audio").status_code == 401
    assert staff.get(f"{base}/{sid}/audio", headers=_key(inbox.other_key)).status_code == 404
    # Another business's own path does not reach this message either.
    other = f"/api/v1/businesses/{inbox.other_id}/voicemails/{sid}/audio"
    assert staff.get(other, headers=_key(inbox.other_key)).status_code == 404
    [listed] = staff.get(base, headers=_key(inbox.key)).json()
    assert listed["caller"] == "+31611112222" and listed["box"] == "overflow"
    assert listed["audio_url"] == f"http://greetline.test{base}/{sid}/audio"
    assert sorted((d["channel"], d["to"], d["state"]) for d in listed["deliveries"]) == [
        ("email", "jan@jansen.example", "sent"),
        ("email", "kantoor@jansen.example", "sent"),
        ("sms", "+31687654321", "sent"),
    ]


WHEN = NOW


def _job(kind: str, state: str, attempts: int, error: str | None = None) -> JobStatus:
    return JobStatus(
        "k", kind, {"address": "a@b.example", "number": "+31687654321"}, state, attempts, WHEN, error, None
    )


@pytest.mark.parametrize(
    ("job", "expected"),
    [
        (
            _job("voicemail-email", "pending", 0),
            Delivery("email", "a@b.example", DeliveryState.WAITING, 0, WHEN, None, None),
        ),
        (
            _job("voicemail-sms", "pending", 2, "503"),
            Delivery("sms", "+31687654321", DeliveryState.RETRYING, 2, WHEN, None, "503"),
        ),
        (
            _job("voicemail-email", "running", 1, "x"),
            Delivery("email", "a@b.example", DeliveryState.SENDING, 1, None, None, None),
        ),
        (_job("voicemail-email", "done", 1), Delivery("email", "a@b.example", DeliveryState.SENT, 1, None, None, None)),
        (
            _job("voicemail-sms", "failed", 9, "no"),
            Delivery("sms", "+31687654321", DeliveryState.FAILED, 9, None, None, "no"),
        ),
        (_job("keep-recording", "done", 1), None),
    ],
)
def test_how_a_delivery_job_stands(job: JobStatus, expected: Delivery | None) -> None:
    assert delivery(job) == expected
