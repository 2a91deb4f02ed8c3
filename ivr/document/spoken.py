"""Every text a caller (or an answering service) may hear from a business, exactly as it is spoken.

Derived from the call flow's own view of the business in each part of the day, so a salutation that changes
over the day yields each of its variants, and nothing spoken is missed.
"""

from dataclasses import dataclass
from typing import Literal

from ivr.callflow.model import Business, Prompt
from ivr.document.convert import to_business
from ivr.document.model import BusinessDocument
from prompts import PARTS_OF_DAY

Kind = Literal["welcome", "info", "other"]


@dataclass(frozen=True)
class SpokenText:
    text: str
    kind: Kind


def _prompts(business: Business) -> list[tuple[Prompt, Kind]]:
    found: list[tuple[Prompt, Kind]] = [(business.greeting, "welcome")]
    if business.info is not None:
        found.append((business.info, "info"))
    found += [(option.prompt, "other") for option in business.menu]
    found.append((business.closed.greeting, "other"))
    found += [(period.greeting, "other") for period in business.periods]
    offered = [business.closed.emergency, *(period.emergency for period in business.periods)]
    found += [(emergency.prompt, "other") for emergency in offered if emergency is not None]
    texts = business.texts
    found += [
        (prompt, "other")
        for prompt in (
            texts.menu_retry,
            texts.voicemail,
            texts.whisper,
            texts.unavailable,
            texts.goodbye,
        )
    ]
    # Only what this business's callers (and staff) can hear: each text rendered costs a speech request.
    if business.holidays.closes_some_day:
        found.append((texts.holiday, "other"))
    if business.confirm:
        found.append((texts.confirm, "other"))
    if business.service:  # what the answering service hears, for each way a caller comes to it
        found += [(prompt, "other") for _route, prompt in business.whispers]
    return found


def spoken_texts(document: BusinessDocument) -> list[SpokenText]:
    seen: dict[str, SpokenText] = {}
    for part in PARTS_OF_DAY:
        for prompt, kind in _prompts(to_business(document, 0, part_of_day=part)):
            if prompt.media_id is None and prompt.text and prompt.text not in seen:
                seen[prompt.text] = SpokenText(prompt.text, kind)
    return list(seen.values())
