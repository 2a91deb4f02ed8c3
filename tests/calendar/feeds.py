"""iCalendar feeds as Google Agenda, Outlook and Apple write them, for the calendar's tests."""


def feed(*events: str) -> bytes:
    body = "".join(events)
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n"
    text = f"{head}{body}END:VCALENDAR\r\n"
    return text.encode()


def event(uid: str, start: str, end: str, summary: str, *extra: str) -> str:
    """`start`, `end`: iCalendar values with their parameters, e.g. ";TZID=Europe/Amsterdam:20261124T090000"."""
    lines = [f"UID:{uid}", f"DTSTART{start}", f"DTEND{end}", f"SUMMARY:{summary}", *extra]
    return "BEGIN:VEVENT\r\n" + "".join(f"{line}\r\n" for line in lines) + "END:VEVENT\r\n"
