"""Measurements behind docs/scaling.md (issue 13): `python -m bench.scaling` (PostgreSQL at 127.0.0.1 needed).

1. Peak calls/s of one `greetline serve` replica on PostgreSQL (each request a new call, signed, logged).
2. Database statements per webhook, counted with a SQLAlchemy `before_cursor_execute` listener on the app's own
   engine (call-log writes included, once they are flushed).
3. Bytes per business: the demo business's rendered greetings (espeak-ng, normalised) and the database rows of a call.
"""

import json
import os
import secrets
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy
from sqlalchemy import event

from bench.load import run_load
from bench.webhook import PUBLIC_URL, TOKEN, _requests
from ivr.settings import Settings
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.local_server import running_server, server_process
from tests.twilio_client import TwilioLikeClient

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "examples" / "huisartsenpraktijk-de-linde.yaml"
NUMBER = "+31501234567"
POSTGRES_URL = os.environ.get("GREETLINE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
ROUNDS = 3
REQUESTS_PER_ROUND = 3_000
CONNECTIONS = 16
COUNTED_CALLS = 200
# Twilio's recordings as .mp3 are 32 kbit/s (help.twilio.com, "Downloading and Deleting Twilio Call Recordings").
TWILIO_MP3_BYTES_PER_S = 32_000 // 8


@contextmanager
def own_database() -> Iterator[str]:
    name = f"bench_{secrets.token_hex(4)}"
    admin = sqlalchemy.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield sqlalchemy.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
        admin.dispose()


def _prepare(database_url: str) -> None:
    upgrade(database_url)
    database = Database(database_url)
    apply_text(database, DEMO.read_text("utf-8"), datetime.now(UTC))
    database.dispose()


def _table_bytes(database_url: str) -> tuple[int, int]:
    """(bytes of every table with its indexes, calls logged)."""
    engine = sqlalchemy.create_engine(database_url)
    with engine.connect() as connection:
        size = connection.exec_driver_sql(
            "SELECT sum(pg_total_relation_size(relid)) FROM pg_catalog.pg_statio_user_tables"
        ).scalar_one()
        calls = connection.exec_driver_sql("SELECT count(*) FROM calls").scalar_one()
    engine.dispose()
    return int(size), int(calls)


def peak_calls_per_second(workers: int) -> dict[str, Any]:
    with own_database() as url, tempfile.TemporaryDirectory() as scratch:
        _prepare(url)
        environment = {
            "GREETLINE_DATABASE_URL": url,
            "GREETLINE_PUBLIC_URL": PUBLIC_URL,
            "GREETLINE_TWILIO_AUTH_TOKEN": TOKEN,
            "GREETLINE_SESSION_SECRET": "bench-scaling-session-secret",
            "GREETLINE_EMBEDDED_WORKER": "false",
            "GREETLINE_SNAPSHOT_PATH": f"{scratch}/routing-snapshot.json",
            "GREETLINE_CALL_LOG_SPILL_PATH": f"{scratch}/call-log-spill.jsonl",
        }
        before_bytes, _calls = _table_bytes(url)
        rounds = []
        arguments = ["--no-migrate", "--workers", str(workers)]
        with server_process(environment, arguments=arguments) as server:
            port = int(server.base_url.rsplit(":", 1)[1])
            for number in range(ROUNDS):
                requests = _requests("/twilio/voice", REQUESTS_PER_ROUND, True, number * REQUESTS_PER_ROUND)
                result = run_load("127.0.0.1", port, requests, rate_rps=None, connections=CONNECTIONS)
                assert result.failed == 0, f"{result.failed} calls failed"
                rounds.append(result.throughput_rps)
            server.process.terminate()  # SIGTERM: the call-log writer stores its last batch before the exit
            server.process.wait(60)
        after_bytes, calls = _table_bytes(url)
    return {
        "workers": workers,
        "peak_calls_per_s": round(statistics.median(rounds)),
        "rounds": [round(value) for value in rounds],
        "calls_logged": calls,
        "database_bytes_per_call": round((after_bytes - before_bytes) / max(calls, 1)),
    }


def statements_per_webhook() -> dict[str, float]:
    counted: dict[str, float] = {}
    with own_database() as url, tempfile.TemporaryDirectory() as scratch:
        _prepare(url)
        settings = Settings(
            database_url=url,
            public_url="http://greetline.test",
            twilio_auth_token=TOKEN,
            session_secret="bench",
            embedded_worker=False,
            snapshot_path=Path(scratch) / "snapshot.json",
            call_log_spill_path=Path(scratch) / "spill.jsonl",
            media_dir=Path(scratch) / "media",
        )
        database = Database(url, settings.snapshot_path)
        statements = [0]

        @event.listens_for(database.engine, "before_cursor_execute")
        def _count(*_args: Any) -> None:
            statements[0] += 1

        app = create_app(settings, database=database)
        with running_server(app) as base_url, httpx.Client(base_url=base_url, timeout=10.0) as http:
            twilio = TwilioLikeClient(http, TOKEN, settings.public_url)

            def measure(name: str, path: str, form: dict[str, str], calls: int, status: int = 200) -> None:
                app.state.services.call_log.flush()
                before = statements[0]
                for _ in range(calls):
                    sid = secrets.token_hex(16)
                    filled = {key: value.replace("{sid}", sid) for key, value in form.items()}
                    answered = twilio.post(path, {**filled, "CallSid": f"CA{sid}", "To": NUMBER})
                    assert answered.status_code == status, answered.text
                app.state.services.call_log.flush()
                counted[name] = round((statements[0] - before) / calls, 2)

            measure("first call after a change (directory cold)", "/twilio/voice", {}, 1)
            measure("/twilio/voice, number in memory", "/twilio/voice", {}, COUNTED_CALLS)
            nobody = {"DialCallStatus": "no-answer"}
            measure("/twilio/dial-ended (nobody answered)", "/twilio/dial-ended?stage=operators", nobody, COUNTED_CALLS)
            measure("/twilio/status (call completed)", "/twilio/status", {"CallStatus": "completed"}, COUNTED_CALLS)
            recording = {
                "RecordingSid": "RE{sid}",
                "RecordingUrl": f"{settings.twilio_api_url}/2010-04-01/Accounts/AC{'0' * 32}/Recordings/RE{{sid}}",
                "RecordingDuration": "30",
            }
            voicemail = "/twilio/recording?business=1&box=closed"
            measure("/twilio/recording (a voicemail and its deliveries stored)", voicemail, recording, 50, 201)
        database.dispose()
    return counted


def directory_bytes_per_business(count: int = 200) -> int:
    """Memory one replica's directory holds per business it has answered (document, routing, converted flow)."""
    import tracemalloc

    from ivr.routing.directory import Directory

    demo = DEMO.read_text("utf-8")
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{scratch}/bench.db"
        upgrade(url)
        database = Database(url)
        numbers = [f"+3150{index:07d}" for index in range(count)]
        for index, number in enumerate(numbers):
            apply_text(database, demo.replace(NUMBER, number).replace("De Linde", f"De Linde {index}"), now)
        directory = Directory(recheck_s=3600)
        with database.reading() as connection:
            directory.lookup(connection, numbers[0], now)  # imports and first-use caches, not per business
            tracemalloc.start()
            before = tracemalloc.get_traced_memory()[0]
            for number in numbers[1:]:
                directory.lookup(connection, number, now)
            after = tracemalloc.get_traced_memory()[0]
            tracemalloc.stop()
        database.dispose()
    return round((after - before) / (count - 1))


def greeting_bytes_per_business() -> dict[str, int]:
    from ivr.cli.commands import apply_file
    from ivr.cli.runtime import runtime

    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(
            database_url=f"sqlite:///{scratch}/bench.db",
            media_dir=Path(scratch) / "media",
            speech_cache_dir=Path(scratch) / "speech-cache",
            snapshot_path=Path(scratch) / "snapshot.json",
            tts_engines=("espeak",),
        )
        with runtime(settings) as opened:
            apply_file(opened, DEMO, render=True)
        media = [path for path in (Path(scratch) / "media").iterdir() if path.is_file()]
        cache = [path for path in (Path(scratch) / "speech-cache").rglob("*") if path.is_file()]
        return {
            "recordings": len([path for path in media if path.suffix == ".wav"]),
            "wav_bytes": sum(path.stat().st_size for path in media if path.suffix == ".wav"),
            "mp3_preview_bytes": sum(path.stat().st_size for path in media if path.suffix == ".mp3"),
            "speech_cache_bytes": sum(path.stat().st_size for path in cache),
        }


def main() -> dict[str, Any]:
    return {
        "peak": [peak_calls_per_second(1), peak_calls_per_second(2)],
        "statements": statements_per_webhook(),
        "greetings": greeting_bytes_per_business(),
        "directory_bytes_per_business": directory_bytes_per_business(),
        "voicemail_bytes_per_s": TWILIO_MP3_BYTES_PER_S,
    }


if __name__ == "__main__":
    if "--directory" in sys.argv:
        print(directory_bytes_per_business())
    else:
        print(json.dumps(statements_per_webhook() if "--statements" in sys.argv else main(), indent=2))
