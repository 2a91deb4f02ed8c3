"""Why calls ended, counted in the e-mails' words ("Waarom oproepen eindigden: bericht ingesproken 4 · ...")."""

from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources

import yaml

from ivr.callflow.end_reasons import EndReason


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = yaml.safe_load(
        resources.files("ivr.messages").joinpath("end_reasons.yaml").read_text("utf-8")
    )
    return found


def reason_text(reason: str | None, language: str) -> str:
    words = _catalogue().get(language, _catalogue()["en"])
    return words.get(reason or "in_progress", reason or words["in_progress"])


def reasons_line(reasons: Iterable[str | None], language: str) -> str | None:
    """The calls counted by why they ended, in the order of the documented list; None when no call has a reason
    (none at all, or only calls logged before reasons were kept)."""
    return counted_line(Counter(reasons), language)


def counted_line(counted: Mapping[str | None, int], language: str) -> str | None:
    if not any(reason and count for reason, count in counted.items()):
        return None
    order = [reason.value for reason in EndReason] + [None]
    parts = [f"{reason_text(reason, language)} {counted[reason]}" for reason in order if counted.get(reason)]
    return f"{_catalogue().get(language, _catalogue()['en'])['heading']}: " + " · ".join(parts)
