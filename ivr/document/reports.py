"""What the business is sent about its calls besides the messages: the missed-call notes, the daily summary and the
monthly report (each to its own e-mail addresses)."""

import re

from pydantic import field_validator

from ivr.document.codes import Code, refused
from ivr.document.values import LOCAL_TIME_PATTERN, EmailAddresses, Strict, listed_once


def _some_addresses(values: list[str]) -> list[str]:
    if not values:
        raise refused(Code.NO_ADDRESSES, "give at least one address, or leave this part out")
    return listed_once(values, "address")


class MissedCalls(Strict):
    """A short note per call that reached nobody and left no message."""

    email: EmailAddresses

    @field_validator("email")
    @classmethod
    def _emails_once(cls, value: list[str]) -> list[str]:
        return _some_addresses(value)


class MonthlyReport(Strict):
    """The line's figures (the statistics page's four charts) by e-mail once a month, on the 1st."""

    email: EmailAddresses

    @field_validator("email")
    @classmethod
    def _emails_once(cls, value: list[str]) -> list[str]:
        return _some_addresses(value)


class DailySummary(Strict):
    """Every call of the day in one e-mail, sent at `at` local time (also on a day without calls)."""

    email: EmailAddresses
    at: str = "17:30"

    @field_validator("email")
    @classmethod
    def _emails_once(cls, value: list[str]) -> list[str]:
        return _some_addresses(value)

    @field_validator("at", mode="before")
    @classmethod
    def _clock_time(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
            # YAML 1.1 reads an unquoted 17:30 as the base-60 number 1050.
            value = f"{value // 60:02d}:{value % 60:02d}"
        text = str(value).strip()
        if not re.match(LOCAL_TIME_PATTERN, text.zfill(5)):
            raise refused(
                Code.NOT_A_CLOCK_TIME,
                f'at: must be a local time as HH:MM (24-hour clock), e.g. "17:30", got {text!r}',
                value=text,
            )
        return text.zfill(5)
