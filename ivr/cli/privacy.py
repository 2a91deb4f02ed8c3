"""`greetline retention run` and `greetline caller export|erase`: the AVG's acts from the command line."""

import argparse
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ivr.cli.runtime import Runtime, runtime
from ivr.errors import InputError

if TYPE_CHECKING:
    from ivr.privacy.caller import Request
    from ivr.privacy.deleters import Holders

ACTOR = "cli"


def _holders(opened: Runtime) -> "Holders":
    from ivr.privacy.deleters import Holders

    return Holders(opened.database, opened.audio.voicemails, opened.senders.recordings)


def _retention_run(args: argparse.Namespace) -> int:
    from ivr.privacy.retention import run_retention

    with runtime() as opened:
        counts = run_retention(_holders(opened), datetime.now(UTC), actor=ACTOR)
    for business_id, found in counts.items():
        said = ", ".join(f"{kind} {count}" for kind, count in found.items())
        where = f"business {business_id}" if business_id is not None else "calls to no business, the audit trail"
        print(f"{where}: deleted {said}")
    return 0


def _request(opened: Runtime, args: argparse.Namespace) -> "Request":
    from ivr.document.phones import country_of
    from ivr.privacy.caller import Request, caller_number
    from ivr.usecases.rendering import business_answering

    stored = business_answering(opened.database, args.business)
    caller = caller_number(args.caller, country_of(stored.document))
    return Request(stored.id, caller, ACTOR, datetime.now(UTC))


def _caller_export(args: argparse.Namespace) -> int:
    from ivr.privacy.caller import export_caller

    out = Path(args.out)
    if not out.parent.is_dir():
        raise InputError(f"--out {args.out}: the directory {out.parent} does not exist")
    with runtime() as opened:
        request = _request(opened, args)
        data = export_caller(_holders(opened), request)
    # Private from its first byte: it holds a patient's voice and number.
    handle = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    print(f"wrote everything stored about {request.caller} to {out} ({len(data)} bytes)")
    return 0


def _caller_erase(args: argparse.Namespace) -> int:
    from ivr.privacy.caller import erase_caller

    with runtime() as opened:
        request = _request(opened, args)
        counts = erase_caller(_holders(opened), request)
    said = ", ".join(f"{kind} {count}" for kind, count in counts.items())
    print(f"erased everything stored about {request.caller}: {said}")
    return 0


def register(commands: Any) -> None:
    retention = commands.add_parser(
        "retention", help="delete what has been kept longer than each business's retention", description=__doc__
    )
    retention_commands = retention.add_subparsers(dest="retention_command", required=True, metavar="ACTION")
    run = retention_commands.add_parser("run", help="run the daily retention now (the worker does it once a day)")
    run.set_defaults(func=_retention_run)

    caller = commands.add_parser("caller", help="hand over or erase one caller's data (AVG/GDPR)")
    caller_commands = caller.add_subparsers(dest="caller_command", required=True, metavar="ACTION")
    for name, func, help_text in (
        ("export", _caller_export, "everything stored about a caller's number, as a ZIP (JSON and the MP3s)"),
        ("erase", _caller_erase, "erase everything stored about a caller's number, everywhere"),
    ):
        action = caller_commands.add_parser(name, help=help_text, description=help_text)
        action.add_argument("--business", required=True, help="a number of the business, e.g. +31501234567")
        action.add_argument("--caller", required=True, help="the caller's number, e.g. +31611112222 or 06 1111 2222")
        if name == "export":
            action.add_argument("--out", required=True, help="the ZIP file to write, e.g. caller.zip")
        action.set_defaults(func=func)
