"""Every Message-ID we make is an RFC 5322 msg-id, and the same message to the same address keeps its id."""

import pytest

from ivr.callflow.model import Voicemail
from ivr.messages.outbox import LeftMessage, message_domain, message_id, voicemail_jobs
from tests.messages.message_ids import assert_valid_msg_id

RECORDING = "RE" + "a" * 32
CALL = "CA" + "b" * 32


@pytest.mark.parametrize(
    ("kind", "subject"),
    [
        ("voicemail", RECORDING),
        ("missed", CALL),
        ("callnote", "NT0123456789abcdef"),
        # The daily summary's subject is its day, by the worker and by `greetline summary` alike.
        ("summary", "2026-12-08"),
        # Any text (colons, a zone) still makes a valid id.
        ("summary", "2026-12-08T16:30:00.123456+00:00"),
        ("odd kind", "a..b: c@d <e>"),
    ],
)
@pytest.mark.parametrize("public_url", ["https://greetline.test", "http://127.0.0.1:8000", "http://[::1]:8000", ""])
def test_every_message_id_is_an_rfc_5322_msg_id_and_stable(kind: str, subject: str, public_url: str) -> None:
    domain = message_domain(public_url)
    made = message_id(kind, subject, "Kantoor@Jansen.example", domain)
    assert_valid_msg_id(made)
    # Sent twice (a retry, a worker killed mid-send): the same id, so mail programs fold the copies.
    assert message_id(kind, subject, "kantoor@jansen.example", domain) == made
    assert message_id(kind, subject, "jan@jansen.example", domain) != made


def test_the_summary_id_keeps_its_day_and_the_voicemail_its_recording() -> None:
    assert message_id("summary", "2026-12-08", "a@b.example", "greetline.test").startswith("<summary.2026-12-08.")
    box = Voicemail(emails=("a@b.example",))
    message = LeftMessage(RECORDING, CALL, 1, "overflow", "https://api.twilio.com/x", 74)
    twice = [voicemail_jobs(message, box, "greetline.test") for _ in range(2)]
    ids = [[job.args["message_id"] for job in jobs if "message_id" in job.args] for jobs in twice]
    assert ids[0] == ids[1] and ids[0][0].startswith(f"<voicemail.{RECORDING}.")
