"""A part of the business document in words, in the page's language, for the history: "alle tegelijk", not
`simultaneous`; "maandag t/m vrijdag 08:00 tot 17:00", not `{mon-fri: '08:00-17:00'}`; "opname welkom.wav", not a
media hash. A value that is all the business's own (its name, its time zone) is marked translate="no", so a
browser's translator leaves it as it is; inside our sentences its texts, numbers and addresses stand as typed.

Every document key has its words here; an unforeseen one (a key added later) is still said key by key rather
than as raw data.
"""

from datetime import date
from typing import Any

from markupsafe import Markup, escape

from ivr.web.admin.i18n import Words
from ivr.web.admin.wording import calendar_locale, days_in_words, language_name, long_date, phones

SEPARATOR = Markup("; ")


def own(value: object) -> Markup:
    """The business's own data (a text, numbers, addresses, a name in its own language), shown as it is: marked
    so that a browser's translator leaves it alone. Our words label it ("doorverbonden met:") rather than take it
    into a sentence, so each stays whole in its own language."""
    return Markup('<span translate="no">%s</span>') % str(value)


def _quoted(text: str) -> Markup:
    return own(f"\u201c{text}\u201d")


class PartWords:
    """The document's parts in one page's words; `country` writes phone numbers as people there do."""

    def __init__(self, words: Words, language: str, country: str) -> None:
        self.words, self.language, self.country = words, language, country

    def part(self, key: str, value: Any) -> Markup:
        if value is None or value == [] or value == {}:
            return escape(self.words.gettext("not set"))
        said = getattr(self, f"_{key}", None)
        try:
            return said(value) if said is not None else self._any(value)
        except (AttributeError, TypeError, ValueError):  # a shape the words above do not expect: said key by key
            return self._any(value)

    # ---- small pieces ------------------------------------------------------------------------------------------
    def _labelled(self, label: str, value: Markup) -> Markup:
        """A value after our word for it ("doorverbonden met:"), never inside a sentence of ours."""
        return Markup("%s %s") % (label, value)

    def _yes_no(self, value: bool) -> Markup:
        return escape(self.words.gettext("yes") if value else self.words.gettext("no"))

    def _numbers(self, value: Any) -> Markup:
        listed = value if isinstance(value, list) else [value]
        return own(phones([str(number) for number in listed], self.country))

    def _addresses(self, value: list[str]) -> Markup:
        return own(", ".join(value))

    def _greeting(self, value: dict[str, Any]) -> Markup:
        said: list[Markup] = []
        if value.get("media") or value.get("file"):
            name = value.get("file") or self.words.gettext("uploaded")
            said.append(self._labelled(self.words.gettext("recording:"), own(name)))
        if value.get("text"):
            said.append(
                self._labelled(self.words.gettext("text:"), _quoted(value["text"])) if said else _quoted(value["text"])
            )
        return SEPARATOR.join(said) or self._any(value)

    def _deliveries(self, value: dict[str, Any]) -> list[Markup]:
        said: list[Markup] = []
        if value.get("email"):
            said.append(self._labelled(self.words.gettext("e-mailed to:"), self._addresses(value["email"])))
        if value.get("sms"):
            said.append(self._labelled(self.words.gettext("texted to:"), self._numbers(value["sms"])))
        if value.get("urgent_sms"):
            said.append(
                self._labelled(self.words.gettext("urgent ones texted to:"), self._numbers(value["urgent_sms"]))
            )
        return said

    def _box(self, value: dict[str, Any]) -> Markup:
        return Markup(", ").join([escape(self.words.gettext("voicemail")), *self._deliveries(value)])

    def _route(self, value: dict[str, Any]) -> list[Markup]:
        said: list[Markup] = []
        if value.get("greeting"):
            said.append(self._labelled(self.words.gettext("message:"), self._greeting(value["greeting"])))
        if value.get("holiday"):
            said.append(self._labelled(self.words.gettext("on public holidays:"), self._greeting(value["holiday"])))
        if isinstance(value.get("emergency"), dict):  # a menu option's `emergency` is a flag, said by _menu
            emergency = value["emergency"]
            key = escape(self.words.gettext("emergency key %(key)s:")) % {"key": emergency.get("key", "1")}
            prompt = _quoted(emergency.get("prompt", ""))
            to = self._labelled(self.words.gettext("put through to:"), self._numbers(emergency.get("dial", [])))
            said.append(Markup("%s %s, %s") % (key, prompt, to))
        if value.get("dial"):
            said.append(self._labelled(self.words.gettext("put through to:"), self._numbers(value["dial"])))
        if value.get("voicemail"):
            said.append(self._box(value["voicemail"]))
        if value.get("notes"):
            said.append(
                self._labelled(self.words.gettext("call notes:"), Markup(", ").join(self._deliveries(value["notes"])))
            )
        if value.get("instructions"):
            said.append(self._labelled(self.words.gettext("instructions:"), self._instructions(value["instructions"])))
        return said

    # ---- the document's keys -------------------------------------------------------------------------------------
    def _language(self, value: str) -> Markup:
        return own(language_name(value))

    def _country(self, value: str) -> Markup:
        from babel import Locale

        return own(Locale.parse(calendar_locale(self.language)).territories.get(value, value))

    def _info(self, value: dict[str, Any]) -> Markup:
        return self._greeting(value)

    def _ring(self, value: str) -> Markup:
        return escape(
            {"simultaneous": self.words.gettext("all at once"), "sequential": self.words.gettext("in turn")}.get(
                value, value
            )
        )

    def _rings(self, value: int) -> Markup:
        return escape(self.words.ngettext("%(num)d time", "%(num)d times", int(value)) % {"num": int(value)})

    def _confirm(self, value: bool) -> Markup:
        return self._yes_no(value)

    def _holidays(self, value: bool | list[str]) -> Markup:
        if isinstance(value, bool):
            return escape(self.words.gettext("closed on every public holiday") if value else self.words.gettext("open"))
        return self._labelled(self.words.gettext("closed on:"), own(", ".join(value)))

    def _hours(self, value: dict[str, str | list[str]]) -> Markup:
        said = []
        for days, times in value.items():
            listed = times if isinstance(times, list) else [times]
            shown = ", ".join(str(time).replace("-", "\u2013") for time in listed)
            said.append(Markup("%s %s") % (days_in_words(self.words, days, self.language), own(shown)))
        return SEPARATOR.join(said)

    def _operators(self, value: list[str]) -> Markup:
        return self._numbers(value)

    def _menu(self, value: list[dict[str, Any]]) -> Markup:
        said = []
        for option in value:
            head = escape(self.words.gettext("key %(key)s")) % {"key": option.get("key", "")}
            if option.get("label"):
                head += Markup(" (%s)") % own(option["label"])
            if option.get("emergency"):
                head += Markup(", ") + escape(self.words.gettext("emergency"))
            parts = [_quoted(option.get("prompt", "")), *self._route(option)]
            said.append(head + Markup(": ") + Markup(", ").join(parts))
        return SEPARATOR.join(said)

    def _overflow(self, value: dict[str, Any]) -> Markup:
        return SEPARATOR.join(self._route(value))

    def _closed(self, value: dict[str, Any]) -> Markup:
        return SEPARATOR.join(self._route(value))

    def _periods(self, value: list[dict[str, Any]]) -> Markup:
        said = []
        for period in value:
            start, end = (date.fromisoformat(str(period.get(key))) for key in ("from", "to"))
            when = f"{long_date(start, self.language)} \u2013 {long_date(end, self.language)}"
            said.append(Markup("%s: %s") % (when, SEPARATOR.join(self._route(period))))
        return SEPARATOR.join(said)

    def _instructions(self, value: dict[str, Any]) -> Markup:
        said = [_quoted(value.get("text", ""))]
        if value.get("urgent"):
            said.append(self._labelled(self.words.gettext("when urgent:"), _quoted(value["urgent"])))
        return SEPARATOR.join(said)

    def _missed_calls(self, value: dict[str, Any]) -> Markup:
        return self._labelled(self.words.gettext("e-mailed to:"), self._addresses(value.get("email", [])))

    def _daily_summary(self, value: dict[str, Any]) -> Markup:
        at = escape(self.words.gettext("e-mailed at %(at)s to:")) % {"at": value.get("at", "17:30")}
        return Markup("%s %s") % (at, self._addresses(value.get("email", [])))

    def _referral(self, value: dict[str, Any]) -> Markup:
        number = self._numbers(value.get("number", ""))
        return Markup("%s (%s)") % (number, own(value["name"])) if value.get("name") else number

    def _any(self, value: Any) -> Markup:
        """A value no method above knows: said key by key, never a media hash."""
        if isinstance(value, bool):
            return self._yes_no(value)
        if isinstance(value, dict):
            shown = [Markup("%s: %s") % (own(key), self._any(item)) for key, item in value.items() if key != "media"]
            return SEPARATOR.join(shown)
        if isinstance(value, list):
            return Markup(", ").join(self._any(item) for item in value)
        return own(value)
