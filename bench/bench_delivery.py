"""Benchmark: voicemail delivery. (1) Workers SIGKILLed mid-queue and restarted: deliveries tried, delivered,
duplicated. (2) Time from the recording status callback (a real HTTP POST to the app, the worker embedded as in
`greetline serve`) to the e-mail accepted by a real SMTP server (aiosmtpd on 127.0.0.1); Twilio's REST API is the
local fake from tests/fakes (it serves the MP3 the mail carries).

Run: `python -m bench.bench_delivery` (or `make bench`).
"""

import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from ivr.jobs.embedded import WorkerThread
from ivr.messages.delivery import make_worker
from ivr.settings import Settings
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.web.app import create_app
from ivr.web.services import utc_now
from tests.conftest import PUBLIC_URL
from tests.fakes.smtp import running_mail_server
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, running_twilio_api
from tests.messages.documents import BUSINESS_NUMBER, apply_after_call_document, call_sid, recording_sid
from tests.messages.killing import kill_mid_queue
from tests.twilio_client import twilio_client

KILL_RUNS = 3
KILL_MESSAGES = 50
# A mail server that takes 20 ms per message, so kills land mid-queue.
MAIL_LATENCY_S = 0.02
LATENCY_MESSAGES = 200
SPACED_MESSAGES = 50
WAIT_S = 300.0


def killed_runs() -> list[dict[str, float | str]]:
    rows: list[dict[str, float | str]] = []
    for run in range(KILL_RUNS):
        with (
            tempfile.TemporaryDirectory() as scratch,
            running_mail_server(MAIL_LATENCY_S) as mail,
            running_twilio_api() as twilio,
        ):
            result = kill_mid_queue(f"sqlite:///{scratch}/bench.db", mail, twilio, Path(scratch), KILL_MESSAGES)
        rows.append(
            {
                "run": str(run + 1),
                "mails expected": result.mails_expected,
                "mails sent before the kill": result.received_before_kill,
                "mails received": result.mails_received,
                "distinct Message-IDs": result.distinct_message_ids,
                "missing": result.missing,
                "duplicated": result.duplicates,
                "texts (expected)": f"{result.texts} ({KILL_MESSAGES})",
            }
        )
    return rows


def latency(messages: int, spaced: bool) -> dict[str, float]:
    """Each mail's arrival minus its callback's start; `spaced`: the next callback only once the last's mails are in
    (the time one message takes), else all posted back to back (a burst: the queue's depth adds up)."""
    with tempfile.TemporaryDirectory() as scratch, running_mail_server() as mail, running_twilio_api() as twilio:
        url = f"sqlite:///{scratch}/bench.db"
        upgrade(url)
        settings = Settings(
            database_url=url,
            public_url=PUBLIC_URL,
            twilio_auth_token=AUTH_TOKEN,
            twilio_account_sid=ACCOUNT_SID,
            twilio_api_url=twilio.base_url,
            smtp_url=mail.url,
            voicemail_dir=Path(scratch) / "voicemail",
            media_dir=Path(scratch) / "media",
            embedded_worker=False,
        )
        database = Database(url)
        business_id = apply_after_call_document(database, utc_now())
        worker = WorkerThread(make_worker(settings, database, utc_now), poll_s=1.0, schedule_every_s=3600)
        app = create_app(settings, database=database)
        # As inside `greetline serve`: a stored message wakes the worker at once.
        app.state.services = replace(app.state.services, jobs_waiting=worker.wake.set)
        posted: dict[str, float] = {}
        worker.start()
        with twilio_client(app) as client:
            for number in range(messages):
                sid, call = recording_sid(), call_sid()
                form = {
                    "CallSid": call,
                    "To": BUSINESS_NUMBER,
                    "From": "+31611112222",
                    "RecordingSid": sid,
                    "RecordingUrl": twilio.add_recording(sid, call),
                    "RecordingDuration": "20",
                }
                posted[sid] = time.monotonic()
                client.post(f"/twilio/recording?business={business_id}&box=overflow", form)
                if spaced:
                    mail.inbox.wait_for((number + 1) * 2, WAIT_S)
            mail.inbox.wait_for(messages * 2, WAIT_S)
        worker.stop(30.0)
        database.dispose()
        delays = sorted(
            (arrived - posted[str(message["Message-ID"]).split(".")[1]]) * 1000
            for message, arrived in zip(mail.inbox.messages, mail.inbox.arrived_at, strict=True)
        )
    return {
        "mails": len(delays),
        "p50_ms": statistics.median(delays),
        "p99_ms": delays[max(0, int(len(delays) * 0.99) - 1)],
        "max_ms": delays[-1],
    }


def main() -> dict[str, object]:
    return {
        "killed": killed_runs(),
        "spaced": latency(SPACED_MESSAGES, spaced=True),
        "latency": latency(LATENCY_MESSAGES, spaced=False),
    }


def report(results: dict[str, object]) -> str:
    killed = results["killed"]
    timing, spaced = results["latency"], results["spaced"]
    assert isinstance(killed, list) and isinstance(timing, dict) and isinstance(spaced, dict)
    header = list(killed[0])
    lines = [
        f"Workers (`greetline worker` subprocesses) SIGKILLed after a fifth of {KILL_MESSAGES} messages "
        f"(2 e-mails + 1 text each), then restarted; SQLite; mail server accepting in {MAIL_LATENCY_S * 1000:.0f} ms.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(str(row[key]) for key in header) + " |" for row in killed),
        "",
        "Callback to e-mail (recording status callback over HTTP, worker embedded and woken by the callback, "
        "MP3 fetched from the fake Twilio API, each e-mail accepted by aiosmtpd):",
        "",
        "| callbacks | e-mails | p50 (ms) | p99 (ms) | max (ms) |",
        "|---|---|---|---|---|",
        f"| {SPACED_MESSAGES}, one at a time | {spaced['mails']} | {spaced['p50_ms']:.0f} | {spaced['p99_ms']:.0f} "
        f"| {spaced['max_ms']:.0f} |",
        f"| {LATENCY_MESSAGES} back to back | {timing['mails']} | {timing['p50_ms']:.0f} | {timing['p99_ms']:.0f} "
        f"| {timing['max_ms']:.0f} |",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(main()))
    sys.exit(0)
