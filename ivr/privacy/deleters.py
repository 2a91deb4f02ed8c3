"""One deleter per kind of stored data, each for a `Scope`: the retention run calls them with a business's cutoff,
an erasure with a caller's number. A new kind of data about callers is one more line in `DELETERS`.

Order matters: a message is found as the caller's through its call, so the call log goes last.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from ivr.document.retention import Retention
from ivr.jobs.model import PermanentFailure
from ivr.messages.senders import RecordingFetcher
from ivr.messages.voicemail_copies import VoicemailAudio
from ivr.store import personal_data
from ivr.store.database import Database
from ivr.store.personal_data import Scope

log = logging.getLogger("greetline.privacy")


@dataclass(frozen=True)
class Holders:
    """Everywhere a caller's data can be: our database, our audio store, Twilio's copy (None: no account set)."""

    database: Database
    voicemails: VoicemailAudio
    twilio: RecordingFetcher | None


@dataclass(frozen=True)
class Deleter:
    # Its count's name in the audit trail.
    kind: str
    # How many days the business keeps this kind.
    days: Callable[[Retention], int]
    # Deletes what is in scope; returns how many it deleted.
    delete: Callable[[Holders, Scope], int]


def delete_voicemail(holders: Holders, scope: Scope) -> int:
    """The audio first, everywhere, then the rows: a failure halfway leaves rows that the next run finds again,
    never a file or an object that no row names any more."""
    with holders.database.transaction() as session:
        found = personal_data.voicemail_audio(session, scope)
    for audio in found:
        holders.voicemails.forget(audio.recording_sid)
        if holders.twilio is not None:
            try:
                holders.twilio.delete(audio.url)  # Twilio answers 404 for a copy deleted before: fine
            except PermanentFailure as error:  # an address not on our Twilio API: not ours to delete
                log.warning("recording %s: Twilio's copy left: %s", audio.recording_sid, error)
    with holders.database.transaction() as session:
        return personal_data.delete_recordings(session, [audio.recording_sid for audio in found])


def _in_one_transaction(delete: Callable[..., int]) -> Callable[[Holders, Scope], int]:
    def run(holders: Holders, scope: Scope) -> int:
        with holders.database.transaction() as session:
            return delete(session, scope)

    return run


DELETERS: tuple[Deleter, ...] = (
    Deleter("voicemails", lambda kept: kept.voicemail_days, delete_voicemail),
    Deleter("transcripts", lambda kept: kept.transcript_days, _in_one_transaction(personal_data.forget_transcripts)),
    Deleter("call_notes", lambda kept: kept.notes_days, _in_one_transaction(personal_data.delete_notes)),
    # Asked or sent about a call, kept like the answering service's notes about one.
    Deleter(
        "callback_requests", lambda kept: kept.notes_days, _in_one_transaction(personal_data.delete_callback_requests)
    ),
    Deleter("text_backs", lambda kept: kept.notes_days, _in_one_transaction(personal_data.delete_text_backs)),
    Deleter("calls", lambda kept: kept.call_log_days, _in_one_transaction(personal_data.delete_calls)),
)
