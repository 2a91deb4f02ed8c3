"""The job functions that deliver a message: keep our copy of the recording, e-mail it, text about it.

Each reads what it needs from the database when it runs (the business as it is now for its name and addresses;
the call's route as the recording's webhooks carried it and the log has it, with the ring count then), so a
delivery retried later composes the same message with the facts then known, and never a route of today's settings.
"""

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from ivr.calendar.fetch import feed_fetcher
from ivr.calendar.refresh import CALENDARS, CalendarRefresh
from ivr.document.model import BusinessDocument
from ivr.jobs.model import PermanentFailure
from ivr.jobs.worker import Handler, Schedule, Worker
from ivr.messages import compose
from ivr.messages.call_notes import CallNoteDeliveries
from ivr.messages.call_recovery import RECOVER_CALLS, CallRecovery, recovery_schedule
from ivr.messages.callback_requests import CallbackDeliveries
from ivr.messages.demo_recording import demo_inbox, spoken_sample
from ivr.messages.failures import DeliveryCode
from ivr.messages.monthly_reports import MonthlyReports
from ivr.messages.notes import Notes, settings_then, stored_document
from ivr.messages.outbox import KEEP_RECORDING, URGENT, VOICEMAIL_EMAIL, VOICEMAIL_SMS, message_domain
from ivr.messages.reconcile import RECONCILE, Reconciler, reconcile_schedule
from ivr.messages.senders import Senders, senders
from ivr.messages.text_back import TextBacks
from ivr.messages.transcription import Transcriptions, listener, transcribe_wait_s
from ivr.messages.voicemail_copies import VoicemailAudio
from ivr.privacy.deleters import Holders
from ivr.privacy.retention import RETENTION, RetentionJob, retention_schedule
from ivr.settings import Settings
from ivr.store import calls, recordings
from ivr.store.database import Database
from ivr.store.jobs import utc
from ivr.store.recordings import StoredRecording
from ivr.store.transcripts import TranscriptStatus

log = logging.getLogger("greetline.messages")


def inbox_url(public_url: str, recording_sid: str) -> str:
    return f"{public_url}/admin/messages/{recording_sid}"


class Deliveries:
    def __init__(
        self,
        database: Database,
        senders: Senders,
        *,
        audio: VoicemailAudio,
        public_url: str,
        delete_from_twilio: bool,
        clock: Callable[[], datetime],
        stand_in: Callable[[], bytes] | None = None,
    ) -> None:
        """`stand_in`: a recording for every message when there is no Twilio account to fetch from (development
        mode: ivr.messages.demo_recording)."""
        self._database = database
        self._senders = senders
        self._audio = audio
        self._public_url = public_url
        self._delete_from_twilio = delete_from_twilio
        self._clock = clock
        self._stand_in = stand_in

    def handlers(self) -> dict[str, Handler]:
        return {
            KEEP_RECORDING: self.keep_recording,
            VOICEMAIL_EMAIL: self.voicemail_email,
            VOICEMAIL_SMS: self.voicemail_sms,
        }

    def _recording(self, recording_sid: str) -> StoredRecording:
        with self._database.transaction() as session:
            found = recordings.get_recording(session, recording_sid)
        if found is None or found.business_id is None:
            raise PermanentFailure(f"no stored message {recording_sid}", DeliveryCode.MESSAGE_GONE)
        return found

    def _business(self, business_id: int) -> BusinessDocument:
        return stored_document(self._database, business_id)

    def audio_of(self, recording: StoredRecording) -> bytes | None:
        """Our copy, fetched from Twilio the first time; None when no Twilio account is configured (in development
        mode: the stand-in)."""
        kept = self._audio.read(recording.recording_sid)
        if kept is not None:
            return kept
        fetcher = self._senders.recordings
        if fetcher is not None:
            data = fetcher.fetch(recording.url)
        elif self._stand_in is not None:
            data = self._stand_in()
        else:
            return None
        name = self._audio.keep(recording.recording_sid, data)
        with self._database.transaction() as session:
            recordings.recording_kept(session, recording.recording_sid, name, self._clock())
        if fetcher is not None and self._delete_from_twilio:  # only now that ours is stored and checked
            fetcher.delete(recording.url)
        return data

    def keep_recording(self, args: dict[str, Any]) -> None:
        self.audio_of(self._recording(args["recording_sid"]))

    def _facts(self, recording: StoredRecording, document: BusinessDocument) -> compose.VoicemailFacts:
        with self._database.transaction() as session:
            call = calls.get(session, recording.call_sid)
        # A delivery retried days later (or a message reconciled late) words its route in the settings of its time.
        then = settings_then(self._database, recording.business_id or 0, utc(recording.received_at), document)
        return compose.VoicemailFacts(
            business=document.business,
            language=document.language,
            timezone=document.timezone,
            country=document.country,
            caller=recording.from_number or (call.from_number if call else None),
            received_at=utc(recording.received_at),
            duration_s=recording.duration_s,
            path=compose.message_route(tuple(call.path) if call else (), recording.route, recording.box),
            # As the caller heard it: the ring count the webhooks carried, or the call log kept, else that day's.
            rings=recording.rings or (call.rings if call else None) or then.rings,
            menu=then.menu,
            inbox_url=inbox_url(self._public_url, recording.recording_sid),
            **_words(recording),
        )

    def voicemail_email(self, args: dict[str, Any]) -> str | None:
        recording = self._recording(args["recording_sid"])
        if _not_a_message(recording):
            return None
        document = self._business(recording.business_id or 0)
        facts = self._facts(recording, document)
        audio = self.audio_of(recording)
        mail = compose.voicemail_email(facts, args["address"], args["message_id"], attached=audio is not None)
        if audio is not None:
            name = compose.audio_file_name(facts.received_at, facts.timezone)
            attachment = compose.Attachment(name, "audio/mpeg", audio)
            mail = replace(mail, attachments=(attachment,))
        return self._senders.mailer.send(mail, self._senders.mail_from)

    def voicemail_sms(self, args: dict[str, Any]) -> str | None:
        recording = self._recording(args["recording_sid"])
        if _not_a_message(recording) or (args.get("only_if") == URGENT and not recording.urgent):
            return None
        document = self._business(recording.business_id or 0)
        sender = self._senders.sms_from or document.numbers[0]
        return self._senders.texts.send(compose.voicemail_sms(self._facts(recording, document), args["number"], sender))


def _not_a_message(recording: StoredRecording) -> bool:
    """No one spoke in it (ivr.messages.transcription): no e-mail and no text, as if no message was left."""
    return recording.transcript_status == TranscriptStatus.NO_SPEECH.value


def _words(recording: StoredRecording) -> dict[str, Any]:
    if recording.transcript_status != TranscriptStatus.DONE.value or not recording.transcript:
        return {}
    return {
        "transcript": recording.transcript,
        "transcript_language": recording.transcript_language,
        "transcript_cut_short": recording.transcript_cut_short,
        "urgent": recording.urgent,
    }


def make_worker(
    settings: Settings,
    database: Database,
    clock: Callable[[], datetime],
    made_senders: Senders | None = None,
    voicemails: VoicemailAudio | None = None,
    *,
    transcriber_in_own_process: bool = False,
) -> Worker:
    """The worker with every job function of the after-the-call half, senders and storage made from Settings.

    `transcriber_in_own_process`: the local transcription model runs in a child process (`greetline serve`).
    """
    from ivr.audio_stores import storage

    made = made_senders or senders(settings)
    audio = voicemails or storage(settings).voicemails
    deliveries = Deliveries(
        database,
        made,
        audio=audio,
        public_url=settings.public_url,
        delete_from_twilio=settings.twilio_delete_recordings,
        clock=clock,
        stand_in=spoken_sample if demo_inbox(settings) else None,
    )
    domain = message_domain(settings.public_url)
    notes = Notes(database, made, public_url=settings.public_url, domain=domain, clock=clock)
    call_notes = CallNoteDeliveries(database, made, public_url=settings.public_url, clock=clock)
    callback_requests = CallbackDeliveries(database, made, public_url=settings.public_url, clock=clock)
    handlers = {**deliveries.handlers(), **notes.handlers(), **call_notes.handlers(), **callback_requests.handlers()}
    handlers.update(TextBacks(database, made, clock=clock).handlers())
    transcriber = listener(settings, own_process=transcriber_in_own_process)
    if transcriber is not None:
        handlers.update(Transcriptions(database, transcriber, audio_of=deliveries.audio_of, clock=clock).handlers())
    reports = MonthlyReports(database, made, domain=domain, clock=clock)
    handlers.update(reports.handlers())
    schedules: list[Schedule] = [notes.summary_schedule, reports.schedule, retention_schedule]
    handlers[RETENTION] = RetentionJob(Holders(database, audio, made.recordings), clock)
    if made.recordings is not None:  # without a Twilio account there is nothing to reconcile with
        wait_s = transcribe_wait_s(settings)
        handlers[RECONCILE] = Reconciler(
            database, made.recordings, domain=domain, clock=clock, transcribe_wait_s=wait_s
        )
        schedules.append(reconcile_schedule)
    if made.calls is not None:
        handlers[RECOVER_CALLS] = CallRecovery(database, made.calls, clock=clock)
        schedules.append(recovery_schedule)
    # Each business's calendar feed (issue 26), read again every few minutes, a job each, side by side.
    calendar = CalendarRefresh(database, feed_fetcher(settings), clock, every_s=settings.calendar_every_s)
    handlers[CALENDARS] = calendar
    schedules.append(calendar.schedule)
    lease_s = settings.job_lease_s
    return Worker(database, handlers, clock=clock, lease_s=lease_s, schedules=schedules, concurrent={CALENDARS})
