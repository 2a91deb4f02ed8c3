"""Blocked numbers: "Blokkeer dit nummer" on the calls page and on a message, and in the API, each undoable; a blocked
caller hears the short closed text, reaches nobody, gets no missed-call note, and is logged as blocked."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from ivr.messages.delivery import make_worker
from ivr.settings import Settings
from ivr.store import businesses, calls, jobs
from tests.fakes.smtp import MailServer
from tests.fakes.twilio_api import FakeTwilio
from tests.messages.documents import BUSINESS_NUMBER, call_sid
from tests.web.inbox_setup import Inbox, inbox_server, log_in

pytest_plugins = ["tests.fakes.twilio_api", "tests.fakes.smtp"]

CALLER = "+31611112222"


@pytest.fixture
def inbox(
    settings: Settings, demo_text: str, mail_server: MailServer, twilio_api: FakeTwilio, tmp_path: Path
) -> Iterator[Inbox]:
    with inbox_server(settings, demo_text, mail_server, twilio_api, tmp_path) as served:
        yield served


def call_in(inbox: Inbox, caller: str = CALLER) -> tuple[str, str]:
    call = {"CallSid": call_sid(), "From": caller, "To": BUSINESS_NUMBER}
    answer = inbox.twilio.post("/twilio/voice", call).text
    inbox.twilio.post("/twilio/status", {**call, "CallStatus": "completed", "CallDuration": "4"})
    inbox.app.state.services.call_log.flush()
    return call["CallSid"], answer


def blocked_list(inbox: Inbox) -> list[str]:
    with inbox.database.transaction() as session:
        return list(businesses.get(session, inbox.business_id).document.get("blocked", []))


def test_the_api_blocks_a_number_the_caller_hears_the_closed_text_and_unblocking_undoes_it(inbox: Inbox) -> None:
    auth = {"Authorization": f"Bearer {inbox.key}"}
    http = inbox.twilio.http
    assert http.put(f"/api/v1/businesses/{inbox.business_id}/blocked/0611112222", headers=auth).status_code == 204
    assert blocked_list(inbox) == [CALLER]
    # Twice is once.
    assert http.put(f"/api/v1/businesses/{inbox.business_id}/blocked/{CALLER}", headers=auth).status_code == 204
    assert blocked_list(inbox) == [CALLER]
    sid, answer = call_in(inbox)
    assert "Wij zijn nu gesloten. Tot ziens.</Say><Hangup /></Response>" in answer and "<Dial" not in answer
    with inbox.database.transaction() as session:
        logged = calls.get(session, sid)
    assert logged is not None and logged.outcome == "blocked" and logged.path == ["blocked"]
    # No missed-call note for a blocked caller, though the business asks for notes of calls that reached nobody.
    inbox.clock.advance(120)
    make_worker(inbox.settings, inbox.database, inbox.clock).run_due()
    with inbox.database.transaction() as session:
        assert not [job for job in jobs.for_subject(session, sid) if job.kind == "missed-call-email"]
    # Another business's key cannot, and a bad number is refused with why.
    other = {"Authorization": f"Bearer {inbox.other_key}"}
    assert http.delete(f"/api/v1/businesses/{inbox.business_id}/blocked/{CALLER}", headers=other).status_code == 404
    refused = http.put(f"/api/v1/businesses/{inbox.business_id}/blocked/12", headers=auth)
    assert refused.status_code == 422
    assert http.delete(f"/api/v1/businesses/{inbox.business_id}/blocked/{CALLER}", headers=auth).status_code == 204
    assert blocked_list(inbox) == []
    assert "<Dial" in call_in(inbox)[1]


def test_block_this_number_on_the_calls_page_and_on_a_message_and_undo(inbox: Inbox) -> None:
    http = inbox.twilio.http
    call_in(inbox)
    csrf = log_in(http)
    page = http.get("/admin/calls").text
    assert "Blokkeer dit nummer" in page
    answer = http.post("/admin/blocked", data={"csrf": csrf, "number": CALLER, "back": "/admin/calls"})
    assert answer.status_code == 303 and answer.headers["location"] == "/admin/calls"
    assert blocked_list(inbox) == [CALLER]
    page = http.get("/admin/calls").text
    assert "Geblokkeerd" in page and "Deblokkeer" in page
    http.post("/admin/blocked", data={"csrf": csrf, "number": CALLER, "blocked": "false", "back": "/admin/messages"})
    assert blocked_list(inbox) == []
    inbox.leave_message(caller="+31633334444")
    assert "Blokkeer dit nummer" in http.get("/admin/messages").text
    away = http.post(
        "/admin/blocked", data={"csrf": csrf, "number": "+31633334444", "back": "https://elsewhere.example"}
    )
    assert away.headers["location"] == "/admin/calls" and blocked_list(inbox) == ["+31633334444"]
