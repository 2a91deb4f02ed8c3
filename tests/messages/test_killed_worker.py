"""`greetline worker` as a real subprocess, killed with SIGKILL mid-queue and started again: every mail arrives,
and only a mail in flight at the kill can arrive twice (with the same Message-ID)."""

from pathlib import Path

from tests.fakes.smtp import running_mail_server
from tests.fakes.twilio_api import FakeTwilio
from tests.messages.killing import kill_mid_queue

pytest_plugins = ["tests.fakes.twilio_api"]
MESSAGES = 12
# Each accepted mail takes the server this long, so the kill lands while the queue is being worked.
MAIL_LATENCY_S = 0.05


def test_a_worker_killed_mid_queue_loses_nothing(sqlite_url: str, twilio_api: FakeTwilio, tmp_path: Path) -> None:
    with running_mail_server(MAIL_LATENCY_S) as mail:
        result = kill_mid_queue(sqlite_url, mail, twilio_api, tmp_path, MESSAGES)
    assert result.received_before_kill < result.mails_expected  # the kill came mid-queue
    assert result.missing == 0 and result.distinct_message_ids == result.mails_expected
    assert result.duplicates <= 1  # at most the one mail being sent when the worker died
    assert result.texts >= MESSAGES and result.texts <= MESSAGES + 1
    # Every delivery done (the worker's own reconciliation job is among them).
    assert set(result.job_states) == {"done"} and result.job_states["done"] >= MESSAGES * 4
