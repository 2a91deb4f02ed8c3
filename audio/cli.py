"""`greetline audio …`: greeting audio from the command line."""

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from audio.errors import AudioCode, AudioError, RefusedAudio
from audio.targets import MAX_UPLOAD_BYTES, TARGET_LUFS, TARGET_RANGE_LUFS


def _normalize(args: argparse.Namespace) -> int:
    # Imported here: numpy takes a fifth of a second, which every other command would pay.
    from audio.normalize import normalize_greeting

    source, target = Path(args.input), Path(args.output)
    try:
        if source.stat().st_size > MAX_UPLOAD_BYTES:  # refused before reading: memory stays bounded
            raise RefusedAudio(
                f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MB; upload a shorter recording",
                AudioCode.TOO_LARGE,
                mb=MAX_UPLOAD_BYTES // 2**20,
            )
        data = source.read_bytes()
    except OSError as error:
        raise RefusedAudio(f"cannot read {source}: {error.strerror}", AudioCode.UNREADABLE) from None
    result = normalize_greeting(data, kind=args.kind, target_lufs=args.target_lufs)
    target.write_bytes(result.wav)
    if args.preview:
        Path(args.preview).write_bytes(result.preview_mp3)
    print(json.dumps(result.report.to_dict(), indent=2) if args.json else result.report.text())
    return 0


def register(commands: "argparse._SubParsersAction[Any]") -> None:
    _add_commands(commands.add_parser("audio", help="produce and check greeting audio"))


def main(argv: Sequence[str]) -> int:
    """`greetline audio …` on its own: `ivr.cli` hands these commands here before importing the settings,
    the database and the web framework, which none of them needs (a quarter of a second of start-up)."""
    parser = argparse.ArgumentParser(prog="greetline audio", description="Produce and check greeting audio.")
    _add_commands(parser)
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except AudioError as error:
        print(f"greetline: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return code


def _add_commands(audio: argparse.ArgumentParser) -> None:
    audio_commands = audio.add_subparsers(dest="audio_command", required=True, metavar="AUDIO_COMMAND")
    normalize = audio_commands.add_parser(
        "normalize",
        help="normalise a recording for the telephone",
        description="Decode any common recording (WAV, MP3, M4A/AAC, OGG/Opus, FLAC, WebM) safely, make it mono "
        "8 kHz, high-pass at 100 Hz, trim silence, bring it to the target loudness with true peak at most "
        "-1.5 dBTP, and write 8 kHz mono μ-law WAV (what Twilio plays). Prints what each step did.",
        epilog="example: greetline audio normalize welkom.m4a welkom.wav --kind welcome",
    )
    normalize.add_argument("input", help="the recording to normalise")
    normalize.add_argument("output", help="where to write the WAV")
    lowest, highest = TARGET_RANGE_LUFS
    normalize.add_argument(
        "--target-lufs",
        type=float,
        default=TARGET_LUFS,
        metavar="LUFS",
        help=f"integrated loudness to reach, {lowest:g} to {highest:g} (default: %(default)s)",
    )
    normalize.add_argument(
        "--kind",
        choices=["welcome", "info", "other"],
        default="other",
        help="what the recording is for; a long welcome or information gets a warning",
    )
    normalize.add_argument("--preview", metavar="MP3", help="also write an MP3 preview for people")
    normalize.add_argument("--json", action="store_true", help="print the report as JSON")
    normalize.set_defaults(func=_normalize)
