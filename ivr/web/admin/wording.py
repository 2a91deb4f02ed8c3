"""What the admin page shows, in the page's language: times at the business, phone numbers as people write them,
days by name, a call's route and outcome in words, and a preview call step by step.

`words` is the page language's catalogue (ivr.web.admin.i18n); the calendar words (day names, date formats)
come from Babel's CLDR data for that language, imported by the functions that need it (see ivr.web.admin.i18n).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo

from ivr.document.hours import WEEKDAYS, parse_days
from ivr.document.phones import for_people
from ivr.simulator.caller import Heard
from ivr.web.admin.i18n import Words

# English as a British office writes dates (24/11/2026, 14:05), not as an American one (11/24/26, 2:05 PM).
_CALENDAR_LOCALE = {"nl": "nl_NL", "en": "en_GB", "de": "de_DE", "fr": "fr_FR"}


def calendar_locale(language: str) -> str:
    return _CALENDAR_LOCALE.get(language, language)


def local_time(moment: datetime, timezone: str, language: str) -> str:
    from babel.dates import format_datetime

    return format_datetime(moment, "short", tzinfo=ZoneInfo(timezone), locale=calendar_locale(language))


def long_date(day: date, language: str) -> str:
    """'1 januari 2027', '1 January 2027'."""
    from babel.dates import format_date

    return format_date(day, "long", locale=calendar_locale(language))


def seconds(words: Words, value_s: float, language: str) -> str:
    from babel.numbers import format_decimal

    return words.gettext("%(s)s s") % {"s": format_decimal(value_s, "0.#", locale=calendar_locale(language))}


def phones(numbers: list[str], country: str) -> str:
    return ", ".join(for_people(number, country) for number in numbers)


# ---- days ------------------------------------------------------------------------------------------------------
def day_names(language: str, width: Literal["abbreviated", "wide"] = "wide") -> list[str]:
    """Monday first, as ivr.document.hours numbers the days."""
    from babel.dates import get_day_names

    names = get_day_names(width, locale=calendar_locale(language))
    return [str(names[day]) for day in range(7)]


def _short(name: str) -> str:
    return name.lower().rstrip(".")


def days_in_words(words: Words, spec: str, language: str) -> str:
    """'mon-fri' as 'maandag t/m vrijdag', 'mon,wed' as 'maandag, woensdag'; a spec the model refuses as it is."""
    try:
        days = parse_days(spec)
    except ValueError:
        return spec
    names = day_names(language)
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) > 2:
            parts.append(words.gettext("%(first)s to %(last)s") % {"first": names[run[0]], "last": names[run[-1]]})
        else:
            parts.extend(names[day] for day in run)
    return ", ".join(parts)


def days_for_form(spec: str, language: str) -> str:
    """'mon-fri' as the hours field shows it in the page's language ('ma-vr', 'Mon-Fri', 'Mo-Fr', 'lun-ven')."""
    names = [name.rstrip(".") for name in day_names(language, "abbreviated")]
    return re.sub(
        r"[a-z]+", lambda word: names[WEEKDAYS.index(word[0])] if word[0] in WEEKDAYS else word[0], spec.lower()
    )


@cache  # on first use, not at import: the four locales' calendar data is 7 MB a server need not carry idle
def _day_words() -> dict[str, str]:
    """Every language's day names and abbreviations (lower case, no dot) to the document's English ones."""
    found: dict[str, str] = {}
    for language in _CALENDAR_LOCALE:
        for width in ("abbreviated", "wide"):  # type: Literal["abbreviated", "wide"]
            for index, name in enumerate(day_names(language, width)):
                found.setdefault(_short(name), WEEKDAYS[index])
    return found


def english_days(spec: str) -> str:
    """Days as typed in any of the four languages ('ma-vr', 'Mo-Fr', 'lun-ven') as the document writes them."""
    return re.sub(r"[^\W\d_]+\.?", lambda word: _day_words().get(_short(word[0]), word[0]), spec.lower())


# ---- calls: route and outcome ------------------------------------------------------------------------------------
def _status(words: Words, status: str) -> str:
    return {
        "completed": words.gettext("answered"),
        "answered": words.gettext("answered"),
        "busy": words.gettext("busy"),
        "no-answer": words.gettext("not answered"),
        "failed": words.gettext("could not connect"),
        "canceled": words.gettext("caller hung up"),
    }.get(status, words.gettext("ended"))


def _stage(words: Words, stage: str) -> str:
    return {
        "operators": words.gettext("staff phones"),
        "option": words.gettext("menu choice"),
        "overflow": words.gettext("answering service"),
        "closed": words.gettext("closed-hours number"),
        "emergency": words.gettext("emergency number"),
    }.get(stage, stage)


def route_step(words: Words, label: str, rings: int) -> str:
    """One label of a logged call's path (ivr.callflow.flow's Decision.path) in words."""
    if ">" in label:  # nobody answered, on to the overflow: "operators:no-answer>overflow:dial"
        before, _, after = label.partition(">")
        status = before.partition(":")[2]
        if status == "no-answer":
            first = words.ngettext("after %(num)d ring", "after %(num)d rings", rings) % {"num": rings}
        else:
            first = _status(words, status)
        return f"{first} → {route_step(words, after, rings)}"
    kind, _, rest = label.partition(":")
    fixed = {
        "welcome": words.gettext("welcome"),
        "welcome+menu": words.gettext("welcome and menu"),
        "overflow:dial": words.gettext("answering service"),
        "overflow:voicemail": words.gettext("voicemail"),
        "overflow:none": words.gettext("nobody available"),
        "closed:hours": words.gettext("outside opening hours"),
        "voicemail:recorded": words.gettext("message left"),
        "whisper": words.gettext("answering service told whom the call is for"),
        "unknown-number": words.gettext("unknown number"),
        "fallback:message": words.gettext("fault: message played"),
        "fallback:operators": words.gettext("fault: put through to staff"),
    }
    if label in fixed:
        return fixed[label]
    if kind == "whisper":
        return fixed["whisper"]
    if kind == "closed" and rest.startswith("holiday"):
        return words.gettext("public holiday")
    if kind == "period":
        return words.gettext("special period")
    if kind == "voicemail":  # closed: nobody answered the number, on to the box ("closed:busy>voicemail:closed")
        return fixed["overflow:voicemail"]
    if kind == "emergency" and len(rest) == 1:
        return words.gettext("emergency key %(key)s") % {"key": rest}
    if kind in ("menu", "emergency") and (kind == "menu" or rest.startswith("wrong:")):
        key = rest.removeprefix("wrong:")
        template = words.gettext("wrong key %(key)s") if rest.startswith("wrong:") else words.gettext("key %(key)s")
        return template % {"key": key}
    if kind in ("operators", "option", "overflow", "closed", "emergency"):
        phone_index, _, status = rest.rpartition(":")
        if phone_index.isdigit():
            return words.gettext("phone %(n)s: %(status)s") % {
                "n": int(phone_index) + 1,
                "status": _status(words, status),
            }
        return f"{_stage(words, kind)}: {_status(words, status)}"
    return words.gettext("other step")


def route(words: Words, path: list[str], rings: int) -> str:
    return " → ".join(route_step(words, label, rings) for label in path)


def outcome(words: Words, value: str | None) -> str:
    if value is None:
        return words.gettext("in progress")
    return {
        "operator": words.gettext("answered by staff"),
        "overflow": words.gettext("answered by the answering service"),
        "voicemail": words.gettext("voicemail left"),
        "closed": words.gettext("closed"),
        "missed": words.gettext("missed"),
        "hung up": words.gettext("caller hung up"),
        "unknown number": words.gettext("unknown number"),
        "fallback": words.gettext("fault, caught"),
        "callback": words.gettext("callback requested"),
        "blocked": words.gettext("blocked number"),
    }.get(value, words.gettext("other outcome"))


# ---- what a caller hears -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HeardStep:
    """One step of a preview call: `what` in the page's language, `said` the business's own text (if any)."""

    at: str
    what: str
    said: str = ""


def heard_step(words: Words, event: Heard, recordings: dict[str, str], country: str, language: str) -> HeardStep:
    at = seconds(words, event.at_s, language)
    length = seconds(words, event.duration_s, language)
    if event.kind == "say":
        return HeardStep(at, words.gettext("Spoken (%(s)s):") % {"s": length}, event.text)
    if event.kind == "whisper":
        return HeardStep(at, words.gettext("The answering service hears:"), event.text)
    values = event.values
    if event.kind == "play":
        # The simulator gives a recording's words when it knows them; the page may know them by its URL.
        known = str(values.get("words", ""))
        return HeardStep(at, words.gettext("Recording (%(s)s):") % {"s": length}, recordings.get(event.text, known))
    if event.kind == "dial":
        numbers = phones(str(values.get("numbers", "")).split(", "), country) if values.get("numbers") else ""
        ring = seconds(words, float(values.get("ring_s", 0)), language)
        return HeardStep(at, words.gettext("Rings up to %(s)s at:") % {"s": ring}, numbers)
    if event.kind == "answer":
        return HeardStep(at, words.gettext("Answered by:"), for_people(str(values.get("who", "")), country))
    fixed = {
        "pause": words.gettext("Silence (%(s)s)"),
        "wait": words.gettext("No key pressed (%(s)s)"),
        "record": words.gettext("The caller leaves a message (%(s)s)"),
        "hangup": words.gettext("The call ends"),
    }
    if event.kind in fixed:
        return HeardStep(at, fixed[event.kind] % {"s": length})
    if event.kind == "press":
        return HeardStep(at, words.gettext("The caller presses %(key)s") % {"key": values.get("key", "")})
    if event.kind == "ring":
        ring_words = {
            "completed": words.gettext("Answered after %(s)s"),
            "busy": words.gettext("Busy"),
            "no-answer": words.gettext("Not answered in %(s)s"),
        }
        return HeardStep(at, ring_words.get(str(values.get("status")), words.gettext("Ringing ends")) % {"s": length})
    return HeardStep(at, words.gettext("Another step"))


def language_name(language: str) -> str:
    """A language by its own name ('Nederlands', 'Deutsch'): the link to it is for someone who reads it."""
    from babel import Locale

    name: str = Locale.parse(language).get_display_name(language) or language
    return name[:1].upper() + name[1:]
