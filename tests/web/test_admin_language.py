"""Every admin page in each of its four languages, held against that language's catalogue: a word on the page
that is not from the catalogue (or the calendar's own day and month names, or the business's own data, which
the page marks translate="no") fails the test."""

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
from babel.dates import get_day_names, get_month_names

from ivr.document.phones import for_people
from ivr.settings import Settings
from ivr.web.admin.i18n import LANGUAGES, translations
from ivr.web.admin.wording import calendar_locale
from tests.messages.documents import call_sid, recording_sid, recording_url
from tests.twilio_client import TwilioLikeClient
from tests.web.test_admin import EMAIL, PUBLIC_URL, admin, csrf, log_in, stored_document

__all__ = ["admin"]  # the fixture, used by name

ATTRIBUTES = ("aria-label", "placeholder", "title", "alt", "data-confirm")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
MARK = "\u00a7"
# A placeholder in a catalogue string stands for a number, a date or a word already matched (and marked).
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# What a placeholder may stand for: numbers and marks, with punctuation between them ("+31 6 1234", "2,8", "§ - §").
VALUE = r"[-+]?[\d§]+(?:[\W_]+[\d§]+)*"
# Where the settings say Twilio's REST API is: a callback's RecordingUrl must be on it.
TWILIO_API = Settings.model_fields["twilio_api_url"].default
LETTER = re.compile(r"[^\W\d_]")


class _Shown(HTMLParser):
    """The texts and labelling attributes a visitor meets, leaving out what is marked translate="no"."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._open: list[tuple[str, bool]] = []  # (tag, left out)

    def _left_out(self) -> bool:
        return any(left_out for _tag, left_out in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        left_out = self._left_out() or found.get("translate") == "no" or tag in ("script", "style")
        if not left_out:
            self.texts += [value for name, value in attrs if name in ATTRIBUTES and value]
        if tag not in VOID:
            self._open.append((tag, left_out))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._left_out():
            self.texts.append(data.strip())


def _longest_first(text: str) -> tuple[int, bool, str]:
    return len(text), PLACEHOLDER.search(text) is not None, text


def _patterns(language: str) -> list[re.Pattern[str]]:
    """The language's calendar names and catalogue strings as patterns, the longest first (a short one that
    stands inside a long one waits its turn)."""
    words = translations(language)
    messages = [message for message in words._catalog.values() if message]  # type: ignore[attr-defined]
    calendar = calendar_locale(language)
    # Day and month names first: they stand inside sentences ("Delete the period 24 December - 1 January?").
    names = [str(name) for name in get_month_names("wide", locale=calendar).values()]
    for days in (get_day_names("wide", locale=calendar), get_day_names("abbreviated", locale=calendar)):
        names += [str(name).rstrip(".") for name in days.values()]  # the hours field writes 'lun', not 'lun.'
    patterns = []
    # Among strings of one length, one with a placeholder first: it stands for more than its length shows (and
    # in a fixed order: a tie decided by the set's hash order made the walk pass or fail from run to run).
    for text in [*sorted(set(names), key=len, reverse=True), *sorted(set(messages), key=_longest_first, reverse=True)]:
        parts = PLACEHOLDER.split(text)
        literal = "".join(re.escape(part) if i % 2 == 0 else VALUE for i, part in enumerate(parts))
        patterns.append(re.compile(rf"(?<![^\W\d_]){literal}(?![^\W\d_])"))  # whole words only
    return patterns


def _data(document: dict[str, Any]) -> list[str]:
    """The business's own words and numbers (as stored and as shown), the longest first."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            found.append(value)
            if value.startswith("+"):
                found.append(for_people(value, document.get("country", "NL")))

    walk(document)
    return sorted({text for text in found if len(text) > 2}, key=len, reverse=True)


def foreign_words(texts: list[str], language: str, data: list[str]) -> list[str]:
    """The texts that keep a letter after every catalogue string, calendar name and data value is taken out."""
    patterns = _patterns(language)
    catalogue_text = " ".join(translations(language)._catalog.values())  # type: ignore[attr-defined]

    def take_out_catalogue(rest: str) -> str:
        changed = True
        while changed:
            changed = False
            for pattern in patterns:  # the longest first, again after each change: a date inside a sentence
                marked = pattern.sub(MARK, rest)
                if marked != rest:
                    rest, changed = marked, True
                    break
        return rest

    left = []
    for text in texts:
        rest = text
        for value in data:
            if value not in catalogue_text:  # an example address in a message is the message's, not data
                rest = rest.replace(value, MARK)
        rest = take_out_catalogue(rest)
        if LETTER.search(rest):
            left.append(f"{text!r} (left: {rest!r})")
    return left


def test_the_check_finds_a_word_from_another_language() -> None:
    assert foreign_words(["Opslaan"], "nl", []) == []
    assert foreign_words(["3 keer overgaan is ongeveer 15 seconden."], "nl", []) == []
    assert foreign_words(["maandag t/m vrijdag: 08:00-17:00"], "nl", []) == []
    assert foreign_words(["Save"], "nl", []) != []
    assert foreign_words(["buiten openingstijden \u2192 voicemail \u2192 closed:hours"], "nl", []) != []
    assert foreign_words(["Opslaan timeout"], "nl", []) != []


def _left_message(admin: httpx.Client) -> str:
    """A message left in the demo business's closed-hours box (its deliveries waiting: no worker runs here)."""
    sid = recording_sid()
    form = {"CallSid": call_sid(), "RecordingSid": sid, "RecordingUrl": recording_url(TWILIO_API, sid)}
    form["RecordingDuration"] = "12"
    answer = TwilioLikeClient(admin, public_url=PUBLIC_URL).post("/twilio/recording?business=1&box=closed", form)
    assert answer.status_code == 201, answer.text
    return sid


def _pages(admin: httpx.Client, token: str) -> Iterator[tuple[str, str]]:
    admin.post("/admin/settings/rings", data={"rings": "5", "csrf": token})  # a change for the history to show
    for path in ["/admin", "/admin/settings", "/admin/greetings", "/admin/calls", "/admin/calls?day=2026-11-24"]:
        yield path, admin.get(path).text
    yield "/admin/history", admin.get("/admin/history").text
    yield "/admin/staff", admin.get("/admin/staff").text
    yield "/admin/texts", admin.get("/admin/texts").text
    yield "/admin/answering", admin.get("/admin/answering").text
    yield "a new card address", admin.post("/admin/answering/card", data={"csrf": token}).text
    sid = _left_message(admin)
    yield "/admin/messages", admin.get("/admin/messages").text
    yield "a message", admin.get(f"/admin/messages/{sid}").text
    yield "refused menu", admin.post("/admin/texts/menu", data={"prompt_0": "Toets 1.", "csrf": token}).text
    yield "refused login", admin.post("/admin/staff", data={"email": "balie", "password": "kort", "csrf": token}).text
    refused = {"operators": "12345", "overflow_kind": "voicemail", "overflow_email": "geen-adres", "csrf": token}
    yield "refused phones", admin.post("/admin/settings/phones", data=refused).text
    yield "empty hours", admin.post("/admin/settings/hours", data={"hours": "", "csrf": token}).text
    period = {"start": "2026-12-25", "end": "2026-12-26", "text": "Gesloten.", "route": "dial", "csrf": token}
    yield "period without a number", admin.post("/admin/settings/periods", data=period).text
    yield "missing page", admin.post("/admin/greetings/999/active", data={"csrf": token}).text
    meaning = admin.get("/admin/settings/rings/meaning", params={"rings": 7}).json()
    yield "ring meaning", "<p>" + "</p><p>".join([meaning["text"], *meaning["warnings"]]) + "</p>"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_admin_page_speaks_only_its_language(admin: httpx.Client, settings: Settings, language: str) -> None:
    admin.get(f"/admin/language/{language}")
    login_page = admin.get("/admin/login").text
    token = log_in(admin)
    TwilioLikeClient(admin, public_url=PUBLIC_URL).post("/twilio/voice", {"CallSid": "CAwalk", "From": "+31612345678"})
    data = [*_data(stored_document(settings)), "geen-adres", "balie", EMAIL]  # and what the refused form had typed
    pages = [("/admin/login", login_page), *_pages(admin, token)]
    assert csrf(pages[1][1])
    for where, html in pages:
        assert f'<html lang="{language}">' in html or where == "ring meaning", where
        shown = _Shown()
        shown.feed(html)
        assert len(shown.texts) > 1, where
        assert foreign_words(shown.texts, language, data) == [], f"{where} in {language}"
