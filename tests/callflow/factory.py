"""Plain call-flow businesses for table-driven tests, built without any adapter."""

from dataclasses import replace
from datetime import date, time
from typing import Any

from ivr.callflow.model import (
    Business,
    ClosedInstructions,
    Country,
    DialNumbers,
    HolidayClosures,
    Language,
    MenuOption,
    OpeningHours,
    Period,
    Prompt,
    RingMode,
    Texts,
    TimeRange,
    Voicemail,
)

OFFICE_HOURS = TimeRange(time(8), time(17))
WEEKDAYS_8_TO_5 = OpeningHours(((OFFICE_HOURS,),) * 5 + ((), ()))

EMERGENCY = MenuOption("1", Prompt("Voor spoed, toets 1."), DialNumbers(("+31612345678",)), emergency=True)
REPEATS = MenuOption("2", Prompt("Voor herhaalrecepten, toets 2."), Voicemail(("recept@example.nl",), box="menu:2"))
CHRISTMAS_PERIOD = Period(
    date(2026, 12, 24), date(2027, 1, 1), Prompt("Feestdagen: u belt de waarneming."), DialNumbers(("+31209999999",))
)


def make_business(**overrides: Any) -> Business:
    business = Business(
        id=7,
        name="De Linde",
        language=Language.NL,
        country=Country.NL,
        timezone="Europe/Amsterdam",
        greeting=Prompt("Goedemiddag, u spreekt met De Linde."),
        info=None,
        menu=(),
        operators=("+31501111111", "+31502222222"),
        ring_mode=RingMode.SIMULTANEOUS,
        rings=4,
        overflow=DialNumbers(("+31208888888",)),
        hours=WEEKDAYS_8_TO_5,
        holidays=HolidayClosures(all_public=True),
        closed=ClosedInstructions(Prompt("Wij zijn gesloten."), Voicemail(("praktijk@example.nl",), box="closed")),
        periods=(),
        texts=Texts(
            menu_retry=Prompt("Dat is geen keuze."),
            voicemail=Prompt("Spreek uw bericht in."),
            whisper=Prompt("Oproep voor De Linde."),
            unavailable=Prompt("Niemand bereikbaar."),
            goodbye=Prompt("Tot ziens."),
            holiday=Prompt("Vandaag is het een feestdag."),
            confirm=Prompt("Oproep voor De Linde, toets 1 om aan te nemen."),
            blocked=Prompt("Wij zijn nu gesloten. Tot ziens."),
        ),
        service=("+31208888888",),
        whispers=(
            ("no-choice", Prompt("Oproep voor De Linde, geen keuze.")),
            ("hours", Prompt("Oproep voor De Linde, buiten openingstijden.")),
            ("holiday", Prompt("Oproep voor De Linde, feestdag.")),
            ("period", Prompt("Oproep voor De Linde, tijdelijk gesloten.")),
            ("menu:1", Prompt("Oproep voor De Linde, gekozen: spoed.")),
            ("menu:2", Prompt("Oproep voor De Linde, gekozen: toets 2.")),
        ),
    )
    return replace(business, **overrides)
