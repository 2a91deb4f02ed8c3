"""The `greetline` command: a thin face. Each command parses its arguments and calls one plain function."""

import argparse
import sys
from collections.abc import Sequence

from audio import cli as audio_cli
from audio.errors import AudioError
from ivr.errors import GreetlineError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="greetline",
        description="Greetline: greetings, a short menu and ring-count overflow for a business phone line.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    audio_cli.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except (GreetlineError, AudioError) as error:
        print(f"greetline: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    raise SystemExit(main())
