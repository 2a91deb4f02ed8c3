"""The `greetline` command: a thin face. Each command parses its arguments and calls one plain function."""

import argparse
import json
import os
import secrets
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from audio import cli as audio_cli
from audio.errors import AudioError
from audio.objects import StoreError
from ivr.errors import DocumentError, GreetlineError, InputError

if TYPE_CHECKING:
    from ivr.settings import Settings

# 128 + SIGPIPE (13): the exit status a shell gives a command whose reader went away.
EXIT_BROKEN_PIPE = 141


def _settings(args: argparse.Namespace) -> "Settings":
    from ivr.settings import Settings

    overrides: dict[str, Any] = {}
    if getattr(args, "insecure_dev_mode", False):
        overrides["insecure_dev_mode"] = True
    return Settings(**overrides)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def _serve(args: argparse.Namespace) -> int:
    import uvicorn
    from uvicorn.supervisors.multiprocess import Multiprocess

    from ivr.web.app import create_app
    from ivr.web.serving import server_config

    settings = _settings(args)
    if "public_url" not in settings.model_fields_set:
        # Not configured: the address being served is the best guess (right for local use and the simulator).
        settings = settings.model_copy(update={"public_url": f"http://{args.host}:{args.port}"})
    settings.require_webhook_security()
    settings.require_shared_sessions()
    if settings.twilio_auth_token is None:
        print(
            "!! INSECURE DEVELOPMENT MODE: Twilio signatures are NOT checked. Never expose this server.\n"
            "!! Set GREETLINE_TWILIO_AUTH_TOKEN for anything but local development.",
            file=sys.stderr,
        )
    if args.migrate:
        from ivr.commands import migrate_for_serving

        warning = migrate_for_serving(settings)
        if warning:
            print(f"greetline: warning: {warning}", file=sys.stderr)
    print(f"Voice webhook: POST {settings.public_url}/twilio/voice", file=sys.stderr)
    options = {"log_level": args.log_level, "access_log": args.access_log}
    if args.workers > 1:
        # Each worker builds its app from the environment: hand it the settings decided here.
        os.environ["GREETLINE_PUBLIC_URL"] = settings.public_url
        os.environ["GREETLINE_INSECURE_DEV_MODE"] = "true" if settings.insecure_dev_mode else "false"
        # One secret for all of them (SQLite, none set): a login made through one worker is valid on the others.
        os.environ["GREETLINE_SESSION_SECRET"] = settings.session_secret or secrets.token_urlsafe(32)
        config = server_config(
            None,
            host=args.host,
            port=args.port,
            header_timeout_s=settings.header_timeout_s,
            workers=args.workers,
            **options,
        )
        Multiprocess(config, sockets=[config.bind_socket()]).run()
        return 0
    config = server_config(
        create_app(settings), host=args.host, port=args.port, header_timeout_s=settings.header_timeout_s, **options
    )
    uvicorn.Server(config).run()
    return 0


def _worker(args: argparse.Namespace) -> int:
    import signal
    import threading

    from ivr.commands import run_worker

    settings = _settings(args)
    stop = threading.Event()
    # SIGTERM (systemd, docker stop) finishes the delivery in hand and stops; SIGKILL is survived by design.
    signal.signal(signal.SIGTERM, lambda _signal, _frame: stop.set())
    signal.signal(signal.SIGINT, lambda _signal, _frame: stop.set())
    print("greetline worker: delivering from the outbox (Ctrl-C to stop)", file=sys.stderr, flush=True)
    run_worker(settings, stop)
    return 0


def _summary(args: argparse.Namespace) -> int:
    from ivr.commands import send_summary

    try:
        day = date.fromisoformat(args.date) if args.date else None
    except ValueError:
        raise InputError(f"--date {args.date!r}: write the day as YYYY-MM-DD") from None
    sent_day, addresses = send_summary(_settings(args), args.number, day)
    print(f"sent the summary of {sent_day} to {', '.join(addresses)}")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from ivr.commands import migrate

    for done in migrate(_settings(args)):
        print(done)
    print("database schema is up to date")
    return 0


def _apply(args: argparse.Namespace) -> int:
    if Path(args.file).is_dir():
        return _apply_folder(args)
    from ivr.commands import apply_file

    print("\n".join(apply_file(_settings(args), Path(args.file), render=args.render, progress=_progress)))
    return 0


def _apply_folder(args: argparse.Namespace) -> int:
    import time

    from ivr.bulk_apply import apply_folder

    started = time.monotonic()
    report = apply_folder(
        _settings(args), Path(args.file), workers=args.workers, progress=ProgressBar("applied"), render=args.render
    )
    for path, reason in report.failed:
        print(f"greetline: error: {path}: {reason}", file=sys.stderr)
    print("\n".join(report.warnings + report.render_problems))
    rendered = f"; {report.rendered} text(s) rendered as speech" if args.render else ""
    print(
        f"applied {len(report.applied)} of {report.total} document(s) in {time.monotonic() - started:.1f} s"
        f"{rendered}; {len(report.failed)} refused"
    )
    return 1 if report.failed else 2 if report.render_problems else 0


def _progress(done: int, total: int, text: str) -> None:
    """One line per text on a pipe; a line that updates itself on a terminal."""
    if total == 0:
        return
    line = f"[{done}/{total}] {text[:60]}" if text else f"[{done}/{total}] done"
    if sys.stderr.isatty():
        print(f"\r\033[K{line}", end="" if text else "\n", file=sys.stderr, flush=True)
    else:
        print(line, file=sys.stderr, flush=True)


class ProgressBar:
    """A bar that redraws itself on a terminal; on a pipe, one line per tenth of the work."""

    WIDTH = 30

    def __init__(self, verb: str) -> None:
        self._verb = verb
        self._tty = sys.stderr.isatty()
        self._shown_tenth = 0

    def __call__(self, done: int, total: int, name: str) -> None:
        filled = self.WIDTH * done // total
        line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self._verb} {done}/{total} {name[:40]}"
        if self._tty:
            print(f"\r\033[K{line}", end="\n" if done == total else "", file=sys.stderr, flush=True)
        elif done * 10 // total > self._shown_tenth or done == total:
            self._shown_tenth = done * 10 // total
            print(line, file=sys.stderr, flush=True)


def _render(args: argparse.Namespace) -> int:
    from ivr.commands import render_number, render_report_lines

    report = render_number(_settings(args), args.number, _progress)
    print("\n".join(render_report_lines(report)))
    return 0 if not report.problems else 2


def _lint(args: argparse.Namespace) -> int:
    from ivr.applying import as_finding
    from ivr.commands import lint_file
    from ivr.document.findings import as_json

    try:
        findings = lint_file(Path(args.file)).findings
    except DocumentError as error:  # not YAML at all: nothing else can be checked
        findings = [as_finding(problem) for problem in error.found]
    if args.json:
        print(as_json(findings))
    else:
        for finding in findings:
            print(finding)
    refused = sum(1 for finding in findings if finding.level.value == "error")
    if refused:
        print(
            f"greetline: error: {refused} error(s); apply refuses this document until they are fixed", file=sys.stderr
        )
        return 1
    if not findings and not args.json:
        print(f"{args.file}: no problems found")
    return 0


def _holidays(args: argparse.Namespace) -> int:
    from ivr.callflow.model import Country
    from ivr.document.holidays import holidays_of

    country = Country("GB" if args.country.upper() == "UK" else args.country.upper())
    for day, name in holidays_of(country, args.year or date.today().year):
        print(f"{day.isoformat()}  {day:%a}  {name}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from ivr.commands import export_number

    sys.stdout.write(export_number(_settings(args), args.number))
    return 0


def _call(args: argparse.Namespace) -> int:
    from ivr.commands import parse_local_time, simulate
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
    transcript = simulate(_settings(args), plan, args.url)
    if args.json:
        print(json.dumps(transcript_data(transcript), indent=2))
    else:
        print(transcript_text(transcript))
    return 0


def _register_service_commands(commands: Any) -> None:
    serve = commands.add_parser("serve", help="run the web server Twilio calls", description="Run the web server.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: %(default)s)")
    serve.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug"],
        help="how much the server logs (default: %(default)s)",
    )
    serve.add_argument(
        "--workers",
        type=_positive_int,
        default=1,
        help="server processes sharing the port; one per CPU core in production (default: %(default)s)",
    )
    serve.add_argument(
        "--access-log",
        action="store_true",
        help="log every request (off by default: it costs a fifth of the webhook's throughput; a proxy logs them)",
    )
    serve.add_argument("--no-migrate", dest="migrate", action="store_false", help="do not upgrade the schema first")
    serve.add_argument(
        "--insecure-dev-mode",
        action="store_true",
        help="allow running without GREETLINE_TWILIO_AUTH_TOKEN; webhooks are then NOT verified (local only)",
    )
    serve.set_defaults(func=_serve)

    worker = commands.add_parser(
        "worker",
        help="deliver voicemail e-mails and texts from the outbox",
        description="Run the job worker: deliver stored messages by e-mail and SMS, retrying with growing pauses. "
        "`greetline serve` runs one inside unless GREETLINE_EMBEDDED_WORKER=false. On PostgreSQL several "
        "workers may run; on SQLite run one.",
    )
    worker.set_defaults(func=_worker)

    summary = commands.add_parser(
        "summary",
        help="send a business's daily summary of calls now",
        description="Send the daily summary (every call of the day, counts first) to the business's "
        "daily_summary addresses now; the worker sends it by itself at daily_summary.at.",
        epilog="example: greetline summary +31501234567 --date 2026-11-24",
    )
    summary.add_argument("number", help="one of the business's numbers, E.164")
    summary.add_argument("--date", help="the local day, YYYY-MM-DD (default: today at the business)")
    summary.set_defaults(func=_summary)

    migrate = commands.add_parser("migrate", help="create or upgrade the database schema")
    migrate.set_defaults(func=_migrate)


def _register_document_commands(commands: Any) -> None:
    apply = commands.add_parser(
        "apply",
        help="apply a business document (YAML), or every document in a folder",
        description="Check a business document (errors refuse it whole, warnings are printed), normalise the "
        "recordings it names, store it, then render its texts as speech (see `greetline render`). Given a folder, "
        "every .yaml document in it is applied in its own transaction: a refused one is named and the rest are "
        "applied (exit status 1 if any was refused).",
        epilog="example: greetline apply examples/huisartsenpraktijk-de-linde.yaml",
    )
    apply.add_argument("file", help="path to the YAML document, or a folder of them")
    apply.add_argument(
        "--workers",
        type=_positive_int,
        default=os.cpu_count() or 1,
        help="processes checking a folder's documents, threads rendering them (default: one per CPU)",
    )
    apply.add_argument("--no-render", dest="render", action="store_false", help="do not render the texts as speech now")
    apply.set_defaults(func=_apply)

    lint = commands.add_parser(
        "lint",
        help="check a business document's greetings without applying it",
        description="Check a business document: errors (which stop apply) and warnings, each saying what to change.",
        epilog="example: greetline lint examples/huisartsenpraktijk-de-linde.yaml",
    )
    lint.add_argument("file", help="path to the YAML document")
    lint.add_argument("--json", action="store_true", help="print the findings as JSON (code, severity, where, message)")
    lint.set_defaults(func=_lint)

    holidays = commands.add_parser(
        "holidays",
        help="list a country's public holidays by the names holidays: accepts",
        description="Print a country's public holidays for a year. A document's holidays: list closes the business "
        "on the ones it names (exactly as printed here), or on dates written MM-DD (every year) or YYYY-MM-DD (once).",
        epilog="example: greetline holidays NL --year 2026",
    )
    holidays.add_argument(
        "country", type=str.upper, choices=["NL", "BE", "DE", "FR", "GB", "UK", "US"], help="the business's country"
    )
    holidays.add_argument("--year", type=int, help="the year to list (default: this year)")
    holidays.set_defaults(func=_holidays)

    render = commands.add_parser(
        "render",
        help="turn every text of a business into normalised speech recordings",
        description="Render the business's texts with the speech engines (GREETLINE_TTS_ENGINES order, the offline "
        "engine last), normalise them and store them; calls play them instead of <Say> at once. Texts already "
        "rendered are kept. Exits 2 if some texts could not be rendered (calls keep using <Say> for those).",
        epilog="example: greetline render +31501234567",
    )
    render.add_argument("number", help="one of the business's numbers, E.164")
    render.set_defaults(func=_render)

    export = commands.add_parser("export", help="print the document of the business answering NUMBER")
    export.add_argument("number", help="one of the business's numbers, E.164, e.g. +31501234567")
    export.set_defaults(func=_export)


def _register_call_command(commands: Any) -> None:
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


def build_parser() -> argparse.ArgumentParser:
    from ivr import cli_admin

    parser = argparse.ArgumentParser(
        prog="greetline",
        description="Greetline: greetings, a short menu and ring-count overflow for a business phone line. "
        "Settings come from GREETLINE_* environment variables (see README).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _register_service_commands(commands)
    _register_document_commands(commands)
    _register_call_command(commands)
    audio_cli.register(commands)
    cli_admin.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["audio"]:  # needs no settings, database or web framework: skip importing them
        return audio_cli.main(arguments[1:])
    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    parser = build_parser()
    try:
        args = parser.parse_args(arguments)
        code: int = args.func(args)
        sys.stdout.flush()  # here, not at exit, so a reader that went away is noticed below
    except DocumentError as error:
        print(
            f"greetline: error: nothing was applied; fix these {len(error.problems)} problem(s):",
            file=sys.stderr,
        )
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    except ValidationError as error:  # settings from the environment
        print(f"greetline: error: bad setting: {error.errors()[0]['msg']}", file=sys.stderr)
        return 1
    except SettingsError as error:  # a setting that is not even readable, e.g. a list not written as JSON
        print(f"greetline: error: {error}; lists are written as JSON, e.g. '[\"espeak\"]'", file=sys.stderr)
        return 1
    except (GreetlineError, AudioError, StoreError) as error:
        print(f"greetline: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`greetline … | head`): stop quietly. Point stdout at /dev/null so the flush at
        # exit does not fail again (Python docs, "Note on SIGPIPE"); 141 is what a shell reports for SIGPIPE.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as error:
        from sqlalchemy.exc import OperationalError  # here: most commands never touch the database

        if not isinstance(error, OperationalError):
            raise
        reason = str(error.orig or error).strip().splitlines()[0]
        print(
            f"greetline: error: the database does not answer ({reason}); check GREETLINE_DATABASE_URL "
            "and that the database server is running",
            file=sys.stderr,
        )
        return 1
    return code


if __name__ == "__main__":
    raise SystemExit(main())
