"""The daily summary: every call of a business's day in one e-mail. Plain data in, an e-mail out."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ivr.callflow.steps import Outcome
from ivr.messages.compose import (
    Email,
    caller_text,
    duration_text,
    reached_a_human,
    route_in_words,
    taken_by_service,
    texts,
)
from ivr.messages.end_reason_text import reasons_line
from ivr.messages.transcript_text import first_line

CALLBACK, BLOCKED = Outcome.CALLBACK.value, Outcome.BLOCKED.value


@dataclass(frozen=True)
class SummaryCall:
    started_at: datetime
    caller: str | None
    path: tuple[str, ...]
    outcome: str | None
    duration_s: int | None
    # The message left in this call, if any: where to listen to it.
    message_url: str | None = None
    # The ring count its dial rang with (the call log keeps it); None: the business's, for calls logged before.
    rings: int | None = None
    # Its words, if written out (issue 22): the first line is shown; an urgent one is listed first.
    words: str | None = None
    urgent: bool = False
    # Why it ended (ivr.callflow.end_reasons); None while it went on, or for a call logged before reasons were kept.
    end_reason: str | None = None
    # The document's ring count and menu prompts when the call came (issue 20 item 8); None: the summary's.
    rings_then: int | None = None
    menu: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True)
class FailedDelivery:
    what: str
    to: str
    reason: str


@dataclass(frozen=True)
class SummaryNote:
    """A call note the answering service sent that day."""

    written_at: datetime
    caller: str
    message: str
    urgent: bool


# A note's message in the summary: its first line, cut to this length (the whole note is in the inbox).
SUMMARY_NOTE_CHARS = 120


@dataclass(frozen=True)
class SummaryFacts:
    business: str
    language: str
    timezone: str
    country: str
    day: date
    rings: int
    menu: tuple[tuple[str, str], ...]
    calls: tuple[SummaryCall, ...]
    failed: tuple[FailedDelivery, ...] = ()
    notes: tuple[SummaryNote, ...] = ()
    # Sent after its day because no worker ran at its time ("17:30"): said in the subject and first line.
    late_at: str | None = None
    # The business has an answering service (overflow: dial:): its calls are counted apart from staff's.
    answering_service: bool = False
    # The callback requests of the day (issue 23): when asked, the number, and whether done by now.
    callbacks: tuple[tuple[datetime, str, bool], ...] = ()
    # How many missed mobile callers were texted back that day (text_back:).
    texted_back: int = 0


def _summary_line(call: SummaryCall, facts: SummaryFacts) -> str:
    words = texts(facts.language)
    local = call.started_at.astimezone(ZoneInfo(facts.timezone)).strftime("%H:%M")
    if call.message_url:
        outcome = words["outcome_voicemail"]
    elif call.outcome in (CALLBACK, BLOCKED):
        outcome = words[f"outcome_{call.outcome}"]
    elif taken_by_service(call.path, call.outcome):
        outcome = words["outcome_service"]
    elif reached_a_human(call.path, call.outcome):
        outcome = words["outcome_answered"]
    else:
        outcome = words["outcome_missed"]
    rings = call.rings or call.rings_then or facts.rings
    route = route_in_words(call.path, rings, facts.menu if call.menu is None else call.menu, facts.language)
    parts = [local, caller_text(call.caller, facts.country, facts.language), route, outcome]
    if call.duration_s is not None:
        parts.append(duration_text(call.duration_s, facts.language))
    if call.words:
        parts.append(f"“{first_line(call.words)}”")
    if call.message_url:
        parts.append(call.message_url)
    line = " · ".join(parts)
    return f"{words['note_urgent_mark']} · {line}" if call.urgent else line


def _summary_note(note: SummaryNote, facts: SummaryFacts) -> str:
    words = texts(facts.language)
    first = " ".join(note.message.strip().splitlines()[0].split()) if note.message.strip() else ""
    message = first if len(first) <= SUMMARY_NOTE_CHARS else first[: SUMMARY_NOTE_CHARS - 1] + "…"
    line = words["summary_note"].format(
        time=note.written_at.astimezone(ZoneInfo(facts.timezone)).strftime("%H:%M"),
        caller=note.caller,
        message=message,
    )
    return f"{line} · {words['note_urgent_mark']}" if note.urgent else line


def _summary_callback(found: tuple[datetime, str, bool], facts: SummaryFacts) -> str:
    words = texts(facts.language)
    asked, number, done = found
    local = asked.astimezone(ZoneInfo(facts.timezone)).strftime("%H:%M")
    state = words["callback_done" if done else "callback_open"]
    return f"{local} · {caller_text(number, facts.country, facts.language)} · tel:{number} · {state}"


def _summary_counts(calls: list[SummaryCall], facts: SummaryFacts) -> str:
    words = texts(facts.language)
    messages = sum(1 for call in calls if call.message_url)
    people = [call for call in calls if not call.message_url and reached_a_human(call.path, call.outcome)]
    service = sum(1 for call in people if taken_by_service(call.path, call.outcome))
    # A callback request is no missed call: someone calls back.
    missed = len(calls) - len(people) - messages - sum(1 for call in calls if call.outcome == CALLBACK)
    if not facts.answering_service and not service:
        return words["summary_counts"].format(count=len(calls), answered=len(people), messages=messages, missed=missed)
    staff = len(people) - service
    return words["summary_counts_service"].format(
        count=len(calls), staff=staff, service=service, messages=messages, missed=missed
    )


def daily_summary_email(facts: SummaryFacts, address: str, message_id: str) -> Email:
    """Every call of the day, counts first; sent also on a day without calls, so silence never hides a fault."""
    words = texts(facts.language)
    calls = sorted(facts.calls, key=lambda call: (not call.urgent, call.started_at))
    lines = [words["summary_late"].format(at=facts.late_at), ""] if facts.late_at else []
    lines += [_summary_counts(calls, facts)]
    reasons = reasons_line((call.end_reason for call in calls), facts.language)
    lines += [reasons, ""] if reasons else [""]
    lines += [words["summary_failed"].format(what=f.what, to=f.to, reason=f.reason) for f in facts.failed]
    # "Today" only in the summary sent on its day.
    lines += [_summary_line(call, facts) for call in calls] or [
        words["summary_none_day" if facts.late_at else "summary_none"]
    ]
    if facts.callbacks:
        lines += ["", words["summary_callbacks"].format(count=len(facts.callbacks))]
        lines += [_summary_callback(found, facts) for found in sorted(facts.callbacks)]
    if facts.texted_back:
        lines += ["", words["summary_texted_back"].format(count=facts.texted_back)]
    if facts.notes:
        lines += ["", words["summary_notes"].format(count=len(facts.notes))]
        lines += [_summary_note(note, facts) for note in sorted(facts.notes, key=lambda note: note.written_at)]
    day = facts.day.strftime(words["time_format"].split(" ")[0])
    subject = words["summary_subject"].format(business=facts.business, day=day, count=len(calls))
    if facts.late_at:
        subject = words["summary_late_subject"].format(subject=subject)
    return Email(address, subject, "\n".join(lines) + "\n", message_id)
