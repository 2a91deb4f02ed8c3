"""The checker's look at what the answering service hears: short enough not to delay the connection.

The caller waits in silence (or ringback) while the service hears the whisper, so it is held to 4 s. A whisper
that has been rendered is measured; one that has not is estimated from its letters: espeak-ng 1.51's default
voices speak 12 to 15 letters a second in these whispers (measured on 80 of them in four languages, median 14),
a digit being a word of about four letters ("twee", "zwei", "deux"). tests/document/test_whisper_length.py
renders every whisper of every example document to hold the real thing.
"""

import re
from collections.abc import Mapping

from ivr.callflow.model import Business
from ivr.document.codes import Code
from ivr.document.findings import Finding, Level
from ivr.document.model import BusinessDocument

MAX_WHISPER_S = 4.0
WHISPER_LETTERS_PER_S = 14.0
LETTERS_PER_DIGIT = 4
_LETTER = re.compile(r"[^\W\d]")
_DIGIT = re.compile(r"\d")


def whisper_seconds(text: str, durations_s: Mapping[str, float]) -> float:
    measured = durations_s.get(text)
    if measured is not None:
        return measured
    letters = len(_LETTER.findall(text)) + LETTERS_PER_DIGIT * len(_DIGIT.findall(text))
    return letters / WHISPER_LETTERS_PER_S


def whisper_findings(document: BusinessDocument, business: Business, durations_s: Mapping[str, float]) -> list[Finding]:
    """One warning per place to change (a menu option's label, else the business's name), at its longest."""
    if not business.service:
        return []
    keys = {option.key: index for index, option in enumerate(document.menu)}
    worst: dict[str, tuple[float, str]] = {}
    for route, prompt in (("direct", business.texts.whisper), *business.whispers):
        seconds = whisper_seconds(prompt.text, durations_s)
        key = route.removeprefix("menu:") if route.startswith("menu:") else None
        where = f"menu[{keys[key]}].label" if key in keys else "business"
        if seconds > MAX_WHISPER_S and seconds > worst.get(where, (0.0, ""))[0]:
            worst[where] = (seconds, prompt.text)
    return [
        Finding(
            Code.WHISPER_LONG,
            where,
            f"the answering service hears {text!r}, about {seconds:.1f} s, before the caller is put through; keep "
            f"it under {MAX_WHISPER_S:.0f} s with "
            + ("a shorter label: (a word or two)" if where != "business" else "a shorter business name"),
            {"text": text, "seconds": round(seconds, 1), "most": round(MAX_WHISPER_S)},
            level=Level.WARNING,
        )
        for where, (seconds, text) in worst.items()
    ]
