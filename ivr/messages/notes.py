"""Missed-call notes and the daily summary: jobs that look at the call log and queue one e-mail per address.

Both are sent from the same function whether the worker runs them or `greetline summary` asks for one now.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ivr.document.load import validate_document
from ivr.document.model import BusinessDocument
from ivr.document.phones import for_people
from ivr.errors import DocumentError
from ivr.jobs.model import PermanentFailure
from ivr.jobs.worker import Handler
from ivr.messages import compose, summary_email
from ivr.messages.failures import DeliveryCode
from ivr.messages.outbox import VOICEMAIL_EMAIL, VOICEMAIL_SMS, message_id
from ivr.messages.senders import Senders
from ivr.messages.summary_days import (
    DAILY_SUMMARY,
    SummaryTime,
    day_of_subject,
    last_due_day,
    recent_subjects_from,
    summaries_due,
    summary_subject,
    summary_time,
)
from ivr.store import businesses, callbacks, calls, cards, history, jobs, text_backs
from ivr.store.database import Database
from ivr.store.jobs import JobSpec, JobState, utc
from ivr.store.tables import RecordingRow
from ivr.store.transcripts import IS_A_MESSAGE, TranscriptStatus

log = logging.getLogger("greetline.messages")

MISSED_CALL = "missed-call"
MISSED_CALL_EMAIL = "missed-call-email"
DAILY_SUMMARY_EMAIL = "daily-summary-email"
# A call's recording callback can come some seconds after its final status; look only once it would have.
MISSED_CALL_DELAY = timedelta(seconds=60)
# The calls a summary lists at most; a small business takes far fewer in a day.
SUMMARY_MAX_CALLS = 2000


def stored_document(database: Database, business_id: int) -> BusinessDocument:
    """The business's document as it is now (a delivery retried tomorrow uses tomorrow's addresses)."""
    with database.transaction() as session:
        return validate_document(businesses.get(session, business_id).document)


@dataclass(frozen=True)
class SettingsThen:
    """What a past call's words take from the document in force when it came (issue 20 item 8): the menu's
    prompts ("menu: 2 - voor offertes" as the caller heard it) and the ring count, for a call logged before its own
    ring count was kept. Names, languages and addresses are today's: a note goes where the business wants it now."""

    rings: int
    menu: tuple[tuple[str, str], ...]


def settings_of(document: BusinessDocument) -> SettingsThen:
    return SettingsThen(document.rings, tuple((option.key, option.prompt) for option in document.menu))


def _settings_of(version: history.Version | None, today: SettingsThen) -> SettingsThen:
    if version is None:
        return today
    try:
        return settings_of(validate_document(version.document))
    except DocumentError:  # a version today's rules refuse: its words are not worth a lost note
        return today


def settings_then(database: Database, business_id: int, moment: datetime, today: BusinessDocument) -> SettingsThen:
    with database.transaction() as session:
        return _settings_of(history.as_of(session, business_id, moment), settings_of(today))


def settings_during(
    session: Session, business_id: int, moments: list[datetime], today: SettingsThen
) -> list[SettingsThen]:
    """The settings in force at each of a day's moments (ascending or not), from two reads: the version in force at
    the first, and the day's changes after it."""
    if not moments:
        return []
    first, last = min(moments), max(moments)
    versions = [history.as_of(session, business_id, first), *history.changed_during(session, business_id, first, last)]
    settings = [_settings_of(version, today) for version in versions]
    starts = [utc(version.changed_at) if version is not None else None for version in versions]
    found = []
    for moment in moments:
        found.append(settings[max(i for i, start in enumerate(starts) if start is None or start <= utc(moment))])
    return found


def call_facts(
    document: BusinessDocument, call: calls.LoggedCall, inbox_url: str, then: SettingsThen | None = None
) -> compose.VoicemailFacts:
    """What a note about a logged call says: the call as the log has it, its route in the settings of its time
    (`then`; today's when not told), the business as it is now."""
    then = then or settings_of(document)
    return compose.VoicemailFacts(
        business=document.business,
        language=document.language,
        timezone=document.timezone,
        country=document.country,
        caller=call.from_number,
        received_at=utc(call.started_at),
        duration_s=call.duration_s,
        path=tuple(call.path),
        rings=call.rings or then.rings,  # as the call rang; a call logged before rings were kept: its day's
        menu=then.menu,
        inbox_url=inbox_url,
    )


def missed_call_check(call_sid: str, business_id: int, now: datetime) -> JobSpec:
    return JobSpec(
        f"{MISSED_CALL}:{call_sid}",
        MISSED_CALL,
        {"call_sid": call_sid, "business_id": business_id},
        business_id,
        call_sid,
        not_before=now + MISSED_CALL_DELAY,
    )


def local_day_bounds(day: date, timezone: str) -> tuple[datetime, datetime]:
    """The instants a local day starts and ends (23 or 25 hours on a DST change)."""
    zone = ZoneInfo(timezone)
    return datetime.combine(day, time(0), zone), datetime.combine(day + timedelta(days=1), time(0), zone)


class Notes:
    def __init__(
        self, database: Database, senders: Senders, *, public_url: str, domain: str, clock: Callable[[], datetime]
    ) -> None:
        self._database = database
        self._senders = senders
        self._public_url = public_url
        self._domain = domain
        self._clock = clock
        # When each business's summary is due, with the revision it was read at: the schedule reads only documents
        # that changed, and keeps their summary time rather than the document (12 kB validated, times 10,000).
        self._summary_times: dict[int, tuple[int, SummaryTime | None]] = {}
        # Each business's last queued summary day as the jobs table said it, and the due day it was read for: read
        # again once a new day is due (once a day per business, and for all of them when a worker starts).
        self._last_queued: dict[int, tuple[date, date | None]] = {}

    def handlers(self) -> dict[str, Handler]:
        return {
            MISSED_CALL: self.missed_call,
            MISSED_CALL_EMAIL: self.missed_call_email,
            DAILY_SUMMARY: self.daily_summary,
            DAILY_SUMMARY_EMAIL: self.daily_summary_email,
        }

    def summary_schedule(self, now: datetime) -> list[JobSpec]:
        """Runs every half minute: reading and validating every document each time took a third of a core with
        10,000 businesses (profiled, issue 12), so only documents whose revision changed are read again."""
        with self._database.transaction() as session:
            current = businesses.revisions(session.connection())
            changed = [id_ for id_, revision in current.items() if self._summary_times.get(id_, (0,))[0] != revision]
            for stored in businesses.documents_of(session.connection(), changed):
                self._summary_times[stored.id] = (stored.revision, summary_time(validate_document(stored.document)))
            for gone in self._summary_times.keys() - current.keys():
                del self._summary_times[gone]
                self._last_queued.pop(gone, None)
            times = {id_: when for id_, (_revision, when) in self._summary_times.items() if when is not None}
            self._read_last_queued(session, times, now)
        return [
            spec
            for id_, when in times.items()
            for spec in summaries_due(when, id_, now, self._last_queued.get(id_, (None, None))[1])
        ]

    def _read_last_queued(self, session: Session, times: dict[int, SummaryTime], now: datetime) -> None:
        """The last summary day queued of each business with a new day due. Most have one of the last few days, found
        in a range of the subject index; only the others (a new summary, a worker away longer) search all their jobs."""
        due = {id_: last_due_day(when, now) for id_, when in times.items()}
        asking = [id_ for id_, day in due.items() if self._last_queued.get(id_, (None,))[0] != day]
        latest = jobs.latest_subjects(session, DAILY_SUMMARY, asking, from_subject=recent_subjects_from(now))
        latest |= jobs.latest_subjects(session, DAILY_SUMMARY, [id_ for id_ in asking if id_ not in latest])
        for id_ in asking:
            self._last_queued[id_] = (due[id_], day_of_subject(latest[id_]) if id_ in latest else None)

    def _document(self, business_id: int) -> BusinessDocument:
        return stored_document(self._database, business_id)

    def _queue(self, specs: list[JobSpec]) -> None:
        with self._database.transaction() as session:
            jobs.enqueue(session, specs, self._clock())

    # -- missed calls ---------------------------------------------------------------------------------
    def missed_call(self, args: dict[str, Any]) -> None:
        """A call ended: if it reached nobody and left no message, queue a note per address."""
        call_sid, business_id = args["call_sid"], args["business_id"]
        with self._database.transaction() as session:
            call = calls.get(session, call_sid)
            left = session.query(RecordingRow).filter(RecordingRow.call_sid == call_sid, IS_A_MESSAGE)
            recorded = left.count() > 0  # a recording with no one speaking in it is not a message
        if call is None or call.simulated or recorded or not compose.missed_note_due(tuple(call.path), call.outcome):
            return
        document = self._document(business_id)
        addresses = document.missed_calls.email if document.missed_calls else []
        self._queue(
            [
                JobSpec(
                    f"{MISSED_CALL_EMAIL}:{call_sid}:{address}",
                    MISSED_CALL_EMAIL,
                    {**args, "address": address, "message_id": message_id("missed", call_sid, address, self._domain)},
                    business_id,
                    call_sid,
                )
                for address in addresses
            ]
        )

    def missed_call_email(self, args: dict[str, Any]) -> None:
        document = self._document(args["business_id"])
        with self._database.transaction() as session:
            call = calls.get(session, args["call_sid"])
        if call is None:
            raise PermanentFailure(f"call {args['call_sid']} is not in the call log", DeliveryCode.MESSAGE_GONE)
        then = settings_then(self._database, args["business_id"], call.started_at, document)
        facts = call_facts(document, call, f"{self._public_url}/admin/calls", then)
        self._senders.mailer.send(
            compose.missed_call_email(facts, args["address"], args["message_id"]), self._senders.mail_from
        )

    # -- the daily summary ----------------------------------------------------------------------------
    def daily_summary(self, args: dict[str, Any]) -> None:
        document = self._document(args["business_id"])
        addresses = document.daily_summary.email if document.daily_summary else []
        subject = summary_subject(date.fromisoformat(args["day"]))
        self._queue(
            [
                JobSpec(
                    f"{DAILY_SUMMARY_EMAIL}:{args['business_id']}:{args['day']}:{address}",
                    DAILY_SUMMARY_EMAIL,
                    {
                        **args,
                        "address": address,
                        "message_id": message_id("summary", args["day"], address, self._domain),
                    },
                    args["business_id"],
                    subject,
                )
                for address in addresses
            ]
        )

    def daily_summary_email(self, args: dict[str, Any]) -> None:
        facts = self.summary_facts(args["business_id"], date.fromisoformat(args["day"]), late=bool(args.get("late")))
        email = summary_email.daily_summary_email(facts, args["address"], args["message_id"])
        self._senders.mailer.send(email, self._senders.mail_from)

    def send_summary_now(self, business_id: int, day: date) -> list[str]:
        """`greetline summary`: the same e-mail, to every address, at once; returns the addresses."""
        document = self._document(business_id)
        if document.daily_summary is None:
            raise PermanentFailure(
                "this business has no daily_summary: {email: [...]} in its document", DeliveryCode.NO_DAILY_SUMMARY
            )
        for address in document.daily_summary.email:
            # The day's own Message-ID, as the worker's: asked for again, or sent by the worker too, mail programs
            # fold the copies.
            self.daily_summary_email(
                {
                    "business_id": business_id,
                    "day": day.isoformat(),
                    "address": address,
                    "message_id": message_id("summary", day.isoformat(), address, self._domain),
                }
            )
        return list(document.daily_summary.email)

    def summary_facts(self, business_id: int, day: date, *, late: bool = False) -> summary_email.SummaryFacts:
        document = self._document(business_id)
        start, end = local_day_bounds(day, document.timezone)
        # A late summary (or `greetline summary` for an old day) says each call as the settings then had it.
        then = settings_then(self._database, business_id, end, document)
        with self._database.transaction() as session:
            logged = calls.recent(session.connection(), business_id, limit=SUMMARY_MAX_CALLS, since=start, until=end)
            sids = [call.call_sid for call in logged]
            moments = [utc(call.started_at) for call in logged]
            in_force = settings_during(session, business_id, moments, settings_of(document))
            found = session.query(RecordingRow).filter(RecordingRow.call_sid.in_(sids), IS_A_MESSAGE)
            rows = found.all() if sids else []
            messages = {row.call_sid: row.recording_sid for row in rows}
            # Each message's words (issue 22): the summary shows their first line and lists urgent ones first.
            said = {
                row.call_sid: (row.transcript if row.transcript_status == TranscriptStatus.DONE else None)
                for row in rows
            }
            urgent = {row.call_sid for row in rows if row.urgent}
            day_notes = cards.notes(session, business_id, since=start, until=end, limit=SUMMARY_MAX_CALLS)
            asked = callbacks.listed(session, business_id, since=start, until=end, limit=SUMMARY_MAX_CALLS)
            texted = text_backs.listed(session, business_id, since=start, until=end, limit=SUMMARY_MAX_CALLS)
            failed = [
                summary_email.FailedDelivery(
                    status.kind, str(status.args.get("address") or status.args.get("number")), status.last_error or ""
                )
                for sid in messages.values()
                for status in jobs.for_subject(session, sid)
                if status.state == JobState.FAILED.value and status.kind in (VOICEMAIL_EMAIL, VOICEMAIL_SMS)
            ]
        return summary_email.SummaryFacts(
            business=document.business,
            language=document.language,
            timezone=document.timezone,
            country=document.country,
            day=day,
            late_at=document.daily_summary.at if late and document.daily_summary else None,
            answering_service=document.overflow is not None and document.overflow.dial is not None,
            callbacks=tuple((found.created_at, found.caller_number, found.done) for found in asked),
            texted_back=len(texted),
            rings=then.rings,
            menu=then.menu,
            calls=tuple(
                summary_email.SummaryCall(
                    utc(call.started_at),
                    call.from_number,
                    tuple(call.path),
                    call.outcome,
                    call.duration_s,
                    f"{self._public_url}/admin/messages/{messages[call.call_sid]}"
                    if call.call_sid in messages
                    else None,
                    call.rings,
                    words=said.get(call.call_sid),
                    urgent=call.call_sid in urgent,
                    end_reason=call.end_reason,
                    rings_then=settings.rings,
                    menu=settings.menu,
                )
                for call, settings in zip(logged, in_force, strict=True)
            ),
            failed=tuple(failed),
            notes=tuple(
                summary_email.SummaryNote(
                    note.created_at,
                    f"{note.caller_name} ({for_people(note.caller_number, document.country)})"
                    if note.caller_number
                    else note.caller_name,
                    note.message,
                    note.urgent,
                )
                for note in day_notes
            ),
        )
