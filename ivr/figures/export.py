"""The call log as CSV, one call a line, written as it is read: memory stays flat however many calls.

The columns are documented in the README ("CSV export"); change both together.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from ivr.store.calls import LoggedCall

COLUMNS = (
    "call_sid",
    "started_at",
    "ended_at",
    "caller",
    "called",
    "duration_s",
    "outcome",
    "end_reason",
    "seconds_to_person",
    "rings",
    "voicemail_box",
    "path",
    "test_call",
)
# Lines joined into one chunk of the response: fewer, larger writes to the socket, still a few kB each.
LINES_PER_CHUNK = 500
# A cell a spreadsheet would run as a formula (OWASP "CSV injection"); a phone number's + followed by digits is not.
_FORMULA_STARTS = ("=", "@", "\t", "\r")


def _safe(text: str) -> str:
    if text.startswith(_FORMULA_STARTS) or (text[:1] in "+-" and not text[1:].isdigit()):
        return "'" + text
    return text


def _time(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).isoformat(timespec="seconds") if moment else ""


def _number(value: float | int | None) -> str:
    return "" if value is None else str(value)


def row(call: LoggedCall, zone: ZoneInfo) -> list[str]:
    return [
        call.call_sid,
        _time(call.started_at, zone),
        _time(call.ended_at, zone),
        _safe(call.from_number),
        _safe(call.to_number),
        _number(call.duration_s),
        call.outcome or "",
        call.end_reason or "",
        _number(call.person_s),
        _number(call.rings),
        _safe(call.box or ""),
        _safe(" > ".join(call.path)),
        "yes" if call.simulated else "no",
    ]


def csv_chunks(calls: Iterable[LoggedCall], timezone: str) -> Iterator[str]:
    """The header, then the calls, a chunk of lines at a time (RFC 4180: comma-separated, CRLF line ends)."""
    zone = ZoneInfo(timezone)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for written, call in enumerate(calls, start=1):
        writer.writerow(row(call, zone))
        if written % LINES_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
