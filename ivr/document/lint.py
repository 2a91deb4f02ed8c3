"""The checker: what in a business document will annoy or fail callers, and what to change.

The texts one by one (the welcome names the business, no filler, no website), then every path a caller can
take (ivr.document.path_check). Errors refuse a document; warnings are printed. Durations are measured from
the audio when there is some (`durations_s`, by recording id or exact text: rendered speech and uploaded
recordings alike), else estimated from the words at the language's speaking rate.
"""

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from ivr.callflow.flow import speak
from ivr.callflow.model import Business, Country
from ivr.callflow.ringing import dial_timeout_s, ringing_s
from ivr.document.codes import Code
from ivr.document.findings import Finding, Level, errors
from ivr.document.model import BusinessDocument, Closed, Greeting, Period
from ivr.document.path_check import business_at_for, path_findings, spoken_seconds
from ivr.document.phones import MOBILE_VOICEMAIL_AFTER_S, is_mobile, landline_country
from ivr.document.phrases import EMERGENCY_WORDS, EMERGENCY_WORDS_BY_LANGUAGE, FILLER, WEBSITE, asked_keys
from ivr.document.whisper_check import whisper_findings
from prompts import TEXT_PLACEHOLDERS, PromptName, prompt_book

# A well-formed placeholder ({name}); any other brace in a text is a broken one.
PLACEHOLDER = re.compile(r"\{(\w*)\}")
# A welcome longer than this makes callers wait for the point; information longer than this is not listened to.
MAX_WELCOME_S = 10.0
MAX_INFO_S = 30.0
# Most callers hang up after 5 to 6 rings.
MAX_SENSIBLE_RINGS = 5


def _texts(document: BusinessDocument) -> list[tuple[str, str]]:
    """Every text a caller may hear, with where it stands in the document."""
    found: list[tuple[str, str]] = []

    def add(where: str, greeting: Greeting | None) -> None:
        if greeting is not None and greeting.text:
            found.append((where, greeting.text))

    add("greeting", document.greeting)
    add("info", document.info)
    found += [(f"menu[{index}].prompt", option.prompt) for index, option in enumerate(document.menu)]
    add("closed.greeting", document.closed.greeting if document.closed else None)
    add("closed.holiday", document.closed.holiday if document.closed else None)
    if document.closed and document.closed.emergency:
        found.append(("closed.emergency.prompt", document.closed.emergency.prompt))
    for index, period in enumerate(document.periods):
        add(f"periods[{index}].greeting", period.greeting)
        if period.emergency:
            found.append((f"periods[{index}].emergency.prompt", period.emergency.prompt))
    found += [(f"texts.{name}", text) for name, text in (document.texts.own() if document.texts else {}).items()]
    return found


def _is_emergency(prompt: str, flagged: bool) -> bool:
    return flagged or any(word in prompt.lower() for word in EMERGENCY_WORDS)


def lint(
    document: BusinessDocument, durations_s: Mapping[str, float] | None = None, today: date | None = None
) -> list[Finding]:
    """Every finding at once: the texts, then every path a caller can take in the week from `today`."""
    book = prompt_book(document.language)
    seconds = spoken_seconds(durations_s or {}, book.words_per_minute)
    business = business_at_for(document)(datetime_at_noon(today or date.today()))
    findings: list[Finding] = []
    if document.business.lower() not in business.greeting.text.lower():
        example = book.text("welcome", business=document.business)
        findings.append(
            Finding(
                Code.WELCOME_UNNAMED,
                "greeting",
                f"the welcome does not name the business; start with e.g. {example!r}",
                {"example": example, "business": document.business},
                level=Level.ERROR,
            )
        )
    welcome_s = seconds(speak(business.greeting, business.language))
    if welcome_s > MAX_WELCOME_S:
        findings.append(
            Finding(
                Code.WELCOME_LONG,
                "greeting",
                f"the welcome takes about {welcome_s:.0f} s; keep it under "
                f"{MAX_WELCOME_S:.0f} s: the name and the salutation are enough",
                {"seconds": round(welcome_s), "most": round(MAX_WELCOME_S)},
                level=Level.WARNING,
            )
        )
    info_s = seconds(speak(business.info, business.language)) if business.info else 0.0
    if info_s > MAX_INFO_S:
        findings.append(
            Finding(
                Code.INFO_LONG,
                "info",
                f"the information takes about {info_s:.0f} s; keep it under {MAX_INFO_S:.0f} s "
                "or move details elsewhere",
                {"seconds": round(info_s), "most": round(MAX_INFO_S)},
                level=Level.WARNING,
            )
        )
    emergency = [i for i, option in enumerate(document.menu) if _is_emergency(option.prompt, option.emergency)]
    if emergency and emergency[0] != 0:
        findings.append(
            Finding(
                Code.EMERGENCY_NOT_FIRST,
                f"menu[{emergency[0]}]",
                "the emergency option must be the first option callers hear; move it to the top",
                level=Level.ERROR,
            )
        )
    if document.rings > MAX_SENSIBLE_RINGS:
        findings.append(
            Finding(
                Code.MANY_RINGS,
                "rings",
                f"{document.rings} rings: most callers hang up after 5 or 6; use {MAX_SENSIBLE_RINGS} or fewer",
                {"rings": document.rings, "most": MAX_SENSIBLE_RINGS},
                level=Level.WARNING,
            )
        )
    findings += _wording(document)
    findings += _placeholders(document)
    findings += _emergency_unmarked(document)
    findings += _keys_not_taken(document)
    findings += _closed_unnamed(document, business)
    findings += _mobile_voicemail(document)
    findings += whisper_findings(document, business, durations_s or {})
    findings += _instructions_without_service(document)
    keys = {document.menu[index].key: index for index in emergency}
    day = today or date.today()
    # The week walked starts on its Monday, so paths read the same whichever day the check runs.
    findings += path_findings(document, seconds, day - timedelta(days=day.weekday()), keys)
    return findings


def _staff_numbers(document: BusinessDocument) -> list[str]:
    """Every number a call is put through to with staff's confirm question (all but the answering service's): the
    operators, menu options, and after hours the closed and period numbers and their emergency numbers."""
    parts: list[Closed | Period] = [document.closed or Closed(), *document.periods]
    after_hours = [part.dial or [] for part in parts] + [part.emergency.dial for part in parts if part.emergency]
    dialled = [option.dial or [] for option in document.menu] + after_hours
    return [*document.operators, *(number for numbers in dialled for number in numbers)]


def _mobile_voicemail(document: BusinessDocument) -> list[Finding]:
    """A staff mobile whose own voicemail answers before the ringing ends takes every unanswered call: it never
    goes on to the overflow, nor after hours to the part's message box (the on-call mobile nobody answers)."""
    if document.confirm:
        return []
    heard_s = ringing_s(dial_timeout_s(document.rings, Country(document.country)))
    staff = _staff_numbers(document)
    mobiles = list(dict.fromkeys(number for number in staff if is_mobile(number)))
    if not mobiles or heard_s <= MOBILE_VOICEMAIL_AFTER_S:
        return []
    return [
        Finding(
            Code.MOBILE_VOICEMAIL,
            "confirm",
            f"{', '.join(mobiles)} is a mobile and rings about {heard_s} s: its own voicemail answers after about "
            f"{MOBILE_VOICEMAIL_AFTER_S} s and takes the call, so it never goes on to the overflow or a message "
            "box; set confirm: true (each staff phone presses 1 to take a call), or use fewer rings",
            {"numbers": ", ".join(mobiles), "seconds": heard_s, "voicemail_after_s": MOBILE_VOICEMAIL_AFTER_S},
            level=Level.WARNING,
        )
    ]


def _instructions_without_service(document: BusinessDocument) -> list[Finding]:
    """Instructions are for an answering service's card; without one nobody reads them."""
    has_instructions = document.instructions is not None or any(p.instructions for p in document.periods)
    if not has_instructions or (document.overflow is not None and document.overflow.dial is not None):
        return []
    return [
        Finding(
            Code.INSTRUCTIONS_WITHOUT_SERVICE,
            "instructions",
            "instructions are shown to an answering service on its card, but no call goes to one: give overflow a "
            "dial: NUMBER (the service), or drop instructions:",
            level=Level.WARNING,
        )
    ]


def _sends_texts(part: object) -> bool:
    """Any `sms:` list with a number in it, wherever it is (a box, the answering service's notes)."""
    if isinstance(part, dict):
        return bool(part.get("sms")) or any(_sends_texts(value) for value in part.values())
    return isinstance(part, list) and any(_sends_texts(value) for value in part)


def sms_sender_findings(document: BusinessDocument, sms_from: str | None) -> list[Finding]:
    """Texts go from GREETLINE_SMS_FROM, else from the business's first number; from a landline in a country whose
    landlines send no SMS, none arrives. A setting of the installation, so `lint` and `serve` ask, not `apply`."""
    return stored_sms_sender_findings(document.model_dump(), sms_from)


def stored_sms_sender_findings(data: Mapping[str, Any], sms_from: str | None) -> list[Finding]:
    """sms_sender_findings of a document as stored (validated when it was saved): `serve` asks this of every
    business before it listens, and validating 10,000 documents again took 16 s of its cold start (issue 25)."""
    numbers = data.get("numbers") or [""]
    sender = sms_from or str(numbers[0])
    country = landline_country(sender)
    # text_back: texts the caller, with no sms: list of its own (issue 23 came after this check).
    if country is None or not (_sends_texts(dict(data)) or data.get("text_back")):
        return []
    source = "GREETLINE_SMS_FROM" if sms_from else "the business's first number (GREETLINE_SMS_FROM is not set)"
    return [
        Finding(
            Code.SMS_FROM_LANDLINE,
            "sms_from" if sms_from else "numbers",
            f"texts (sms:, text_back:) go from {source}, {sender}, a landline in {country}: Twilio cannot send "
            "SMS from landlines there, so none would arrive; set GREETLINE_SMS_FROM to a mobile number or an "
            "alphanumeric sender ID (1 to 11 letters and digits, e.g. Praktijk), or send e-mail only",
            {"sender": sender, "country": country},
            level=Level.WARNING,
        )
    ]


def datetime_at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12))


def _placeholders(document: BusinessDocument) -> list[Finding]:
    """A placeholder the texts do not know, or a brace left open, would be spoken as written."""
    known = ", ".join("{" + name + "}" for name in TEXT_PLACEHOLDERS)
    findings: list[Finding] = []
    for where, text in _texts(document):
        for match in PLACEHOLDER.finditer(text):
            if match.group(1) not in TEXT_PLACEHOLDERS:
                findings.append(
                    Finding(
                        Code.UNKNOWN_PLACEHOLDER,
                        where,
                        f"{match.group(0)} is not a placeholder and would be spoken as written; use {known}",
                        {"placeholder": match.group(0), "known": known},
                        level=Level.ERROR,
                    )
                )
        rest = PLACEHOLDER.sub("", text)
        brace = min((i for i in (rest.find("{"), rest.find("}")) if i >= 0), default=-1)
        if brace >= 0:
            fragment = rest[brace:].split()[0] if rest[brace:].split() else rest[brace]
            findings.append(
                Finding(
                    Code.BROKEN_PLACEHOLDER,
                    where,
                    f"{fragment!r} is a broken placeholder (a brace not closed or not opened) and would be spoken "
                    f"as written; write {known}",
                    {"placeholder": fragment, "known": known},
                    level=Level.ERROR,
                )
            )
    return findings


def _keys_taken(document: BusinessDocument, where: str) -> list[str]:
    """The keys a menu takes while the text at `where` plays: when closed (and in a period) only the emergency
    option's, else the menu's; none during the fixed texts (the voicemail prompt, the goodbye, nobody available)."""
    if where.startswith("texts."):
        return []
    if where.startswith("closed."):
        offered = document.closed.emergency if document.closed else None
    elif where.startswith("periods["):
        offered = document.periods[int(where[len("periods[") : where.index("]")])].emergency
    else:
        return [option.key for option in document.menu]
    return [offered.key] if offered is not None else []


def _keys_not_taken(document: BusinessDocument) -> list[Finding]:
    """A text that asks for a key no menu takes leaves the caller pressing a key that does nothing."""
    findings: list[Finding] = []
    for where, text in _texts(document):
        taken = _keys_taken(document, where)
        for key in asked_keys(text, document.language):
            if key in taken:
                continue
            if where.endswith(".emergency.prompt"):
                fix = f"set key: '{key}' on {where.removesuffix('.prompt')}"
            elif where.startswith(("closed.", "periods[")):
                fix = f"add emergency: {{prompt: ..., dial: NUMBER, key: '{key}'}} to {where.split('.')[0]}"
            else:
                fix = f"add a menu option with key: '{key}'"
            findings.append(
                Finding(
                    Code.KEY_NOT_TAKEN,
                    where,
                    f"the text asks callers to press {key}, but no menu here takes {key}, so pressing it does "
                    f"nothing; {fix}, or drop the request",
                    {"key": key, "keys": ", ".join(taken)},
                    level=Level.ERROR,
                )
            )
    return findings


def _named_first(text: str, name: str) -> bool:
    """The business's name comes in the first sentence: before it, no sentence has ended."""
    at = text.lower().find(name.lower())
    return at >= 0 and not re.search(r"[.!?](\s|$)", text[:at])


def _closed_unnamed(document: BusinessDocument, business: Business) -> list[Finding]:
    """A caller who calls when the business is closed hears this message first: it names whom they reached."""
    book, name = prompt_book(document.language), document.business
    closed = document.closed or Closed()
    heard: list[tuple[str, str, PromptName]] = []
    if document.hours is not None:
        heard.append(("closed.greeting" if closed.greeting else "closed", business.closed.greeting.text, "closed"))
    if business.holidays.closes_some_day:  # a region alone closes on no day: the holiday text is never heard
        heard.append(("closed.holiday" if closed.holiday else "holidays", business.texts.holiday.text, "holiday"))
    for index, period in enumerate(business.periods):
        written = document.periods[index].greeting is not None
        heard.append((f"periods[{index}].greeting" if written else f"periods[{index}]", period.greeting.text, "period"))
    findings: list[Finding] = []
    for where, text, default in heard:
        if not _named_first(text, name):
            example = book.text(default, business=name)
            findings.append(
                Finding(
                    Code.MESSAGE_UNNAMED,
                    where,
                    f"callers hear this first and it does not name the business first; start with e.g. {example!r}",
                    {"example": example, "business": name},
                    level=Level.WARNING,
                )
            )
    return findings


def _emergency_unmarked(document: BusinessDocument) -> list[Finding]:
    """An option whose prompt speaks of an emergency but is not marked one is not put first nor told urgent."""
    words = EMERGENCY_WORDS_BY_LANGUAGE.get(document.language, EMERGENCY_WORDS)
    findings: list[Finding] = []
    for index, option in enumerate(document.menu):
        said = (re.search(rf"\w*{re.escape(stem)}\w*", option.prompt, re.IGNORECASE) for stem in words)
        word = next((match.group(0) for match in said if match is not None), None)
        if word is not None and not option.emergency:
            findings.append(
                Finding(
                    Code.EMERGENCY_NOT_MARKED,
                    f"menu[{index}]",
                    f"key {option.key} says {word!r} but is not marked as the emergency option; "
                    "add emergency: true to it",
                    {"key": option.key, "word": word},
                    level=Level.WARNING,
                )
            )
    return findings


def _wording(document: BusinessDocument) -> list[Finding]:
    findings: list[Finding] = []
    for where, text in _texts(document):
        lowered = text.lower()
        if WEBSITE.search(text):
            findings.append(
                Finding(
                    Code.WEBSITE,
                    where,
                    "do not send callers to a website or e-mail address: "
                    "they called because they want to talk; say what they need instead",
                    level=Level.WARNING,
                )
            )
        for phrase in FILLER.get(document.language, ()):
            if phrase in lowered:
                findings.append(
                    Finding(
                        Code.FILLER,
                        where,
                        f"drop the filler {phrase!r}: it lengthens the wait and says nothing",
                        {"phrase": phrase},
                        level=Level.WARNING,
                    )
                )
    return findings


__all__ = ["Finding", "Level", "errors", "lint"]
