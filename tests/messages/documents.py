"""A business whose every voicemail box delivers, for the after-the-call tests."""

import secrets
from datetime import datetime

from ivr.store.database import Database
from ivr.usecases.documents import apply_text

AFTER_CALL_DOCUMENT = """\
business: Loodgietersbedrijf Jansen
numbers: ["+31201234567"]
language: nl
timezone: Europe/Amsterdam
operators: ["+31612345678"]
menu:
  - {key: "2", prompt: "Voor offertes, toets 2.", voicemail: {email: [offerte@jansen.example]}}
overflow: {voicemail: {email: [kantoor@jansen.example, jan@jansen.example], sms: ["+31687654321"]}}
missed_calls: {email: [kantoor@jansen.example]}
daily_summary: {email: [jan@jansen.example], at: "17:30"}
"""
BUSINESS_NUMBER = "+31201234567"


def apply_after_call_document(database: Database, now: datetime) -> int:
    return apply_text(database, AFTER_CALL_DOCUMENT, now).stored.id


def recording_sid() -> str:
    return "RE" + secrets.token_hex(16)


def call_sid() -> str:
    return "CA" + secrets.token_hex(16)


def recording_url(api_url: str, sid: str) -> str:
    return f"{api_url}/2010-04-01/Accounts/AC{'0' * 32}/Recordings/{sid}"
