"""A queue of messages delivered by `greetline worker` subprocesses, one of them killed with SIGKILL mid-queue.
Shared by the test and the benchmark (bench/bench_delivery.py)."""

import os
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ivr.callflow.model import Voicemail
from ivr.messages.intake import take_in
from ivr.messages.outbox import LeftMessage
from ivr.store import jobs
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from tests.fakes.smtp import MailServer
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.messages.documents import apply_after_call_document, call_sid, recording_sid

BOX = Voicemail(("kantoor@jansen.example", "jan@jansen.example"), ("+31687654321",), "overflow")
# Generous bounds for a shared, slow machine; they only stop a test that would otherwise hang.
WAIT_S = 120.0
EXIT_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class KillResult:
    messages: int
    mails_expected: int
    mails_received: int
    distinct_message_ids: int
    missing: int
    duplicates: int
    texts: int
    job_states: dict[str, int]
    received_before_kill: int


def environment(database_url: str, mail: MailServer, twilio: FakeTwilio, voicemail_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "GREETLINE_DATABASE_URL": database_url,
        "GREETLINE_SMTP_URL": mail.url,
        "GREETLINE_TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "GREETLINE_TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "GREETLINE_TWILIO_API_URL": twilio.base_url,
        "GREETLINE_VOICEMAIL_DIR": str(voicemail_dir),
        "GREETLINE_PUBLIC_URL": "https://greetline.test",
        # A killed worker's jobs are taken up again this soon after it died.
        "GREETLINE_JOB_LEASE_S": "2",
        "GREETLINE_JOB_POLL_S": "0.2",
    }


def queue_messages(database: Database, twilio: FakeTwilio, count: int) -> list[str]:
    now = datetime.now(UTC)
    business_id = apply_after_call_document(database, now, daily_summary=False)
    sids = []
    for _ in range(count):
        sid, call = recording_sid(), call_sid()
        url = twilio.add_recording(sid, call)
        take_in(database, LeftMessage(sid, call, business_id, "overflow", url, 30, "+31611112222"), BOX, "x.test", now)
        sids.append(sid)
    return sids


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "ivr", "worker"], env=env, stderr=subprocess.DEVNULL)


def kill_mid_queue(database_url: str, mail: MailServer, twilio: FakeTwilio, work_dir: Path, count: int) -> KillResult:
    """Queue `count` messages, start a worker, SIGKILL it after a fifth of the mails, start another, let it finish."""
    upgrade(database_url)
    database = Database(database_url)
    try:
        queue_messages(database, twilio, count)
        expected = count * len(BOX.emails)
        env = environment(database_url, mail, twilio, work_dir / "voicemail")
        first = start_worker(env)
        received_before_kill = len(mail.inbox.wait_for(max(1, expected // 5), WAIT_S))
        first.send_signal(signal.SIGKILL)
        first.wait(EXIT_TIMEOUT_S)
        second = start_worker(env)
        mail.inbox.wait_for(expected, WAIT_S)
        twilio.wait_for_texts(count, WAIT_S)
        second.send_signal(signal.SIGTERM)  # finishes the job in hand, stores its outcome, exits
        second.wait(EXIT_TIMEOUT_S)
        with database.transaction() as session:
            states = jobs.counts(session)
    finally:
        database.dispose()
    ids = Counter(message["Message-ID"] for message in mail.inbox.messages)
    return KillResult(
        messages=count,
        mails_expected=expected,
        mails_received=len(mail.inbox.messages),
        distinct_message_ids=len(ids),
        missing=expected - len(ids),
        duplicates=sum(n - 1 for n in ids.values()),
        texts=len(twilio.texts),
        job_states=states,
        received_before_kill=received_before_kill,
    )
