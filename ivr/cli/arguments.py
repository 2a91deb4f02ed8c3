"""Argument types the command groups share."""

import argparse
from datetime import date

from ivr.errors import InputError


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def parse_day(text: str, option: str) -> date:
    """'2026-11-24' given as `option` (e.g. --date): the day a command acts as if it were."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option} {text!r}: write the day as YYYY-MM-DD") from None
