"""The path checker walks the calls of calendar: {when_away: service} too, and names them in the business's language."""

from datetime import date

from ivr.callflow.paths import explore
from ivr.callflow.schedule import Away
from ivr.document.load import parse_document
from ivr.document.path_check import business_at_for
from ivr.document.path_words import path_words

MONDAY = date(2026, 11, 23)
DOCUMENT = """\
business: Installatiebedrijf Jansen
numbers: ["+31201234567"]
operators: ["+31501111111"]
menu:
  - {key: "1", prompt: "Voor spoed, toets 1.", dial: ["+31502222222"]}
overflow: {dial: "+31208888888"}
hours: {mon-fri: "08:00-17:00"}
calendar: {ics: "https://calendar.google.com/calendar/ical/jan/private-abc/basic.ics", when_away: service}
"""


def _away_paths(text: str) -> list[str]:
    document = parse_document(text)
    words = path_words(document.language)
    paths = explore(business_at_for(document), MONDAY, lambda _speech: 3.0)
    return [words.describe(path) for path in paths if isinstance(path.scene.situation, Away)]


def test_the_away_paths_are_walked_and_named() -> None:
    """Straight to the service: no menu, no staff phone; the service answering or not."""
    away = "maandag 's ochtends → afwezig volgens de agenda → belt +31208888888 → "
    assert _away_paths(DOCUMENT) == [f"{away}opgenomen na 26 s", f"{away}geen gehoor/in gesprek/mislukt → ophangen"]


def test_without_when_away_service_there_are_none() -> None:
    assert _away_paths(DOCUMENT.replace(", when_away: service", "")) == []
