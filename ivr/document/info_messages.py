"""Ready-made information messages filled from a business's own document: its name, the days of its next period,
the stand-in's number and its referral: number, numbers read out digit by digit. One function for the CLI,
the API and the admin page."""

from datetime import date
from typing import Any

import phonenumbers

from ivr.document.lint import Finding, Level, lint
from ivr.document.load import validate_document
from ivr.errors import InputError
from prompts import prompt_book
from prompts.info_templates import fill_template

# How a date is said in each language ("1 januari 2027"); British English for "en".
_DATE_LOCALE = {"nl": "nl_NL", "en": "en_GB", "de": "de_DE", "fr": "fr_FR"}


def spoken_digits(number: str) -> str:
    """'+31209999999' as a caller dials it at home, digit by digit in its groups: '0 2 0, 9 9 9, 9 9 9 9'."""
    parsed = phonenumbers.parse(number, None)
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    groups = [group for group in national.replace("-", " ").replace("(", "").replace(")", "").split() if group]
    return ", ".join(" ".join(group) for group in groups)


def _next_period(document: dict[str, Any], today: date) -> dict[str, Any] | None:
    coming = [period for period in document.get("periods", []) if period["to"] >= today.isoformat()]
    return min(coming, key=lambda period: period["from"]) if coming else None


def _values(document: dict[str, Any], today: date) -> dict[str, str]:
    # Here, not at the top: the API imports this module, and a server that fills no message never holds Babel.
    from babel.dates import format_date

    language = document.get("language", "nl")
    period = _next_period(document, today)
    values = {"business": document["business"]}
    if period is not None:
        for name, day in (("from", period["from"]), ("until", period["to"])):
            values[name] = format_date(date.fromisoformat(day), "long", locale=_DATE_LOCALE[language])
        if period.get("dial"):
            values["stand_in"] = spoken_digits(period["dial"][0])
    referral = document.get("referral")
    if referral:
        values["referral"] = _referral(referral, language)
    return values


def _referral(referral: dict[str, Any], language: str) -> str:
    """Only what the document says: its number, named as the document names it (never the answering service's
    number, which callers cannot dial themselves, nor a kind of service it does not name)."""
    book = prompt_book(language)
    number = spoken_digits(referral["number"])
    if referral.get("name"):
        return book.texts["referral_named"].format(name=referral["name"], number=number)
    return book.texts["referral_number"].format(number=number)


def ready_made(document: dict[str, Any], name: str, today: date) -> tuple[str, list[Finding]]:
    """The template filled for this business, and what the greeting checker says about it as its information
    message; InputError names what the business still lacks (a period with a stand-in, a referral: number)."""
    try:
        text = fill_template(name, document.get("language", "nl"), _values(document, today))
    except ValueError as error:
        hint = {
            "from": "add a period (its first and last day are the dates said)",
            "until": "add a period (its first and last day are the dates said)",
            "stand_in": "add a period with a number to put calls through to",
            "referral": 'add referral: {number: "+31...", name: "..."} (the number callers call out of hours)',
        }
        missing = str(error).rpartition(" needs ")[2]
        raise InputError(f"{error}: {hint[missing]}" if missing in hint else str(error)) from None
    findings = lint(validate_document({**document, "info": {"text": text}}))
    # Its own findings, and any error it causes elsewhere (a caller waiting too long before a phone rings).
    return text, [finding for finding in findings if finding.where == "info" or finding.level is Level.ERROR]
