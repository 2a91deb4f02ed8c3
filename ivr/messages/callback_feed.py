"""The calendar feed of a business's open callback requests (RFC 5545 iCalendar): one event per request, at the
time it was asked, that Google Agenda, Outlook and Apple Calendar subscribe to at its secret URL."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from ivr.messages.compose import caller_text, texts
from ivr.store.callbacks import CallbackRequest

# Each request shows as a short block, long enough to read in a day view; it is a reminder, not an appointment.
EVENT_LENGTH = timedelta(minutes=15)
# RFC 5545 §3.1: content lines are folded at 75 octets, continuation lines begin with one space.
MAX_LINE_OCTETS = 75
PRODUCT = "-//Greetline//Callback requests//EN"


def feed_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/callbacks/{token}.ics"


def _escaped(text: str) -> str:
    # RFC 5545 §3.3.11: backslash, semicolon, comma and newline are escaped in TEXT values.
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _folded(line: str) -> list[str]:
    data, parts = line.encode(), list[str]()
    while len(data) > MAX_LINE_OCTETS:
        cut = MAX_LINE_OCTETS if not parts else MAX_LINE_OCTETS - 1
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # never inside a UTF-8 character
            cut -= 1
        parts.append(data[:cut].decode())
        data = data[cut:]
    parts.append(data.decode())
    return [parts[0], *(f" {part}" for part in parts[1:])]


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def callbacks_calendar(
    business: str, language: str, country: str, requests: Sequence[CallbackRequest], domain: str, now: datetime
) -> str:
    """The open requests as an iCalendar text (CRLF line ends), each event named by the number to call back."""
    words = texts(language)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    lines.append(f"X-WR-CALNAME:{_escaped(words['call_back'] + ': ' + business)}")
    for request in requests:
        if request.done:
            continue
        number = caller_text(request.caller_number, country, language)
        lines += [
            "BEGIN:VEVENT",
            f"UID:callback-{request.id}@{domain}",
            f"DTSTAMP:{_stamp(now)}",
            f"DTSTART:{_stamp(request.created_at)}",
            f"DTEND:{_stamp(request.created_at + EVENT_LENGTH)}",
            f"SUMMARY:{_escaped(words['call_back'] + ': ' + number)}",
            f"DESCRIPTION:{_escaped(words['callback_intro'].format(caller=number, business=business))}",
            f"URL:tel:{request.caller_number}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(f"{folded}\r\n" for line in lines for folded in _folded(line))
