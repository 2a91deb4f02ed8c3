"""A business whose every voicemail box delivers, for the after-the-call tests."""

import secrets
from datetime import datetime

from ivr.store.database import Database
from ivr.usecases.documents import apply_text

AFTER_CALL_WITHOUT_SUMMARY = """\
business: Loodgietersbedrijf Jansen
numbers: ["+31201234567"]
language: nl
timezone: Europe/Amsterdam
operators: ["+31612345678"]
menu:
  - {key: "2", prompt: "Voor offertes, toets 2.", voicemail: {email: [offerte@jansen.example]}}
overflow: {voicemail: {email: [kantoor@jansen.example, jan@jansen.example], sms: ["+31687654321"]}}
missed_calls: {email: [kantoor@jansen.example]}
"""
AFTER_CALL_DOCUMENT = AFTER_CALL_WITHOUT_SUMMARY + 'daily_summary: {email: [jan@jansen.example], at: "17:30"}\n'
BUSINESS_NUMBER = "+31201234567"


def apply_after_call_document(database: Database, now: datetime, *, daily_summary: bool = True) -> int:
    """`daily_summary=False` for a test whose processes run on the real clock: after 17:30 in Amsterdam their worker
    would send the day's summary in among the mails the test counts."""
    text = AFTER_CALL_DOCUMENT if daily_summary else AFTER_CALL_WITHOUT_SUMMARY
    return apply_text(database, text, now).stored.id


def recording_sid() -> str:
    return "RE" + secrets.token_hex(16)


def call_sid() -> str:
    return "CA" + secrets.token_hex(16)


def recording_url(api_url: str, sid: str) -> str:
    return f"{api_url}/2010-04-01/Accounts/AC{'0' * 32}/Recordings/{sid}"
