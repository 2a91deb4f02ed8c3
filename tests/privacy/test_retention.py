"""Retention: each kind deleted once it has been kept its business's days, everywhere (database, our audio store,
Twilio's copy), the counts in the audit trail; on SQLite and PostgreSQL, local files and a SeaweedFS bucket."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from audio.objects import LocalObjects
from ivr.audio_stores import storage
from ivr.document.load import validate_document
from ivr.errors import DocumentError
from ivr.messages.voicemail_copies import VoicemailAudio
from ivr.privacy.retention import expired_before, retention_of, run_retention
from ivr.settings import Settings
from ivr.store import audit
from ivr.store.access_tables import AuditEventRow
from ivr.store.database import Database
from ivr.store.tables import CallNoteRow, CallRow, RecordingRow
from ivr.usecases.documents import apply_text
from tests.fakes.twilio_api import FakeTwilio
from tests.privacy.stored import apply, document, holders, leave
from tests.seaweedfs import S3Store

pytest_plugins = ["tests.fakes.twilio_api", "tests.seaweedfs"]

NOW = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
RETENTION = "retention: {voicemail_days: 30, transcript_days: 10, notes_days: 60, call_log_days: 90}"


def days_ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


@pytest.mark.parametrize(
    ("days", "stored", "kept"),
    [
        (90, days_ago(89), True),
        (90, days_ago(90), True),  # exactly 90 days old: kept until the instant passes
        (90, days_ago(90) - timedelta(seconds=1), False),
        (1, days_ago(2), False),
        (3650, days_ago(3000), True),
    ],
)
def test_what_has_been_kept_its_days_goes(days: int, stored: datetime, kept: bool) -> None:
    assert (stored >= expired_before(days, NOW)) is kept


def test_a_document_without_retention_keeps_voicemail_90_days_and_the_rest_400() -> None:
    kept = retention_of({"business": "x"})
    assert (kept.voicemail_days, kept.notes_days, kept.call_log_days, kept.transcript_days) == (90, 400, 400, 400)
    assert retention_of({"retention": {"voicemail_days": 14}}).voicemail_days == 14


@pytest.mark.parametrize("days", [0, 10_000, -5, "lang", True])
def test_a_retention_of_0_or_10000_days_is_refused_with_the_bounds(days: object) -> None:
    import yaml

    text = document(f"retention: {{voicemail_days: {yaml.safe_dump(days).splitlines()[0]}}}")
    with pytest.raises(DocumentError) as refused:
        validate_document(yaml.safe_load(text))
    [problem] = refused.value.found
    assert (problem.code, problem.where) == ("retention_days", "retention.voicemail_days")
    assert "from 1 to 3650" in problem.message


def _run_and_check(database: Database, audio: VoicemailAudio, twilio_api: FakeTwilio) -> None:
    business = apply(database, NOW, RETENTION)
    caller = "+31611112222"
    old = leave(database, audio, twilio_api, business, caller, days_ago(100))
    middle = leave(database, audio, twilio_api, business, caller, days_ago(45))
    recent = leave(database, audio, twilio_api, business, caller, days_ago(15))
    fresh = leave(database, audio, twilio_api, business, caller, days_ago(2))
    with database.transaction() as session:
        for age in (731, 729):
            audit.record(session, business_id=business, actor="cli", action="caller_exported", at=days_ago(age))

    counts = run_retention(holders(database, audio, twilio_api), NOW)

    assert counts[business] == {
        "voicemails": 2,
        "transcripts": 1,
        "call_notes": 1,
        "callback_requests": 0,
        "text_backs": 0,
        "calls": 1,
    }
    with database.transaction() as session:
        assert set(session.scalars(select(RecordingRow.recording_sid))) == {recent.recording_sid, fresh.recording_sid}
        words = {
            sid: said for sid, said in session.execute(select(RecordingRow.recording_sid, RecordingRow.transcript))
        }
        assert words == {recent.recording_sid: None, fresh.recording_sid: "Ik wil graag een herhaalrecept."}
        assert set(session.scalars(select(CallNoteRow.note_id))) == {middle.note_id, recent.note_id, fresh.note_id}
        assert set(session.scalars(select(CallRow.call_sid))) == {middle.call_sid, recent.call_sid, fresh.call_sid}
        trail = session.execute(select(AuditEventRow.action, AuditEventRow.at, AuditEventRow.details)).all()
    assert [audio.read(left.recording_sid) is None for left in (old, middle, recent, fresh)] == [
        True,
        True,
        False,
        False,
    ]
    assert sorted(twilio_api.deleted) == sorted([old.recording_sid, middle.recording_sid])  # the stand-in's DELETE
    assert set(twilio_api.recordings) == {recent.recording_sid, fresh.recording_sid}
    # The trail forgot its own entry older than two years, and holds the run's counts, no contents.
    assert ("caller_exported", days_ago(729)) in [(action, at) for action, at, _ in trail]
    assert days_ago(731) not in [at for _, at, _ in trail]
    runs = [details for action, _, details in trail if action == "retention_run"]
    assert {
        "counts": {
            "voicemails": 2,
            "transcripts": 1,
            "call_notes": 1,
            "callback_requests": 0,
            "text_backs": 0,
            "calls": 1,
        }
    } in runs
    assert "herhaalrecept" not in str(trail) and "+31611112222" not in str(trail)
    # Run again: nothing more has expired.
    again = run_retention(holders(database, audio, twilio_api), NOW)
    assert again[business] == {
        "voicemails": 0,
        "transcripts": 0,
        "call_notes": 0,
        "callback_requests": 0,
        "text_backs": 0,
        "calls": 0,
    }


def test_expired_voicemail_is_gone_from_the_database_the_disk_and_twilio(
    database: Database, twilio_api: FakeTwilio, tmp_path: Path
) -> None:
    audio = VoicemailAudio(LocalObjects(tmp_path / "voicemail", private=True))
    _run_and_check(database, audio, twilio_api)
    assert sorted(path.name for path in (tmp_path / "voicemail").iterdir()) == sorted(
        f"{sid}.mp3" for sid in twilio_api.recordings
    )


def test_expired_voicemail_is_gone_from_the_bucket(
    sqlite_url: str, seaweedfs: S3Store, twilio_api: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in seaweedfs.environment("practice").items():
        monkeypatch.setenv(name, value)
    audio = storage(Settings()).voicemails
    database = Database(sqlite_url)
    try:
        _run_and_check(database, audio, twilio_api)
    finally:
        database.dispose()
    listed = seaweedfs.client().list_objects_v2(Bucket=seaweedfs.bucket, Prefix="practice/voicemail/")
    assert sorted(item["Key"] for item in listed["Contents"]) == sorted(
        f"practice/voicemail/{sid}.mp3" for sid in twilio_api.recordings
    )


def test_calls_to_no_business_are_kept_the_default_400_days(database: Database, twilio_api: FakeTwilio) -> None:
    apply_text(database, document(), NOW)
    with database.transaction() as session:
        for sid, age in (("CA" + "1" * 32, 401), ("CA" + "2" * 32, 399)):
            session.add(
                CallRow(
                    call_sid=sid,
                    business_id=None,
                    to_number="+31209999999",
                    from_number="+31611112222",
                    started_at=days_ago(age),
                    path=["unknown-number"],
                )
            )
    audio = VoicemailAudio(LocalObjects(Path("/nonexistent-never-written"), private=True))
    counts = run_retention(holders(database, audio, twilio_api), NOW)
    assert counts[None]["calls"] == 1
    with database.transaction() as session:
        assert list(session.scalars(select(CallRow.call_sid))) == ["CA" + "2" * 32]
