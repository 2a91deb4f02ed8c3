"""Composing what a business is told after a call: plain data in, e-mails and texts out. No I/O, no clock."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

import yaml

from ivr.callflow.steps import Outcome
from ivr.document.phones import for_people
from ivr.messages.transcript_text import fit_sms, transcript_lines


@dataclass(frozen=True)
class Attachment:
    file_name: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str
    message_id: str
    attachments: tuple[Attachment, ...] = field(default=())


@dataclass(frozen=True)
class Sms:
    to: str
    body: str
    # The business's own number unless GREETLINE_SMS_FROM says otherwise.
    sender: str


@dataclass(frozen=True)
class VoicemailFacts:
    """What the delivery knows of a message: from the stored message, its call and its business."""

    business: str
    language: str
    timezone: str
    # The business's ISO country: its own numbers are written nationally, others internationally.
    country: str
    caller: str | None
    received_at: datetime
    duration_s: int | None
    # The call's path labels as the call log keeps them ("welcome+menu", "menu:2", "operators:no-answer>…").
    path: tuple[str, ...]
    rings: int
    # Menu keys and the prompt that offers them ("2": "Voor offertes, toets 2.").
    menu: tuple[tuple[str, str], ...]
    inbox_url: str
    # What the caller said, written out by the transcriber (issue 22); None when there are no words (yet).
    transcript: str | None = None
    transcript_language: str | None = None
    transcript_cut_short: bool = False
    urgent: bool = False


@cache
def texts(language: str) -> dict[str, str]:
    catalogue = yaml.safe_load(resources.files("ivr.messages").joinpath("texts.yaml").read_text("utf-8"))
    found: dict[str, str] = catalogue[language]
    return found


def caller_text(number: str | None, country: str, language: str) -> str:
    return for_people(number, country) if number else texts(language)["unknown_caller"]


def local_time_text(moment: datetime, timezone: str, language: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime(texts(language)["time_format"])


def audio_file_name(received_at: datetime, timezone: str) -> str:
    """The recording's file name as a download or attachment: when it was left, at the business."""
    return f"voicemail-{received_at.astimezone(ZoneInfo(timezone)).strftime('%Y-%m-%d-%H%M')}.mp3"


def duration_text(duration_s: int | None, language: str) -> str:
    seconds = duration_s or 0
    if seconds < 60:
        return texts(language)["seconds"].format(s=seconds)
    return texts(language)["minutes"].format(m=seconds // 60, s=seconds % 60)


# "Voor offertes, toets 2." → "voor offertes": the part of a menu prompt that says what the option is for.
_PRESS = re.compile(r"[,;:]?\s*(toets|druk|press|dial|drücken|wählen|tapez|appuyez)\b.*$", re.IGNORECASE)


# When closed, the caller pressed the emergency key (ivr.callflow.flow.emergency_choice): "emergency:1".
EMERGENCY_KEY = re.compile(r"^emergency:[0-9*#]$")


def menu_label(prompt: str) -> str:
    label = _PRESS.sub("", prompt).strip().rstrip(".")
    return label[:1].lower() + label[1:]


def message_route(logged: tuple[str, ...], carried: tuple[str, ...], box: str | None) -> tuple[str, ...]:
    """A message's route as known when its e-mail is composed: the call log's path, then the labels the recording's
    webhooks carried (the log may not have stored the deciding step yet; each part is said once), then the box
    itself where its name is a path label (a menu key, a period), for a message taken in before routes travelled."""
    named = (box,) if box and box.startswith(("menu:", "period:")) else ()
    return (*logged, *carried, *named)


# DialCallStatus values that say the phones rang out or were busy; the rest (failed, canceled) reached nobody.
_UNANSWERED = re.compile(r":(no-answer|busy|failed|canceled)(>|$)")


def route_in_words(path: tuple[str, ...], rings: int, menu_prompts: tuple[tuple[str, str], ...], language: str) -> str:
    """The call's way through the flow, in words: "menu: 2 - voor offertes", "na 4 keer overgaan"; "rechtstreeks"
    for a call that went straight to a phone, "onbekend" when nothing of the call is known (never a bare dash)."""
    words = texts(language)
    menu = dict(menu_prompts)
    parts: list[str] = []
    for label in path:
        unanswered = _UNANSWERED.search(label)
        if label.startswith("menu:") and label[5:] in menu:
            parts.append(words["menu"].format(key=label[5:], label=menu_label(menu[label[5:]])))
        elif label.startswith("closed:holiday:"):
            parts.append(words["holiday"].format(name=label.removeprefix("closed:holiday:")))
        elif label == "closed:hours":
            parts.append(words["outside_hours"])
        elif EMERGENCY_KEY.match(label):
            parts.append(words["emergency"].format(key=label.removeprefix("emergency:")))
        elif label.startswith("period:"):
            parts.append(words["period"].format(day=label.removeprefix("period:")))
        elif unanswered and unanswered[1] == "busy":
            parts.append(words["busy"])
        elif unanswered and unanswered[1] == "no-answer":
            parts.append(words["after_rings"].format(rings=rings))
        elif unanswered:
            parts.append(words["not_reached"])
    if not path:
        return words["route_unknown"]
    return ", ".join(dict.fromkeys(parts)) or words["route_direct"]


def voicemail_email(facts: VoicemailFacts, address: str, message_id: str, *, attached: bool) -> Email:
    words = texts(facts.language)
    caller = caller_text(facts.caller, facts.country, facts.language)
    lines = []
    if facts.transcript:
        spoken, cut_short = facts.transcript_language, facts.transcript_cut_short
        lines += transcript_lines(words, facts.transcript, spoken, facts.language, cut_short)
    lines += [
        words["voicemail_intro"].format(caller=caller, business=facts.business),
        "",
        f"{words['caller']}: {caller}",
    ]
    if facts.caller:
        lines.append(f"{words['call_back']}: tel:{facts.caller}")
    lines += [
        f"{words['time']}: {local_time_text(facts.received_at, facts.timezone, facts.language)}",
        f"{words['duration']}: {duration_text(facts.duration_s, facts.language)}",
        f"{words['route']}: {route_in_words(facts.path, facts.rings, facts.menu, facts.language)}",
        "",
        words["attached"] if attached else words["not_attached"],
        f"{words['listen']}: {facts.inbox_url}",
    ]
    subject = words["voicemail_subject"].format(business=facts.business, caller=caller)
    if facts.urgent:
        subject = f"{words['note_urgent_mark']}: {subject}"
    return Email(address, subject, "\n".join(lines) + "\n", message_id)


def voicemail_sms(facts: VoicemailFacts, number: str, sender: str) -> Sms:
    words = texts(facts.language)
    if facts.transcript:  # the start of the words, within two SMS segments
        fill = {
            "business": facts.business,
            "caller": caller_text(facts.caller, facts.country, facts.language),
            "time": local_time_text(facts.received_at, facts.timezone, facts.language),
            "link": facts.inbox_url,
        }
        template = words["voicemail_sms_words"]
        if facts.urgent:
            template = f"{words['note_urgent_mark']} {template}"
        return Sms(number, fit_sms(template, facts.transcript, **fill), sender)
    body = words["voicemail_sms"].format(
        business=facts.business,
        caller=caller_text(facts.caller, facts.country, facts.language),
        time=local_time_text(facts.received_at, facts.timezone, facts.language),
        duration=duration_text(facts.duration_s, facts.language),
        link=facts.inbox_url,
    )
    return Sms(number, body, sender)


@dataclass(frozen=True)
class CallNoteFacts:
    """A note the answering service sent after a call it took for the business."""

    business: str
    language: str
    timezone: str
    country: str
    caller_name: str
    caller_number: str | None
    message: str
    urgent: bool
    written_at: datetime
    inbox_url: str


def call_note_email(facts: CallNoteFacts, address: str, message_id: str) -> Email:
    words = texts(facts.language)
    caller = facts.caller_name
    if facts.caller_number:
        caller = f"{caller} ({for_people(facts.caller_number, facts.country)})"
    lines = [words["note_intro"].format(caller=caller, business=facts.business), ""]
    if facts.urgent:
        lines += [words["note_urgent"], ""]
    lines += [facts.message.strip(), "", f"{words['caller']}: {caller}"]
    if facts.caller_number:
        lines.append(f"{words['call_back']}: tel:{facts.caller_number}")
    lines += [
        f"{words['time']}: {local_time_text(facts.written_at, facts.timezone, facts.language)}",
        f"{words['note_inbox']}: {facts.inbox_url}",
    ]
    subject = words["note_subject"].format(business=facts.business, caller=facts.caller_name)
    if facts.urgent:
        subject = f"{words['note_urgent_mark']}: {subject}"
    return Email(address, subject, "\n".join(lines) + "\n", message_id)


# An SMS of more than 3 segments costs more and arrives in pieces on older phones; the message is cut to fit.
NOTE_SMS_MAX_CHARS = 459


def call_note_sms(facts: CallNoteFacts, number: str, sender: str) -> Sms:
    words = texts(facts.language)
    caller = facts.caller_name + (f" {for_people(facts.caller_number, facts.country)}" if facts.caller_number else "")
    fill = {"business": facts.business, "caller": caller, "link": facts.inbox_url}
    room = NOTE_SMS_MAX_CHARS - len(words["note_sms"].format(**fill, message=""))
    message = " ".join(facts.message.split())
    if len(message) > room:
        message = message[: max(0, room - 1)] + "…"
    return Sms(number, words["note_sms"].format(**fill, message=message), sender)


# Outcomes the call log records when a person took the call (ivr.callflow.steps.Outcome).
HUMAN_OUTCOMES = frozenset({"operator", "overflow"})
# The outcome of a call the overflow's dial (the answering service) took, and the path label the service's leg adds
# when it answers, whichever dial reached it (the whisper plays only to the overflow's number, ivr.callflow.flow).
SERVICE_OUTCOME = "overflow"
SERVICE_ANSWERED_LABEL = "whisper:"


def reached_a_human(path: tuple[str, ...], outcome: str | None) -> bool:
    """Answered by staff or the answering service; a closed line's dial answered counts too."""
    return outcome in HUMAN_OUTCOMES or any(label.endswith((":completed", ":answered")) for label in path)


# A callback request needs no missed-call note (its own e-mail says it); a blocked caller leaves no trace but the log.
NO_MISSED_NOTE_OUTCOMES = frozenset({Outcome.CALLBACK.value, Outcome.BLOCKED.value})


def missed_note_due(path: tuple[str, ...], outcome: str | None) -> bool:
    """A call that reached nobody, asked for nothing and was not blocked gets a missed-call note."""
    return not reached_a_human(path, outcome) and outcome not in NO_MISSED_NOTE_OUTCOMES


def taken_by_service(path: tuple[str, ...], outcome: str | None) -> bool:
    """Answered by the answering service rather than by staff."""
    return outcome == SERVICE_OUTCOME or (
        reached_a_human(path, outcome) and any(label.startswith(SERVICE_ANSWERED_LABEL) for label in path)
    )


def missed_call_email(facts: VoicemailFacts, address: str, message_id: str) -> Email:
    """A short note for a call that reached nobody and left no message (facts of the call, not a message)."""
    words = texts(facts.language)
    caller = caller_text(facts.caller, facts.country, facts.language)
    lines = [words["missed_intro"].format(caller=caller, business=facts.business), ""]
    if facts.caller:
        lines.append(f"{words['call_back']}: tel:{facts.caller} ({caller})")
    lines += [
        f"{words['time']}: {local_time_text(facts.received_at, facts.timezone, facts.language)}",
        f"{words['route']}: {route_in_words(facts.path, facts.rings, facts.menu, facts.language)}",
    ]
    subject = words["missed_subject"].format(business=facts.business, caller=caller)
    return Email(address, subject, "\n".join(lines) + "\n", message_id)
