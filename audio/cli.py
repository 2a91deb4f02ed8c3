"""`greetline audio …` commands (the audio helper fills this in)."""

import argparse
from typing import Any


def register(commands: "argparse._SubParsersAction[Any]") -> None:
    audio = commands.add_parser("audio", help="produce and check greeting audio")
    audio.add_subparsers(dest="audio_command", required=True, metavar="AUDIO_COMMAND")
