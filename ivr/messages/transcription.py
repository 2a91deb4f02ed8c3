"""Voicemail in words (issue 22): the job that listens to a message, made from Settings in this one place.

Taking a message in queues this job beside the deliveries and holds the e-mails and texts back for at most
GREETLINE_TRANSCRIBE_WAIT_S; the job stores the words (or that no one spoke) and lets them go at once. A late or
failed transcript never holds a message longer than that: the deliveries go without it and say nothing of it.
"""

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any, Protocol

from audio.transcribe.model import (
    DEFAULT_REMOTE_MODEL,
    LANGUAGES,
    EngineSpec,
    Heard,
    NoSpeech,
    TranscriberError,
    UndecodableRecording,
)
from ivr.jobs.model import JobFailure, PermanentFailure
from ivr.jobs.worker import Handler
from ivr.messages.failures import DeliveryCode
from ivr.messages.notes import missed_call_check, stored_document
from ivr.messages.outbox import TRANSCRIBE, VOICEMAIL_EMAIL, VOICEMAIL_SMS
from ivr.messages.urgency import is_urgent
from ivr.settings import Settings
from ivr.store import jobs, recordings, transcripts
from ivr.store.database import Database
from ivr.store.recordings import StoredRecording

log = logging.getLogger("greetline.messages")


class Listener(Protocol):
    def heard(self, audio: bytes, languages: tuple[str, ...]) -> Heard: ...

    def close(self) -> None: ...


def engine_spec(settings: Settings) -> EngineSpec | None:
    """The engine the settings name: a URL means the remote one, else a model means the local one; else none."""
    if settings.transcribe_url:
        return EngineSpec(
            "remote",
            settings.transcribe_model or DEFAULT_REMOTE_MODEL,
            settings.transcribe_url,
            settings.transcribe_api_key,
            settings.transcribe_timeout_s,
        )
    if settings.transcribe_model:
        return EngineSpec("local", settings.transcribe_model, timeout_s=settings.transcribe_timeout_s)
    return None


def transcribe_wait_s(settings: Settings) -> float | None:
    """How long a message's deliveries wait for its words; None when no engine is set (nothing is transcribed)."""
    return settings.transcribe_wait_s if engine_spec(settings) is not None else None


def listener(settings: Settings, *, own_process: bool) -> Listener | None:
    """`own_process`: listening runs in a child process (under `greetline serve`: the served process neither
    imports faster-whisper nor holds the model, and decodes no audio beside its calls, whichever the engine)."""
    spec = engine_spec(settings)
    if spec is None:
        return None
    if own_process:
        from audio.transcribe.child import ChildProcess

        return ChildProcess(spec, settings.transcribe_timeout_s)
    from audio.transcribe.listen import InProcess, make_engine

    return InProcess(make_engine(spec))


def languages_for(business_language: str) -> tuple[str, ...]:
    return (business_language, *(language for language in LANGUAGES if language != business_language))


class Transcriptions:
    def __init__(
        self,
        database: Database,
        listener: Listener,
        *,
        audio_of: Callable[[StoredRecording], bytes | None],
        clock: Callable[[], datetime],
    ) -> None:
        self._database = database
        self._listener = listener
        self._audio_of = audio_of
        self._clock = clock

    def handlers(self) -> dict[str, Handler]:
        return {TRANSCRIBE: self.transcribe}

    def transcribe(self, args: dict[str, Any]) -> None:
        sid = args["recording_sid"]
        with self._database.transaction() as session:
            recording = recordings.get_recording(session, sid)
        if recording is None or recording.business_id is None:
            raise PermanentFailure(f"no stored message {sid}", DeliveryCode.MESSAGE_GONE)
        document = stored_document(self._database, recording.business_id)
        audio = self._audio_of(recording)
        if audio is None:  # no Twilio account to fetch it with: nothing to listen to
            self._finish(sid, transcripts.failed)
            return
        try:
            heard = self._listener.heard(audio, languages_for(document.language))
        except UndecodableRecording as error:
            self._finish(sid, transcripts.failed)
            raise PermanentFailure(str(error), DeliveryCode.NOT_AN_MP3) from error
        except TranscriberError as error:
            # Tried again with growing pauses; the deliveries keep waiting only until their time, then go without
            # words, and the inbox shows the words if a later try finds them.
            with self._database.transaction() as session:
                transcripts.failed(session, sid)
            raise JobFailure(str(error)) from error
        if isinstance(heard, NoSpeech):
            log.info(
                "recording %s holds no speech (%.1f s of %.1f s): not a message", sid, heard.speech_s, heard.duration_s
            )
            self._finish(sid, transcripts.no_speech, recording=recording)
            return
        urgent = is_urgent(heard.text, document)

        def store(session: Any, sid: str) -> None:
            transcripts.done(
                session,
                sid,
                text=heard.text,
                language=heard.language,
                confidence=heard.confidence,
                cut_short=heard.cut_short,
                urgent=urgent,
            )

        self._finish(sid, store)

    def _finish(self, sid: str, write: Callable[[Any, str], None], recording: StoredRecording | None = None) -> None:
        now = self._clock()
        with self._database.transaction() as session:
            write(session, sid)
            transcripts.release_deliveries(session, sid, (VOICEMAIL_EMAIL, VOICEMAIL_SMS), now)
            if recording is not None and recording.business_id is not None:
                # Not a message: the call reached nobody; its missed-call check looks again (it saw a recording).
                check = missed_call_check(recording.call_sid, recording.business_id, now)
                jobs.enqueue(session, [replace(check, key=f"{check.key}:no-speech", not_before=now)], now)
