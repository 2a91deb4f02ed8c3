"""`greetline serve`, `worker`, `summary` and `migrate`: running the service and keeping its database."""

import argparse
import sys
from typing import Any

from ivr.cli.arguments import parse_day, positive_int
from ivr.cli.runtime import load_settings, runtime


def _serve(args: argparse.Namespace) -> int:
    from ivr.web.process_levers import built_without_collecting

    with built_without_collecting():  # not around the children forked below: they would inherit it
        import uvicorn
        from uvicorn.supervisors.multiprocess import Multiprocess

        from ivr.web.app import create_app
        from ivr.web.process_levers import hand_settings_to_workers
        from ivr.web.serving import server_config

    settings = load_settings(insecure_dev_mode=args.insecure_dev_mode)
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
        from ivr.cli.commands import migrate_for_serving

        warning = migrate_for_serving(settings)
        if warning:
            print(f"greetline: warning: {warning}", file=sys.stderr)
    from ivr.cli.commands import sms_sender_warnings

    sms_sender_warnings(settings, _print_warnings)  # beside the start: printed when read
    print(f"Voice webhook: POST {settings.public_url}/twilio/voice", file=sys.stderr)
    options = {"log_level": args.log_level, "access_log": args.access_log}
    if args.workers > 1:
        hand_settings_to_workers(settings)  # each worker builds its app from the environment
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
    with built_without_collecting():
        app = create_app(settings)
    config = server_config(app, host=args.host, port=args.port, header_timeout_s=settings.header_timeout_s, **options)
    uvicorn.Server(config).run()
    return 0


def _print_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        print(f"greetline: warning: {warning}", file=sys.stderr, flush=True)


def _worker(args: argparse.Namespace) -> int:
    import signal
    import threading

    from ivr.cli.commands import run_worker

    stop = threading.Event()
    # SIGTERM (systemd, docker stop) finishes the delivery in hand and stops; SIGKILL is survived by design.
    signal.signal(signal.SIGTERM, lambda _signal, _frame: stop.set())
    signal.signal(signal.SIGINT, lambda _signal, _frame: stop.set())
    with runtime() as opened:
        print("greetline worker: delivering from the outbox (Ctrl-C to stop)", file=sys.stderr, flush=True)
        run_worker(opened, stop)
    return 0


def _summary(args: argparse.Namespace) -> int:
    from ivr.cli.commands import send_summary

    day = parse_day(args.date, "--date") if args.date else None
    with runtime() as opened:
        sent_day, addresses = send_summary(opened, args.number, day)
    print(f"sent the summary of {sent_day} to {', '.join(addresses)}")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    with runtime() as opened:
        done = opened.migrate()
    for line in done:
        print(line)
    print("database schema is up to date")
    return 0


def register(commands: Any) -> None:
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
        type=positive_int,
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
