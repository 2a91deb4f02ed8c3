"""From the document a business wrote to the plain data the call flow decides on."""

from collections.abc import Callable, Mapping
from datetime import date

from ivr.callflow.model import (
    Business,
    Callback,
    CallbackTexts,
    ClosedInstructions,
    Country,
    Destination,
    DialNumbers,
    Emergency,
    Language,
    MenuOption,
    Period,
    Prompt,
    RingMode,
    Texts,
    Voicemail,
)
from ivr.document import model as doc
from ivr.document.fixed_texts import FixedTexts
from ivr.document.holidays import holiday_closures, known_region
from ivr.document.hours import parse_hours
from prompts import PartOfDay, PromptBook, prompt_book


class PromptMaker:
    """Turns texts into prompts, attaching a rendered recording when there is one for that exact text."""

    def __init__(
        self,
        book: PromptBook,
        business: str,
        part_of_day: PartOfDay,
        rendered: Mapping[str, str],
        playable: Callable[[str], bool] = lambda _media_id: True,
    ):
        self._book = book
        self._business = business
        self._part_of_day = part_of_day
        self._rendered = rendered
        self._playable = playable

    def text(self, text: str) -> Prompt:
        filled = self._book.fill(text, business=self._business, part_of_day=self._part_of_day)
        return Prompt(filled, self._rendered.get(filled))

    def default(self, name: str) -> Prompt:
        return self.text(self._book.texts[name])

    def greeting(self, greeting: doc.Greeting | None, default: str) -> Prompt:
        if greeting is None:
            return self.default(default)
        if greeting.media is not None and self._playable(greeting.media):
            return Prompt(greeting.text or self.default(default).text, greeting.media)
        return self.text(greeting.text) if greeting.text else self.default(default)


def destination(route: doc.Route, box: str) -> Destination | None:
    """`box`: the voicemail box's name (see ivr.callflow.model.voicemail_boxes)."""
    if route.dial is not None:
        return DialNumbers(tuple(route.dial))
    if route.voicemail is not None:
        box_ = route.voicemail
        return Voicemail(tuple(box_.email), tuple(box_.sms), box, tuple(box_.urgent_sms), route.offer_callback)
    if isinstance(route, doc.MenuOption) and route.callback:
        return Callback()
    return None


def message_box(route: doc.Route, box: str) -> Voicemail | None:
    """The route's voicemail box, also when it follows a dial (closed, periods)."""
    found = route.voicemail
    if found is None:
        return None
    return Voicemail(tuple(found.email), tuple(found.sms), box, offer_callback=route.offer_callback)


def callback_texts(document: doc.BusinessDocument, prompts: PromptMaker, book: PromptBook) -> CallbackTexts | None:
    """What callers asking for a callback hear; None when the document takes no callback requests."""
    if document.callback is None:
        return None
    return CallbackTexts(
        offer=prompts.default("callback_offer"),
        your_number=prompts.default("callback_your_number"),
        key_in=prompts.default("callback_key_in"),
        confirmed=prompts.default("callback_confirmed"),
        too_short=prompts.default("callback_too_short"),
        too_long=prompts.default("callback_too_long"),
        premium=prompts.default("callback_premium"),
        not_a_number=prompts.default("callback_not_a_number"),
        digits=tuple(book.texts["digits"].split()),
    )


def emergency(found: doc.Emergency | None, prompts: PromptMaker) -> Emergency | None:
    return Emergency(found.key, prompts.text(found.prompt), tuple(found.dial)) if found is not None else None


def texts_for(prompts: PromptMaker, holiday: doc.Greeting | None = None, own: FixedTexts | None = None) -> Texts:
    """`holiday`: the business's own holiday message, if it wrote one; `own`: its own fixed texts (`texts:`)."""
    worded = own.own() if own is not None else {}

    def fixed(name: str) -> Prompt:
        return prompts.text(worded[name]) if name in worded else prompts.default(name)

    return Texts(
        menu_retry=prompts.default("menu_retry"),
        voicemail=fixed("voicemail"),
        whisper=prompts.default("whisper"),
        unavailable=fixed("unavailable"),
        goodbye=fixed("goodbye"),
        holiday=prompts.greeting(holiday, "holiday"),
        confirm=prompts.default("confirm"),
        blocked=prompts.default("blocked"),
    )


def whispers_for(
    document: doc.BusinessDocument, prompts: PromptMaker, book: PromptBook
) -> tuple[tuple[str, Prompt], ...]:
    """Every whisper the answering service can hear, by ivr.callflow.whisper.CallerRoute.label."""
    found = [
        ("no-choice", prompts.default("whisper_no_choice")),
        ("hours", prompts.default("whisper_hours")),
        ("holiday", prompts.default("whisper_holiday")),
        ("period", prompts.default("whisper_period")),
    ]
    for option in document.menu:
        label = option.label or (book.texts["choice_urgent"] if option.emergency else book.texts["choice_key"])
        choice = label.replace("{key}", option.key)
        found.append((f"menu:{option.key}", prompts.text(book.texts["whisper_choice"].replace("{choice}", choice))))
    return tuple(found)


def to_business(
    document: doc.BusinessDocument,
    business_id: int,
    *,
    part_of_day: PartOfDay,
    rendered: Mapping[str, str] | None = None,
    playable: Callable[[str], bool] = lambda _media_id: True,
) -> Business:
    """`rendered`: recordings by the text they speak; `playable`: whether an uploaded recording's file is there."""
    book = prompt_book(document.language)
    prompts = PromptMaker(book, document.business, part_of_day, rendered or {}, playable)
    closed = document.closed or doc.Closed()
    # Without a closed: route, callers out of hours go where callers nobody answers go (the overflow).
    closed_default = (
        doc.Route(
            dial=document.overflow.dial,
            voicemail=document.overflow.voicemail,
            offer_callback=document.overflow.offer_callback,
        )
        if document.overflow
        else doc.Route()
    )
    closed_route = closed if (closed.dial or closed.voicemail) else closed_default
    return Business(
        id=business_id,
        name=document.business,
        language=Language(document.language),
        country=Country(document.country),
        timezone=document.timezone,
        greeting=prompts.greeting(document.greeting, "welcome"),
        info=prompts.greeting(document.info, "information") if document.info else None,
        menu=tuple(
            MenuOption(
                option.key,
                prompts.text(option.prompt),
                _required(destination(option, f"menu:{option.key}")),
                option.emergency,
            )
            for option in document.menu
        ),
        operators=tuple(document.operators),
        ring_mode=RingMode(document.ring),
        rings=document.rings,
        overflow=destination(document.overflow, "overflow") if document.overflow else None,
        hours=parse_hours(document.hours) if document.hours is not None else None,
        holidays=holiday_closures(document.holidays, known_region(Country(document.country), document.region)),
        closed=ClosedInstructions(
            prompts.greeting(closed.greeting, "closed"),
            destination(closed_route, "closed"),
            message_box(closed_route, "closed"),
            emergency(closed.emergency, prompts),
        ),
        periods=tuple(
            Period(
                first_day=_day(period.start),
                last_day=_day(period.end),
                greeting=prompts.greeting(period.greeting, "period"),
                destination=destination(period, f"period:{period.start.isoformat()}"),
                box=message_box(period, f"period:{period.start.isoformat()}"),
                emergency=emergency(period.emergency, prompts),
            )
            for period in document.periods
        ),
        texts=texts_for(prompts, closed.holiday, document.texts),
        missed_call_emails=tuple(document.missed_calls.email) if document.missed_calls else (),
        confirm=document.confirm,
        service=tuple(document.overflow.dial or ()) if document.overflow else (),
        whispers=whispers_for(document, prompts, book),
        callback=callback_texts(document, prompts, book),
        blocked=frozenset(document.blocked),
        text_back_after_s=document.text_back.after_s if document.text_back else None,
        away_to_service=document.calendar is not None and document.calendar.when_away == "service",
    )


def _day(value: date) -> date:
    return value


def _required(route: Destination | None) -> Destination:
    if route is None:  # the document model refuses options without a destination; this is a bug guard
        raise ValueError("menu option without a destination")
    return route
