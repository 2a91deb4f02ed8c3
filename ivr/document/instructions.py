"""Which instructions the answering service works from at a moment: a running period's, else the standing ones."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ivr.document.model import BusinessDocument, Instructions


@dataclass(frozen=True)
class InstructionsInForce:
    text: str
    # Whom to reach for urgent matters; a period that names nobody keeps the standing contact (it rarely changes).
    urgent: str | None
    # The period whose instructions these are (its first and last local day), None for the standing ones.
    period: tuple[date, date] | None = None


def instructions_in_force(document: BusinessDocument, moment: datetime) -> InstructionsInForce | None:
    """`moment` is aware; the periods are local days at the business, both ends included, the first that
    covers the day wins (as in ivr.callflow.schedule)."""
    today = moment.astimezone(ZoneInfo(document.timezone)).date()
    standing = document.instructions
    running = next((period for period in document.periods if period.start <= today <= period.end), None)
    if running is not None and running.instructions is not None:
        return _in_force(running.instructions, standing, (running.start, running.end))
    return _in_force(standing, None, None) if standing is not None else None


def _in_force(
    chosen: Instructions, standing: Instructions | None, period: tuple[date, date] | None
) -> InstructionsInForce:
    urgent = chosen.urgent or (standing.urgent if standing is not None else None)
    return InstructionsInForce(chosen.text, urgent, period)
