"""The `greetline` command: a thin face. Each command parses its arguments and calls one plain function."""

import argparse
import os
import sys
from collections.abc import Sequence

from audio import cli as audio_cli
from audio.errors import AudioError
from audio.objects import StoreError
from ivr.errors import DocumentError, GreetlineError

# 128 + SIGPIPE (13): the exit status a shell gives a command whose reader went away.
EXIT_BROKEN_PIPE = 141


def build_parser() -> argparse.ArgumentParser:
    from ivr.cli import admin, call, documents, privacy, service

    parser = argparse.ArgumentParser(
        prog="greetline",
        description="Greetline: greetings, a short menu and ring-count overflow for a business phone line. "
        "Settings come from GREETLINE_* environment variables (see README).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    service.register(commands)
    documents.register(commands)
    call.register(commands)
    audio_cli.register(commands)
    admin.register(commands)
    privacy.register(commands)
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
        # A validator's own sentence names the setting and the fix; pydantic puts "Value error, " before it.
        message = str(error.errors()[0]["msg"]).removeprefix("Value error, ")
        print(f"greetline: error: bad setting: {message}", file=sys.stderr)
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
