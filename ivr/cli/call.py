"""`greetline call`: play Twilio and a caller against the app and print what the caller hears."""

import argparse
import io
import json
import sys
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ivr.cli.runtime import Runtime, runtime
from ivr.errors import InputError

if TYPE_CHECKING:
    from ivr.callflow.model import AwaySpell


def _call(args: argparse.Namespace) -> int:
    from ivr.cli.commands import parse_local_time, simulate
    from ivr.simulator.behaviour import parse_behaviour
    from ivr.simulator.caller import CallPlan
    from ivr.simulator.report import transcript_data, transcript_text

    local_time = parse_local_time(args.at, date.today()) if args.at else None
    plan = CallPlan(
        to_number=args.to,
        from_number=args.caller,
        local_time=local_time,
        presses=args.press,
        operators=parse_behaviour(args.operators),
        service=parse_behaviour(args.service),
    )
    messages = io.StringIO()  # the call's e-mails and texts, printed after what the caller hears
    with runtime() as opened:
        if args.calendar:
            plan = replace(plan, away=_away(opened, args.calendar, args.to, local_time))
        transcript = simulate(opened, plan, args.url, messages)
    if args.json:
        print(json.dumps(transcript_data(transcript), indent=2))
        print(messages.getvalue(), end="", file=sys.stderr)  # standard output stays one JSON document
    else:
        print(transcript_text(transcript))
        print(messages.getvalue(), end="")
    return 0


def _away(opened: Runtime, path: str, to_number: str, local_time: datetime | None) -> "tuple[AwaySpell, ...]":
    """The calendar file's away spells around the call (its floating times in the business's zone)."""
    from zoneinfo import ZoneInfo

    from ivr.calendar.away import CalendarRefused
    from ivr.calendar.refresh import simulated_away, timezone_of_number
    from ivr.document.model import DEFAULT_TIMEZONE
    from ivr.document.phones import read_number

    try:
        feed = Path(path).read_bytes()
    except OSError as error:
        raise InputError(f"--calendar {path}: {error.strerror}") from None
    try:
        timezone = timezone_of_number(opened.database, read_number(to_number, None))
    except ValueError:
        timezone = DEFAULT_TIMEZONE  # simulate() says what is wrong with the number
    zone = ZoneInfo(timezone)
    moment = local_time.replace(tzinfo=zone) if local_time is not None else datetime.now(zone)
    try:
        return simulated_away(feed, timezone, moment)
    except CalendarRefused as refused:
        raise InputError(f"--calendar {path}: not read ({refused})") from None


def register(commands: Any) -> None:
    call = commands.add_parser(
        "call",
        help="simulate a call and show what the caller hears",
        description="Play Twilio and a caller against the app (in-process, or --url of a running server) and "
        "print what the caller hears, where the call goes, and the seconds until a human answers.",
        epilog="example: greetline call --to +31501234567 --at 10:15 --press 1 --operators answer-after:8",
    )
    call.add_argument("--to", required=True, help="the business number dialled, E.164")
    call.add_argument("--from", dest="caller", default="+31612345678", help="the caller (default: %(default)s)")
    call.add_argument("--at", help="local time at the business: HH:MM, YYYY-MM-DD or 'YYYY-MM-DD HH:MM'")
    call.add_argument("--press", default="", help="keys the caller presses, one per menu, e.g. 1")
    call.add_argument(
        "--operators",
        default="answer-after:8",
        help="how operators' phones behave: answer-after:SECONDS | never | busy (default: %(default)s)",
    )
    call.add_argument(
        "--service",
        default="answer-after:5",
        help="how the overflow answering service behaves (default: %(default)s)",
    )
    call.add_argument(
        "--calendar",
        metavar="FILE.ics",
        help="follow this iCalendar file instead of the business's calendar feed (calendar: {when_away: service})",
    )
    call.add_argument("--url", help="base URL of a running server, e.g. http://127.0.0.1:8000 (default: in-process)")
    call.add_argument("--json", action="store_true", help="print the transcript as JSON")
    call.set_defaults(func=_call)
