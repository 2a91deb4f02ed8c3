"""A business with calls, messages (their audio in our store and at Twilio's stand-in) and call notes, stored at
explicit times, for the retention and erasure tests."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from ivr.messages.senders import TwilioRecordings
from ivr.messages.voicemail_copies import VoicemailAudio
from ivr.privacy.deleters import Holders
from ivr.store.database import Database
from ivr.store.tables import CallNoteRow, CallRow, RecordingRow
from ivr.usecases.documents import apply_text
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio, voicemail_mp3

NUMBER = "+31201234567"


def document(retention: str = "") -> str:
    return f"""\
business: Huisartsenpraktijk De Linde
numbers: ["{NUMBER}"]
language: nl
operators: ["+31612345678"]
overflow: {{voicemail: {{email: [balie@linde.example]}}}}
{retention}
"""


def apply(database: Database, now: datetime, retention: str = "") -> int:
    return apply_text(database, document(retention), now).stored.id


def holders(database: Database, audio: VoicemailAudio, twilio: FakeTwilio) -> Holders:
    return Holders(database, audio, TwilioRecordings(ACCOUNT_SID, AUTH_TOKEN, twilio.base_url))


@dataclass(frozen=True)
class Left:
    call_sid: str
    recording_sid: str
    note_id: str


def leave(
    database: Database,
    audio: VoicemailAudio,
    twilio: FakeTwilio,
    business_id: int,
    caller: str,
    at: datetime,
    *,
    words: str = "Ik wil graag een herhaalrecept.",
) -> Left:
    """A call from `caller` at `at` that left a message (kept by us, still at Twilio) and got a call note."""
    call, recording, note = "CA" + secrets.token_hex(16), "RE" + secrets.token_hex(16), "NT" + secrets.token_hex(16)
    url = twilio.add_recording(recording, call, created=at)
    audio.keep(recording, voicemail_mp3())
    with database.transaction() as session:
        session.add(
            CallRow(
                call_sid=call,
                business_id=business_id,
                to_number=NUMBER,
                from_number=caller,
                started_at=at,
                path=["welcome", "operators:no-answer>overflow:voicemail"],
                outcome="voicemail",
                ended_at=at + timedelta(seconds=40),
                duration_s=40,
                box="overflow",
            )
        )
        session.add(
            RecordingRow(
                recording_sid=recording,
                call_sid=call,
                business_id=business_id,
                url=url,
                duration_s=14,
                status="completed",
                received_at=at,
                box="overflow",
                from_number=None,  # the status callback carries no From: the message is the caller's by its call
                audio_name=f"{recording}.mp3",
                stored_at=at,
                transcript_status="done",
                transcript=words,
                transcript_language="nl",
            )
        )
        session.add(
            CallNoteRow(
                note_id=note,
                business_id=business_id,
                caller_name="Mevrouw de Vries",
                caller_number=caller,
                message="Belt terug over de uitslag.",
                urgent=False,
                created_at=at,
            )
        )
    return Left(call, recording, note)
