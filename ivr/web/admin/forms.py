"""Form fields as business-document parts: what staff type in the admin page, in the document's own shape."""

import re
from datetime import date
from typing import Any, Literal

from pydantic_core import PydanticCustomError

from ivr.document.hours import parse_hours
from ivr.document.phones import read_number
from ivr.web.admin.i18n import Words
from ivr.web.admin.problems import Problems

OverflowKind = Literal["dial", "voicemail", "none"]

# One phone number or address per line, or separated by commas or semicolons; spaces stay inside a number
# ("+31 20 888 8888"), the document's own validation normalises them.
_SEPARATORS = re.compile(r"[,;\n]+")


# Between two days, the words people write for "up to and including" in the four languages ("ma t/m vr",
# "maandag tot en met vrijdag", "Mo bis Fr", "lun au ven", "Mon to Fri"); "en", "und", "et", "and" list days.
_DAY_RANGE = re.compile(r"\s*(?:-|\bt/m\b|\btot en met\b|\btot\b|\bbis\b|\bau\b|\bà\b|\bto\b|\bthrough\b)\s*")
_DAY_LIST = re.compile(r"\s*(?:,|\ben\b|\bund\b|\bet\b|\band\b)\s*")
# The times start at the first digit ("ma-vr 08:00-17:00"); a line without one ("za gesloten") splits at a space.
_HOURS_LINE = re.compile(r"^(?P<days>[^\d]*?)\s*(?P<times>\d.*)$")
# A day without hours, in the four languages, as the document writes it.
_CLOSED_WORDS = {
    "gesloten": "closed",
    "dicht": "closed",
    "geschlossen": "closed",
    "fermé": "closed",
    "closed": "closed",
}


def hours_line(line: str) -> tuple[str, str]:
    """One line of the hours field as (days, times), the days with one dash for a range and commas for a list."""
    found = _HOURS_LINE.match(line.strip())
    days, times = (found["days"], found["times"]) if found else line.strip().partition(" ")[::2]
    days = _DAY_LIST.sub(",", _DAY_RANGE.sub("-", days.strip().lower().rstrip(":")))
    return days, _CLOSED_WORDS.get(times.strip().lower(), times.strip())


def listed(text: str) -> list[str]:
    return [item.strip() for item in _SEPARATORS.split(text) if item.strip()]


def overflow_part(kind: OverflowKind | None, dial: str, email: str, sms: str, country: str) -> dict[str, Any]:
    """The overflow's fields to change, by path (ivr.document.fields); nothing when the form did not say.

    Only what the form shows is named: the answering service's `notes` stay while calls go to it, and go with it
    (they are its call notes, refused without it).
    """
    if kind is None:
        return {}
    if kind == "none":
        return {"overflow": None}
    if kind == "dial":
        return {"overflow.dial": listed(dial), "overflow.voicemail": None}
    box: dict[str, Any] = {"email": listed(email)} if listed(email) or not listed(sms) else {}
    if listed(sms):
        box["sms"] = local_numbers(listed(sms), country)
    return {"overflow.dial": None, "overflow.notes": None, "overflow.voicemail": box}


def overflow_fields(document: dict[str, Any]) -> dict[str, str]:
    """The stored overflow as the form shows it."""
    overflow = document.get("overflow") or {}
    kind = "dial" if "dial" in overflow else "voicemail" if "voicemail" in overflow else "none"
    return {
        "kind": kind,
        "dial": ", ".join(overflow.get("dial", [])),
        "email": ", ".join((overflow.get("voicemail") or {}).get("email", [])),
        "sms": ", ".join((overflow.get("voicemail") or {}).get("sms", [])),
    }


def local_numbers(numbers: list[str], country: str) -> list[str]:
    """Numbers as staff type them ('050 123 4567' in the Netherlands) in E.164, read as the YAML and the API read
    them (ivr.document.phones.read_number); one that is not a number stays as typed, so the document model names it
    in its refusal."""
    found = []
    for number in numbers:
        try:
            found.append(read_number(number, country))
        except PydanticCustomError:
            found.append(number)
    return found


def period_from_form(
    words: Words,
    start: str,
    end: str,
    text: str,
    route: str,
    dial: str,
    email: str,
    country: str,
    sms: str = "",
    emergency: dict[str, Any] | None = None,
) -> tuple[dict[str, Any] | None, Problems]:
    """A period as the document writes it, or the problems with what was typed; a period always says where calls go
    (without one the call would end after the greeting, which nobody adding a holiday means). `emergency`: the
    emergency option heard after the greeting (emergency_part), if any."""
    problems = Problems()
    days = []
    for name, value in (("period", start), ("period", end)):
        try:
            days.append(date.fromisoformat(value))
        except ValueError:
            problems.add(name, words.gettext("Give the first and the last day of the period."))
            return None, problems
    if not text.strip():
        problems.add("period", words.gettext("Give the greeting callers hear during the period."))
    destination = route_part(route, dial, email, country, sms)
    if route == "dial" and destination:
        # The box the form shows beside the number takes a message when nobody answers it (as under closed:).
        destination["voicemail"] = voicemail_box(email, sms, country) or None
    if not destination:
        problems.add("period_route", words.gettext("Say where calls go: a number or a voicemail box."))
    if problems:
        return None, problems
    period = {"from": days[0].isoformat(), "to": days[1].isoformat(), "greeting": {"text": text.strip()}}
    period |= {"emergency": emergency} if emergency else {}
    return {**period, **{key: value for key, value in destination.items() if value is not None}}, problems


def period_fields(period: dict[str, Any], index: int) -> dict[str, Any]:
    """A stored period as the period form shows it for editing in place; a number with a box behind it shows both."""
    box = period.get("voicemail") or {}
    return {
        "period_index": index,
        "period_start": period["from"],
        "period_end": period["to"],
        "period_text": (period.get("greeting") or {}).get("text", ""),
        "period_route": "dial" if period.get("dial") else "voicemail",
        "period_dial": ", ".join(period.get("dial") or []),
        "period_email": ", ".join(box.get("email", [])),
        "period_sms": ", ".join(box.get("sms", [])),
        **{f"period_{name}": value for name, value in emergency_fields(period.get("emergency")).items()},
    }


def edited_period(stored: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The stored period with what the form shows changed (an emergency option emptied on the form goes): its
    instructions and a recorded greeting stay."""
    shown = ("from", "to", "dial", "voicemail", "greeting", "emergency")
    kept = {key: value for key, value in stored.items() if key not in shown}
    greeting = {**(stored.get("greeting") or {}), **new["greeting"]}
    return {**kept, **new, "greeting": greeting}


def overlapping(new: dict[str, Any], periods: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first stored period sharing a day with `new` (dates as ISO text compare as dates)."""
    for period in periods:
        if period["from"] <= new["to"] and new["from"] <= period["to"]:
            return period
    return None


def period_name(period: dict[str, Any], locale: str) -> str:
    from babel.dates import format_date

    first = format_date(date.fromisoformat(period["from"]), "long", locale=locale)
    last = format_date(date.fromisoformat(period["to"]), "long", locale=locale)
    return f"{first} \u2013 {last}"


def voicemail_box(email: str, sms: str, country: str) -> dict[str, Any]:
    """A voicemail box from its two fields (e-mail addresses, numbers to text); empty when both are."""
    box: dict[str, Any] = {}
    if listed(email):
        box["email"] = listed(email)
    if listed(sms):
        box["sms"] = local_numbers(listed(sms), country)
    return box


def route_part(kind: str, dial: str, email: str, country: str, sms: str = "") -> dict[str, Any]:
    """Where calls go, as a menu option, the closed message or a period writes it; nothing for 'none'."""
    if kind == "dial" and listed(dial):
        return {"dial": local_numbers(listed(dial), country)}
    box = voicemail_box(email, sms, country)
    if kind == "voicemail" and box:
        return {"voicemail": box}
    return {}


def route_fields(part: dict[str, Any] | None) -> dict[str, str]:
    """A stored destination as the form shows it."""
    part = part or {}
    kind = "dial" if part.get("dial") else "voicemail" if part.get("voicemail") else "none"
    box = part.get("voicemail") or {}
    return {
        "kind": kind,
        "dial": ", ".join(part.get("dial") or []),
        "email": ", ".join(box.get("email", [])),
        "sms": ", ".join(box.get("sms", [])),
    }


def emergency_part(prompt: str, key: str, dial: str, country: str) -> dict[str, Any] | None:
    """The emergency option after the closed message or a period's greeting; None when the form leaves it empty.
    The key is written only when typed (the document's default is 1), so an unchanged form writes back what is
    stored."""
    if not prompt.strip() and not listed(dial):
        return None
    part: dict[str, Any] = {"prompt": prompt.strip(), "dial": local_numbers(listed(dial), country)}
    return part | ({"key": key.strip()} if key.strip() else {})


def emergency_fields(part: dict[str, Any] | None) -> dict[str, str]:
    """A stored emergency option as the form shows it."""
    part = part or {}
    return {
        "emergency_prompt": part.get("prompt", ""),
        "emergency_key": str(part.get("key", "")),
        "emergency_dial": ", ".join(part.get("dial") or []),
    }


def hours_part(typed: dict[str, str | list[str]], stored: object) -> dict[str, Any] | None:
    """The hours to save: the stored ones, as written, when the typed ones mean the same (the field shows a list
    of times as "a, b" and the days in the page's language), else the typed ones; None for always open."""
    if not typed:
        return None
    if isinstance(stored, dict) and stored:
        try:
            if parse_hours(typed) == parse_hours(stored):
                return stored
        except ValueError:
            pass  # the document's validation says what is wrong with the typed ones
    return dict(typed)
