"""`greetline caller export|erase` and `greetline retention run` as a user runs them: a real process, a real
SQLite file, the voicemail directory, Twilio's REST API stood in on 127.0.0.1; the retention run under faketime."""

import json
import os
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from audio.objects import LocalObjects
from ivr.messages.voicemail_copies import VoicemailAudio
from ivr.store.access_tables import AuditEventRow
from ivr.store.database import Database
from ivr.store.tables import CallRow, RecordingRow
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.privacy.stored import NUMBER, document, leave
from tests.test_cli import GREETLINE, env, run  # noqa: F401 (a fixture)

pytest_plugins = ["tests.fakes.twilio_api"]

# The instant faketime gives the retention run.
NOW = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
PATIENT = "+31611112222"


@pytest.fixture
def line(env: dict[str, str], twilio_api: FakeTwilio, tmp_path: Path) -> dict[str, str]:  # noqa: F811
    environment = {
        **env,
        "GREETLINE_VOICEMAIL_DIR": str(tmp_path / "voicemail"),
        "GREETLINE_TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "GREETLINE_TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "GREETLINE_TWILIO_API_URL": twilio_api.base_url,
    }
    (tmp_path / "document.yaml").write_text(document("retention: {voicemail_days: 30}"), "utf-8")
    run(["apply", "--no-render", str(tmp_path / "document.yaml")], environment)
    return environment


def _stored(line: dict[str, str], twilio_api: FakeTwilio, ages_days: list[int]) -> list[str]:
    database = Database(line["GREETLINE_DATABASE_URL"])
    audio = VoicemailAudio(LocalObjects(Path(line["GREETLINE_VOICEMAIL_DIR"]), private=True))
    try:
        return [
            leave(database, audio, twilio_api, 1, PATIENT, NOW - timedelta(days=age)).recording_sid for age in ages_days
        ]
    finally:
        database.dispose()


def _actions(line: dict[str, str]) -> list[str]:
    database = Database(line["GREETLINE_DATABASE_URL"])
    try:
        with database.transaction() as session:
            return list(session.scalars(select(AuditEventRow.action).order_by(AuditEventRow.id)))
    finally:
        database.dispose()


def test_export_then_erase_a_caller(line: dict[str, str], twilio_api: FakeTwilio, tmp_path: Path) -> None:
    sids = _stored(line, twilio_api, [5, 1])
    out = tmp_path / "patient.zip"
    said = run(["caller", "export", "--business", NUMBER, "--caller", "06 1111 2222", "--out", str(out)], line)
    assert said.stdout.startswith(f"wrote everything stored about {PATIENT} to {out}")
    assert out.stat().st_mode & 0o777 == 0o600  # a patient's voice: private from its first byte
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == sorted(["caller.json"] + [f"voicemails/{sid}.mp3" for sid in sids])
        assert len(json.loads(archive.read("caller.json"))["calls"]) == 2

    erased = run(["caller", "erase", "--business", NUMBER, "--caller", PATIENT], line)
    assert (
        erased.stdout == f"erased everything stored about {PATIENT}: voicemails 2, transcripts 0, call_notes 2, "
        "callback_requests 0, text_backs 0, calls 2\n"
    )
    assert list(Path(line["GREETLINE_VOICEMAIL_DIR"]).iterdir()) == []
    assert sorted(twilio_api.deleted) == sorted(sids)

    again = run(["caller", "erase", "--business", NUMBER, "--caller", PATIENT], line, check=False)
    assert again.returncode == 1
    assert again.stderr == (
        f"greetline: error: nothing is stored about {PATIENT} at this business: no calls, messages or notes\n"
    )
    assert _actions(line) == ["caller_exported", "caller_erased"]


@pytest.mark.skipif(shutil.which("faketime") is None, reason="faketime is not installed")
def test_retention_run_deletes_now_what_has_expired(line: dict[str, str], twilio_api: FakeTwilio) -> None:
    old, recent = _stored(line, twilio_api, [31, 29])
    at = NOW.strftime("%Y-%m-%d %H:%M:%S")
    result = subprocess.run(
        ["faketime", "-f", f"@{at}", *GREETLINE, "retention", "run"],
        env={**line, "TZ": "UTC"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.splitlines() == [
        "business 1: deleted voicemails 1, transcripts 0, call_notes 0, callback_requests 0, text_backs 0, calls 0",
        "calls to no business, the audit trail: deleted voicemails 0, transcripts 0, call_notes 0, "
        "callback_requests 0, text_backs 0, calls 0, audit_events 0",
    ]
    assert twilio_api.deleted == [old]
    database = Database(line["GREETLINE_DATABASE_URL"])
    try:
        with database.transaction() as session:
            assert list(session.scalars(select(RecordingRow.recording_sid))) == [recent]
            assert len(list(session.scalars(select(CallRow.call_sid)))) == 2
    finally:
        database.dispose()
    assert _actions(line) == ["retention_run", "retention_run"]
    assert os.listdir(line["GREETLINE_VOICEMAIL_DIR"]) == [f"{recent}.mp3"]
