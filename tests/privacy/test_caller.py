"""One caller's data: an export holds everything stored about the number (and nothing of anyone else's), an
erasure leaves no row, file, object or Twilio copy; both in the audit trail with the number masked."""

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from audio.objects import LocalObjects
from ivr.audio_stores import storage
from ivr.messages.voicemail_copies import VoicemailAudio
from ivr.privacy.caller import NothingStored, Request, erase_caller, export_caller, masked
from ivr.settings import Settings
from ivr.store import callbacks, console_events
from ivr.store.access_tables import AuditEventRow
from ivr.store.console_events import PutThrough
from ivr.store.database import Database
from ivr.store.tables import CallbackRequestRow, CallNoteRow, CallRow, JobRow, RecordingRow, TextBackRow
from tests.fakes.twilio_api import FakeTwilio, voicemail_mp3
from tests.privacy.stored import Left, apply, holders, leave
from tests.seaweedfs import S3Store

pytest_plugins = ["tests.fakes.twilio_api", "tests.seaweedfs"]

NOW = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
PATIENT, OTHER = "+31611112222", "+31633334444"


def _two_callers(database: Database, audio: VoicemailAudio, twilio: FakeTwilio) -> tuple[int, list[Left], Left]:
    business = apply(database, NOW)
    patients = [leave(database, audio, twilio, business, PATIENT, NOW - timedelta(days=days)) for days in (3, 1)]
    other = leave(database, audio, twilio, business, OTHER, NOW - timedelta(days=2), words="Andere patiënt.")
    with database.transaction() as session:  # each asked to be called back, and was texted back
        for left, number in [(patients[1], PATIENT), (other, OTHER)]:
            callbacks.save(session, business, number, left.call_sid, NOW - timedelta(days=1))
            session.add(TextBackRow(business_id=business, caller_number=number, created_at=NOW, call_sid=left.call_sid))
    return business, patients, other


def _rows(database: Database) -> dict[str, set[str]]:
    with database.transaction() as session:
        return {
            "calls": set(session.scalars(select(CallRow.call_sid))),
            "voicemails": set(session.scalars(select(RecordingRow.recording_sid))),
            "notes": set(session.scalars(select(CallNoteRow.note_id))),
            "callbacks": set(session.scalars(select(CallbackRequestRow.caller_number))),
            "texts back": set(session.scalars(select(TextBackRow.caller_number))),
        }


def _trail(database: Database) -> list[tuple[str, str, dict[str, object]]]:
    with database.transaction() as session:
        rows = session.execute(select(AuditEventRow.action, AuditEventRow.actor, AuditEventRow.details))
        return [(action, actor, details) for action, actor, details in rows]


def test_the_number_is_masked_in_the_trail() -> None:
    assert masked(PATIENT) == "+31*******22"


def _erase_and_check(database: Database, audio: VoicemailAudio, twilio: FakeTwilio) -> None:
    business, patients, other = _two_callers(database, audio, twilio)
    with database.transaction() as session:  # a delivery still queued for one of the patient's messages
        session.add(
            JobRow(
                key="voicemail-email:x",
                kind="voicemail-email",
                args={"recording_sid": patients[0].recording_sid, "address": "balie@linde.example"},
                business_id=business,
                subject=patients[0].recording_sid,
                state="pending",
                attempts=0,
                next_attempt_at=NOW,
                created_at=NOW,
            )
        )

    with database.transaction() as session:  # both callers' calls popped up on the answering service's console
        for caller, call in ((PATIENT, patients[0].call_sid), (OTHER, other.call_sid)):
            console_events.add(session, PutThrough(business, call, caller, "direct", "", NOW))

    counts = erase_caller(holders(database, audio, twilio), Request(business, PATIENT, "dokter@linde.example", NOW))

    assert counts == {
        "voicemails": 2,
        "transcripts": 0,
        "call_notes": 2,
        "callback_requests": 1,
        "text_backs": 1,
        "calls": 2,
    }
    assert _rows(database) == {
        "calls": {other.call_sid},
        "voicemails": {other.recording_sid},
        "notes": {other.note_id},
        "callbacks": {OTHER},
        "texts back": {OTHER},
    }
    with database.reading() as connection:
        assert [event.call_sid for event in console_events.after(connection, 0, [business])] == [other.call_sid]
    assert [audio.read(left.recording_sid) for left in patients] == [None, None]
    assert audio.read(other.recording_sid) == voicemail_mp3()
    assert sorted(twilio.deleted) == sorted(left.recording_sid for left in patients)  # the stand-in's DELETE
    with database.transaction() as session:
        assert list(session.scalars(select(JobRow.key))) == []
    [entry] = _trail(database)
    assert entry == ("caller_erased", "dokter@linde.example", {"caller": "+31*******22", "counts": counts})


def test_an_erased_caller_leaves_no_row_file_or_twilio_copy(
    database: Database, twilio_api: FakeTwilio, tmp_path: Path
) -> None:
    audio = VoicemailAudio(LocalObjects(tmp_path / "voicemail", private=True))
    _erase_and_check(database, audio, twilio_api)
    assert len(list((tmp_path / "voicemail").iterdir())) == 1


def test_an_erased_caller_leaves_no_object_in_the_bucket(
    sqlite_url: str, seaweedfs: S3Store, twilio_api: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in seaweedfs.environment("practice").items():
        monkeypatch.setenv(name, value)
    database = Database(sqlite_url)
    try:
        _erase_and_check(database, storage(Settings()).voicemails, twilio_api)
    finally:
        database.dispose()
    listed = seaweedfs.client().list_objects_v2(Bucket=seaweedfs.bucket, Prefix="practice/voicemail/")
    assert len(listed["Contents"]) == 1


def test_an_erasure_for_a_number_with_no_data_is_refused_and_changes_nothing(
    database: Database, twilio_api: FakeTwilio, tmp_path: Path
) -> None:
    audio = VoicemailAudio(LocalObjects(tmp_path / "voicemail", private=True))
    business, _patients, _other = _two_callers(database, audio, twilio_api)
    before = _rows(database)
    with pytest.raises(NothingStored, match=r"nothing is stored about \+31687650000"):
        erase_caller(holders(database, audio, twilio_api), Request(business, "+31687650000", "cli", NOW))
    assert _rows(database) == before and twilio_api.deleted == [] and _trail(database) == []


def test_an_export_holds_everything_about_the_caller_and_nothing_of_others(
    database: Database, twilio_api: FakeTwilio, tmp_path: Path
) -> None:
    audio = VoicemailAudio(LocalObjects(tmp_path / "voicemail", private=True))
    business, patients, other = _two_callers(database, audio, twilio_api)
    audio.forget(patients[1].recording_sid)  # not fetched by us yet: Twilio's copy goes into the export

    data = export_caller(holders(database, audio, twilio_api), Request(business, PATIENT, "cli", NOW))

    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(archive.namelist()) == sorted(
        ["caller.json"] + [f"voicemails/{left.recording_sid}.mp3" for left in patients]
    )
    for left in patients:
        assert archive.read(f"voicemails/{left.recording_sid}.mp3") == voicemail_mp3()
    found = json.loads(archive.read("caller.json"))
    assert found["caller"] == PATIENT
    assert [call["call_sid"] for call in found["calls"]] == [left.call_sid for left in patients]
    assert [call["from_number"] for call in found["calls"]] == [PATIENT, PATIENT]
    assert [v["recording_sid"] for v in found["voicemails"]] == [left.recording_sid for left in patients]
    assert [v["transcript"] for v in found["voicemails"]] == ["Ik wil graag een herhaalrecept."] * 2
    assert [n["note_id"] for n in found["call_notes"]] == [left.note_id for left in patients]
    assert found["call_notes"][0]["message"] == "Belt terug over de uitslag."
    assert [(r["caller_number"], r["call_sid"]) for r in found["callback_requests"]] == [
        (PATIENT, patients[1].call_sid)
    ]
    assert [(t["caller_number"], t["call_sid"]) for t in found["text_backs"]] == [(PATIENT, patients[1].call_sid)]
    assert other.call_sid not in archive.read("caller.json").decode() and "Andere" not in str(found)
    assert _trail(database) == [
        (
            "caller_exported",
            "cli",
            {
                "caller": "+31*******22",
                "counts": {"calls": 2, "voicemails": 2, "call_notes": 2, "callback_requests": 1, "text_backs": 1},
            },
        )
    ]
    assert twilio_api.deleted == [] and len(_rows(database)["calls"]) == 3  # an export changes nothing
