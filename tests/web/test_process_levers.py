"""The process-wide levers (ivr.web.process_levers), each pulled where it is said to be and nowhere else."""

import asyncio
import gc
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy
from fastapi import FastAPI

from ivr.settings import Settings
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from ivr.web.process_levers import (
    SERVED_SWITCH_INTERVAL_S,
    HeapSettler,
    built_without_collecting,
    hand_settings_to_workers,
)
from ivr.web.serving import app_for_worker
from tests.conftest import PUBLIC_URL, TEST_TOKEN
from tests.test_import_weight import imported_after
from tests.twilio_client import twilio_client

# CPython's own switch interval (sys.getswitchinterval() in a fresh interpreter).
DEFAULT_SWITCH_INTERVAL_S = 0.005
HANDED_TO_WORKERS = ("GREETLINE_PUBLIC_URL", "GREETLINE_INSECURE_DEV_MODE", "GREETLINE_SESSION_SECRET")


def test_the_heap_is_frozen_after_documents_were_loaded_and_not_otherwise() -> None:
    settler = HeapSettler()
    gc.unfreeze()
    try:
        settler.after_loading(0)  # nothing loaded since the start: calls alone never freeze
        assert gc.get_freeze_count() == 0
        settler.after_loading(3)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # hand the test process's objects back to the collector


def test_no_collection_while_the_served_app_is_built_and_what_was_built_is_frozen() -> None:
    gc.unfreeze()
    try:
        with built_without_collecting():
            collecting_inside = gc.isenabled()
            made = [[] for _ in range(1000)]  # objects that live on, as the app's do
        assert not collecting_inside and gc.isenabled()
        assert gc.get_freeze_count() >= len(made)
    finally:
        gc.unfreeze()


async def _switch_interval_inside(app: FastAPI) -> float:
    async with app.router.lifespan_context(app):
        return sys.getswitchinterval()


def test_the_switch_interval_is_set_when_the_served_app_starts_and_not_when_an_app_is_built(settings: Settings) -> None:
    before = sys.getswitchinterval()
    sys.setswitchinterval(DEFAULT_SWITCH_INTERVAL_S)
    try:
        app = create_app(settings.model_copy(update={"embedded_worker": False}))
        built = sys.getswitchinterval()  # a test's or a preview's app: no lifespan, the process untouched
        served = asyncio.run(_switch_interval_inside(app))
    finally:
        sys.setswitchinterval(before)
    assert built == pytest.approx(DEFAULT_SWITCH_INTERVAL_S)
    assert served == pytest.approx(SERVED_SWITCH_INTERVAL_S)


def test_the_heap_is_frozen_after_a_call_loaded_its_business_into_the_directory(
    settings: Settings, demo_text: str
) -> None:
    database = Database(settings.database_url)
    apply_text(database, demo_text, datetime.now(UTC))
    database.dispose()
    gc.unfreeze()
    try:
        with twilio_client(create_app(settings)) as twilio:
            before_the_call = gc.get_freeze_count()
            answer = twilio.post("/twilio/voice")
            after_the_call = gc.get_freeze_count()
    finally:
        gc.unfreeze()
    assert answer.status_code == 200 and "<Response>" in answer.text
    assert before_the_call == 0 and after_the_call > 0


def test_serve_migrates_in_a_forked_child_so_alembic_stays_out_of_the_server(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    settings = (
        f"Settings(database_url={url!r}, media_dir={str(tmp_path / 'media')!r}, "
        f"public_url={PUBLIC_URL!r}, twilio_auth_token={TEST_TOKEN!r})"
    )
    imported = imported_after(
        "from ivr.settings import Settings\n"
        "from ivr.cli.commands import migrate_for_serving\n"
        f"assert migrate_for_serving({settings}) is None\n"
    )
    engine = sqlalchemy.create_engine(url)
    tables = set(sqlalchemy.inspect(engine).get_table_names())
    engine.dispose()
    assert {"businesses", "calls", "alembic_version"} <= tables  # migrated, by the child
    assert "alembic" not in imported


def test_serve_hands_its_settings_to_every_worker_through_the_environment(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in HANDED_TO_WORKERS:
        monkeypatch.delenv(name, raising=False)  # and put back as they were afterwards
    # What the operator configured reaches the workers as it reached `serve`: the environment.
    configured = {
        "DATABASE_URL": settings.database_url,
        "MEDIA_DIR": str(settings.media_dir),
        "SPEECH_CACHE_DIR": str(settings.speech_cache_dir),
        "VOICEMAIL_DIR": str(tmp_path / "voicemail"),
        "SNAPSHOT_PATH": str(settings.snapshot_path),
        "CALL_LOG_SPILL_PATH": str(settings.call_log_spill_path),
        "TWILIO_AUTH_TOKEN": TEST_TOKEN,
    }
    for name, value in configured.items():
        monkeypatch.setenv(f"GREETLINE_{name}", value)
    # What `serve` decided: the address it serves (none configured) and, with none set, a session secret.
    decided = settings.model_copy(update={"public_url": "http://127.0.0.1:8123", "session_secret": None})
    hand_settings_to_workers(decided)
    apps = [app_for_worker() for _ in range(2)]
    for app in apps:
        app.state.services.call_log.close()
    workers = [app.state.services.settings for app in apps]
    assert [worker.public_url for worker in workers] == ["http://127.0.0.1:8123"] * 2
    assert [worker.insecure_dev_mode for worker in workers] == [False, False]
    secret = os.environ["GREETLINE_SESSION_SECRET"]
    # One secret for all of them: a login made through one worker is valid on the others.
    assert len(secret) >= 32 and [worker.session_secret for worker in workers] == [secret, secret]
