"""How long a business keeps what its callers left (issue 24, the AVG's storage limitation, art. 5(1)(e)).

`retention: {voicemail_days, notes_days, call_log_days, transcript_days}`; each key left out takes its default.
Talkdesk deletes recordings after six months by default; a GP practice's voicemail is needed for days, so ours is
kept 90 days, the rest 400 (a year and a month: last year's summary still has its calls).
"""

from pydantic import field_validator

from ivr.document.codes import Code, refused
from ivr.document.values import Strict

DEFAULT_VOICEMAIL_DAYS = 90
DEFAULT_OTHER_DAYS = 400
# A day at least: 0 would delete a message before anyone heard it. Ten years at most: longer is not "no longer than
# needed" for anything a phone line stores (the Dutch WGBO keeps medical files 20 years, but in the patient file).
MIN_DAYS = 1
MAX_DAYS = 3650


class Retention(Strict):
    voicemail_days: int = DEFAULT_VOICEMAIL_DAYS
    notes_days: int = DEFAULT_OTHER_DAYS
    call_log_days: int = DEFAULT_OTHER_DAYS
    transcript_days: int = DEFAULT_OTHER_DAYS

    @field_validator("voicemail_days", "notes_days", "call_log_days", "transcript_days", mode="before")
    @classmethod
    def _days(cls, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int) or not MIN_DAYS <= value <= MAX_DAYS:
            raise refused(
                Code.RETENTION_DAYS,
                f"a retention is a whole number of days from {MIN_DAYS} to {MAX_DAYS}, got {value!r}",
                value=str(value),
                least=MIN_DAYS,
                most=MAX_DAYS,
            )
        return value


DEFAULT_RETENTION = Retention()
