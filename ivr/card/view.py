"""What the answering service's card shows at a moment: the business, the instructions in force, and the calls
put through to the service today with what each caller chose (read from the call log's whisper steps).
"""

from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ivr.calendar.away import CAPPED, CalendarDay, away_spells, day_of, today_at
from ivr.callflow.schedule import away_until
from ivr.callflow.whisper import CallerRoute, Via
from ivr.document.instructions import InstructionsInForce, instructions_in_force
from ivr.document.model import BusinessDocument
from ivr.messages.compose import menu_label
from ivr.store.calendars import CalendarCopy
from ivr.store.calls import LoggedCall

WHISPER_STEP = "whisper:"
# The first answer's label when the calendar sent the call to the service (ivr.callflow.flow.incoming_in).
AWAY_STEP = "away>"


@dataclass(frozen=True)
class ForwardedCall:
    at: datetime
    caller: str
    route: CallerRoute
    # A menu choice's word (the option's label, else what its prompt offers), empty for the other routes.
    choice: str
    # Sent straight to the service because the owner's calendar said away (calendar: {when_away: service}).
    away: bool = False


@dataclass(frozen=True)
class EarlierContact:
    """Something the caller on the console's line did earlier today: a call (`kind` "call", `text` its outcome), a
    voicemail (`text` its transcript, if any) or a call note the service wrote (`text` the message)."""

    at: datetime
    kind: str
    text: str


@dataclass(frozen=True)
class CallerOnLine:
    """The call the console popped this card up for (issue 26): who calls, how they came, what they did today."""

    call_sid: str
    number: str
    route: CallerRoute
    choice: str
    earlier: tuple[EarlierContact, ...]


@dataclass(frozen=True)
class CardView:
    business: str
    language: str
    timezone: str
    country: str
    day: date
    instructions: InstructionsInForce | None
    calls: tuple[ForwardedCall, ...]
    # Whether the overflow says where notes go: without it the form cannot deliver and says so.
    takes_notes: bool
    # The callers waiting to be called back (issue 23): when each asked, and the number, oldest first.
    callbacks: tuple[tuple[datetime, str], ...] = ()
    # On the console only: the call being put through now and its caller's day.
    caller: CallerOnLine | None = None
    # The owner's calendar today (calendar: in the document, issue 26); None: the business has none.
    calendar: CalendarDay | None = None


def _route_of(call: LoggedCall) -> CallerRoute | None:
    heard = next((label for label in call.path if label.startswith(WHISPER_STEP)), None)
    if heard is None:
        return None
    via, _, key = heard.removeprefix(WHISPER_STEP).partition(":")
    return CallerRoute.from_params({"via": via, "key": key})


def _choice(document: BusinessDocument, route: CallerRoute) -> str:
    if route.via is not Via.MENU:
        return ""
    option = next((option for option in document.menu if option.key == route.key), None)
    if option is None:
        return route.key
    return option.label or menu_label(option.prompt)


def card_view(
    document: BusinessDocument,
    logged_today: list[LoggedCall],
    now: datetime,
    open_callbacks: tuple[tuple[datetime, str], ...] = (),
    calendar_copy: CalendarCopy | None = None,
) -> CardView:
    """`logged_today`: the business's calls of the local day, any order; those the service heard are listed.
    `open_callbacks`: the callback requests not yet done, (asked at, number). `calendar_copy`: the last copy of the
    document's calendar feed (None: not fetched yet)."""
    calls = []
    for call in sorted(logged_today, key=lambda found: found.started_at):
        route = _route_of(call)
        if route is not None:
            away = any(label.startswith(AWAY_STEP) for label in call.path)
            calls.append(ForwardedCall(call.started_at, call.from_number, route, _choice(document, route), away))
    overflow = document.overflow
    return CardView(
        business=document.business,
        language=document.language,
        timezone=document.timezone,
        country=document.country,
        day=now.astimezone(ZoneInfo(document.timezone)).date(),
        instructions=instructions_in_force(document, now),
        calls=tuple(calls),
        takes_notes=overflow is not None and overflow.notes is not None,
        callbacks=tuple(sorted(open_callbacks)),
        calendar=None if document.calendar is None else calendar_day(calendar_copy, now, document.timezone),
    )


def with_caller(
    view: CardView,
    document: BusinessDocument,
    call_sid: str,
    number: str,
    route: CallerRoute,
    earlier: list[EarlierContact],
) -> CardView:
    """The card as the console shows it for one call: `earlier` are the caller's calls (this one left out), messages
    and notes of the day, any order; listed newest first."""
    contacts = sorted(earlier, key=lambda contact: contact.at, reverse=True)
    caller = CallerOnLine(call_sid, number, route, _choice(document, route), tuple(contacts))
    return replace(view, caller=caller)


def calendar_day(copy: CalendarCopy | None, now: datetime, timezone: str) -> CalendarDay:
    if copy is None:
        return CalendarDay((), None, None)
    today = day_of(copy.events, today_at(now, timezone))
    problem = copy.problem or (CAPPED if copy.capped else None)
    until = away_until(away_spells(copy.events), now)
    return CalendarDay(today, until, copy.fetched_at, problem, copy.problem_detail)


def card_json(view: CardView) -> dict[str, object]:
    """The card for the answering service's own software (GET /api/v1/card/{token})."""
    instructions = view.instructions
    return {
        "business": view.business,
        "language": view.language,
        "timezone": view.timezone,
        "day": view.day.isoformat(),
        "instructions": None
        if instructions is None
        else {
            "text": instructions.text,
            "urgent": instructions.urgent,
            "period": None
            if instructions.period is None
            else {"from": instructions.period[0].isoformat(), "to": instructions.period[1].isoformat()},
        },
        "calls": [
            {
                "at": call.at.isoformat(),
                "caller": call.caller or None,
                "via": call.route.via.value,
                "key": call.route.key or None,
                "choice": call.choice or None,
                "away": call.away,
            }
            for call in view.calls
        ],
        "takes_notes": view.takes_notes,
        "callbacks": [{"asked_at": asked.isoformat(), "number": number} for asked, number in view.callbacks],
        "calendar": None if view.calendar is None else _calendar_json(view.calendar),
    }


def _calendar_json(day: CalendarDay) -> dict[str, object]:
    return {
        "away_until": day.away_until.isoformat() if day.away_until else None,
        "events": [
            {
                "start": event.start.isoformat(),
                "end": event.end.isoformat(),
                "title": event.title,
                "away": event.away,
                "all_day": event.all_day,
            }
            for event in day.events
        ],
        "fetched_at": day.fetched_at.isoformat() if day.fetched_at else None,
        "problem": day.problem,
    }
