"""Benchmark: how long an office manager waits to put an outbreak notice live from a ready-made message, over real
HTTP to the served app (uvicorn on 127.0.0.1, SQLite, speech from espeak-ng, ffmpeg normalising it): fill the
template, see what callers would hear before saving (the week strip: five preview calls), save it (the page speaks
it at once), and the next call plays the spoken notice. The issue asks for under a minute, person included; this
is the machine's part of that minute.

Run: `python -m bench.bench_outbreak` (or `make bench`).
"""

import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx

from ivr.settings import Settings
from ivr.store import staff
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.conftest import DEMO_DOCUMENT, TEST_TOKEN
from tests.local_server import running_server
from tests.twilio_client import TwilioLikeClient

RUNS = 5
# A Tuesday morning in Amsterdam: the practice is open, so a call hears the information message.
TUESDAY_10 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
EMAIL, PASSWORD = "assistent@delinde.nl", "een-lang-wachtwoord"
# Plain http, so the session cookie is not marked Secure and the client sends it back.
PUBLIC_URL = "http://greetline.test"
STEPS = ("fill in the template", "preview unsaved (week strip)", "save (spoken at once)", "next call plays it")


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def _timed(step: Callable[[], httpx.Response]) -> tuple[float, httpx.Response]:
    start = time.monotonic()
    answer = step()
    return time.monotonic() - start, answer


def one_run(scratch: Path) -> dict[str, float]:
    """Seconds per step, each in a fresh business (a fresh speech cache: the notice is spoken for the first time)."""
    url = f"sqlite:///{scratch / 'bench.db'}"
    upgrade(url)
    settings = Settings(
        database_url=url,
        media_dir=scratch / "media",
        speech_cache_dir=scratch / "speech-cache",
        snapshot_path=scratch / "routing-snapshot.json",
        call_log_spill_path=scratch / "call-log-spill.jsonl",
        public_url=PUBLIC_URL,
        twilio_auth_token=TEST_TOKEN,
        tts_engines=("espeak",),  # Google's endpoint is outside this machine's network
        embedded_worker=False,
    )
    database = Database(url)
    business = apply_text(database, DEMO_DOCUMENT.read_text("utf-8"), TUESDAY_10).stored
    with database.transaction() as session:
        staff.set_login(session, business_id=business.id, email=EMAIL, password=PASSWORD, now=TUESDAY_10)
    database.dispose()
    app = create_app(settings, clock=lambda: TUESDAY_10)
    seconds: dict[str, float] = {}
    with running_server(app) as base, httpx.Client(base_url=base, timeout=120) as http:
        token = _csrf(http.get("/admin/login").text)
        http.post("/admin/login", data={"email": EMAIL, "password": PASSWORD, "csrf": token})
        token = _csrf(http.get("/admin/texts").text)
        seconds[STEPS[0]], filled = _timed(
            lambda: http.post("/admin/texts/info/template", data={"template": "outbreak", "csrf": token})
        )
        found = re.search(r'<textarea id="info" name="info_text"[^>]*>([^<]*)</textarea>', filled.text)
        assert found is not None, "the template did not fill the field"
        notice = {"info_text": found.group(1), "info_on": "on", "csrf": token}
        seconds[STEPS[1]], previewed = _timed(
            lambda: http.post("/admin/texts/info", data={**notice, "intent": "preview"})
        )
        seconds[STEPS[2]], saved = _timed(lambda: http.post("/admin/texts/info", data={**notice, "intent": "save"}))
        spoken = re.search(r'id="info-spoken"><audio controls preload="none" src="/media/([0-9a-f]+)\.mp3"', saved.text)
        assert previewed.status_code == 200 and saved.status_code == 200 and spoken is not None
        caller = TwilioLikeClient(http, public_url=PUBLIC_URL)
        seconds[STEPS[3]], answered = _timed(lambda: caller.post("/twilio/voice"))
        assert spoken.group(1) in answered.text, "the next call does not play the spoken notice"
    seconds["total"] = sum(seconds.values())
    return seconds


def main() -> list[dict[str, float]]:
    runs = []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as scratch:
            runs.append(one_run(Path(scratch)))
    return runs


def report(runs: list[dict[str, float]]) -> str:
    lines = [
        f"Outbreak notice from a ready-made message to the next call, over HTTP ({len(runs)} runs, each a fresh "
        "business and speech cache; espeak-ng and ffmpeg on this machine):",
        "",
        "| step | median (s) | max (s) |",
        "|---|---|---|",
    ]
    for step in (*STEPS, "total"):
        values = [run[step] for run in runs]
        lines.append(f"| {step} | {statistics.median(values):.2f} | {max(values):.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(main()))
    sys.exit(0)
