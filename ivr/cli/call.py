"""`greetline call`: play Twilio and a caller against the app and print what the caller hears."""

import argparse
import io
import json
import sys
from datetime import date
from typing import Any

from ivr.cli.runtime import runtime


def _call(args: argparse.Namespace) -> int:
    from ivr.cli.commands import parse_local_time, simulate
    from ivr.simulator.behaviour import parse_behaviour
    from ivr.simulator.caller import CallPlan
    from ivr.simulator.report import transcript_data, transcript_text

    plan = CallPlan(
        to_number=args.to,
        from_number=args.caller,
        local_time=parse_local_time(args.at, date.today()) if args.at else None,
        presses=args.press,
        operators=parse_behaviour(args.operators),
        service=parse_behaviour(args.service),
    )
    messages = io.StringIO()  # the call's e-mails and texts, printed after what the caller hears
    with runtime() as opened:
        transcript = simulate(opened, plan, args.url, messages)
    if args.json:
        print(json.dumps(transcript_data(transcript), indent=2))
        print(messages.getvalue(), end="", file=sys.stderr)  # standard output stays one JSON document
    else:
        print(transcript_text(transcript))
        print(messages.getvalue(), end="")
    return 0


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
    call.add_argument("--url", help="base URL of a running server, e.g. http://127.0.0.1:8000 (default: in-process)")
    call.add_argument("--json", action="store_true", help="print the transcript as JSON")
    call.set_defaults(func=_call)
