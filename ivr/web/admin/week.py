"""What a caller hears at the moments staff plan for: now, tonight, Sunday morning, the next public holiday,
inside the next period; each a preview call (ivr.web.preview) against the stored configuration, or against a
change not saved yet (a draft)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ivr.callflow.model import Country
from ivr.callflow.public_holidays import public_holiday, region_code
from ivr.document.model import DEFAULT_TIMEZONE, BusinessDocument
from ivr.web.admin import wording
from ivr.web.admin.i18n import Words
from ivr.web.preview import caller_hears
from ivr.web.services import Services

# Moments inside the day: late evening for "tonight", mid-morning for a day that is not today.
TONIGHT = time(22, 0)
MORNING = time(11, 0)
# How far ahead to look for the next public holiday.
HOLIDAY_HORIZON_DAYS = 400


@dataclass(frozen=True)
class Moment:
    label: str
    when: str
    heard: list[wording.HeardStep]
    person_after: str


def _next_holiday(document: dict[str, Any], today: date) -> date | None:
    country = Country(document.get("country", "NL"))
    region = region_code(country, document["region"]) if document.get("region") else None
    for offset in range(1, HOLIDAY_HORIZON_DAYS):
        day = today + timedelta(days=offset)
        if public_holiday(country, day, region):
            return day
    return None


def moments(
    services: Services,
    session: Session,
    document: dict[str, Any],
    recordings: dict[str, str],
    words: Words,
    language: str,
    drafts: Mapping[int, BusinessDocument] | None = None,
) -> list[Moment]:
    """`recordings`: the business's texts by the URL their rendered speech plays from; `drafts`: an unsaved
    change by business id (then `document` is that draft's data), heard instead of the stored document."""
    zone_name = document.get("timezone", DEFAULT_TIMEZONE)
    zone = ZoneInfo(zone_name)
    now = services.clock().astimezone(zone)
    today = now.date()
    sunday = today + timedelta(days=(6 - today.weekday()) or 7)
    wanted: list[tuple[str, datetime]] = [
        (words.gettext("Now"), now),
        (words.gettext("Tonight"), datetime.combine(today, TONIGHT, zone)),
        (words.gettext("Sunday"), datetime.combine(sunday, MORNING, zone)),
    ]
    holiday = _next_holiday(document, today)
    if holiday is not None:
        wanted.append((words.gettext("Next public holiday"), datetime.combine(holiday, MORNING, zone)))
    coming = sorted(p["from"] for p in document.get("periods", []) if p["to"] >= today.isoformat())
    if coming:
        first = max(date.fromisoformat(coming[0]), today + timedelta(days=1))
        wanted.append((words.gettext("In the next period"), datetime.combine(first, MORNING, zone)))
    found = []
    for label, moment in wanted:
        transcript = caller_hears(services, session, document, moment, drafts=drafts)
        steps = [
            wording.heard_step(words, event, recordings, document.get("country", "NL"), language)
            for event in transcript.events
            if event.kind in ("say", "play", "dial", "record", "hangup")
        ]
        person = (
            words.gettext("A person answers after %(s)s.")
            % {"s": wording.seconds(words, transcript.human_after_s, language)}
            if transcript.human_after_s is not None
            else words.gettext("Nobody answers.")
        )
        found.append(Moment(label, wording.local_time(moment, zone_name, language), steps, person))
    return found
