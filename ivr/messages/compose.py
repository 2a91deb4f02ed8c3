"""Composing what a business is told after a call: plain data in, e-mails and texts out. No I/O, no clock."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

import yaml

from ivr.document.phones import for_people


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
    caller: str | None
    received_at: datetime
    duration_s: int | None
    # The call's path labels as the call log keeps them ("welcome+menu", "menu:2", "operators:no-answer>…").
    path: tuple[str, ...]
    rings: int
    # Menu keys and the prompt that offers them ("2": "Voor offertes, toets 2.").
    menu: tuple[tuple[str, str], ...]
    inbox_url: str


@cache
def texts(language: str) -> dict[str, str]:
    catalogue = yaml.safe_load(resources.files("ivr.messages").joinpath("texts.yaml").read_text("utf-8"))
    found: dict[str, str] = catalogue[language]
    return found


def caller_text(number: str | None, language: str) -> str:
    return for_people(number) if number else texts(language)["unknown_caller"]


def local_time_text(moment: datetime, timezone: str, language: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime(texts(language)["time_format"])


def duration_text(duration_s: int | None, language: str) -> str:
    seconds = duration_s or 0
    if seconds < 60:
        return texts(language)["seconds"].format(s=seconds)
    return texts(language)["minutes"].format(m=seconds // 60, s=seconds % 60)


# "Voor offertes, toets 2." → "voor offertes": the part of a menu prompt that says what the option is for.
_PRESS = re.compile(r"[,;:]?\s*(toets|druk|press|dial|drücken|wählen|tapez|appuyez)\b.*$", re.IGNORECASE)


def menu_label(prompt: str) -> str:
    label = _PRESS.sub("", prompt).strip().rstrip(".")
    return label[:1].lower() + label[1:]


def route_in_words(facts: VoicemailFacts) -> str:
    """The call's way to the voicemail box, in words: "menu: 2 - voor offertes", "na 4 keer overgaan"."""
    words = texts(facts.language)
    menu = dict(facts.menu)
    parts: list[str] = []
    for label in facts.path:
        if label.startswith("menu:") and label[5:] in menu:
            parts.append(words["menu"].format(key=label[5:], label=menu_label(menu[label[5:]])))
        elif label.startswith("closed:holiday:"):
            parts.append(words["holiday"].format(name=label.removeprefix("closed:holiday:")))
        elif label == "closed:hours":
            parts.append(words["outside_hours"])
        elif label.startswith("period:"):
            parts.append(words["period"].format(day=label.removeprefix("period:")))
        elif ":busy" in label:
            parts.append(words["busy"])
        elif ":no-answer" in label:
            parts.append(words["after_rings"].format(rings=facts.rings))
    return ", ".join(dict.fromkeys(parts)) or "-"


def voicemail_email(facts: VoicemailFacts, address: str, message_id: str, *, attached: bool) -> Email:
    words = texts(facts.language)
    caller = caller_text(facts.caller, facts.language)
    lines = [
        words["voicemail_intro"].format(caller=caller, business=facts.business),
        "",
        f"{words['caller']}: {caller}",
    ]
    if facts.caller:
        lines.append(f"{words['call_back']}: tel:{facts.caller}")
    lines += [
        f"{words['time']}: {local_time_text(facts.received_at, facts.timezone, facts.language)}",
        f"{words['duration']}: {duration_text(facts.duration_s, facts.language)}",
        f"{words['route']}: {route_in_words(facts)}",
        "",
        words["attached"] if attached else words["not_attached"],
        f"{words['listen']}: {facts.inbox_url}",
    ]
    subject = words["voicemail_subject"].format(business=facts.business, caller=caller)
    return Email(address, subject, "\n".join(lines) + "\n", message_id)


def voicemail_sms(facts: VoicemailFacts, number: str, sender: str) -> Sms:
    words = texts(facts.language)
    body = words["voicemail_sms"].format(
        business=facts.business,
        caller=caller_text(facts.caller, facts.language),
        time=local_time_text(facts.received_at, facts.timezone, facts.language),
        duration=duration_text(facts.duration_s, facts.language),
        link=facts.inbox_url,
    )
    return Sms(number, body, sender)
