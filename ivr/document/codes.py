"""What can be wrong with a business document, as codes: validation refuses with them, the checker finds them.

Each problem is raised or reported with its code and the values its words need, beside its English sentence for
the CLI and the API. A page in another language words it from its catalogue by the code (every code here has an
entry in ivr.web.admin.problem_words; tests/web/test_problem_words.py holds that), never by reading the English.
"""

from collections.abc import Sequence
from enum import StrEnum

from pydantic_core import InitErrorDetails, PydanticCustomError, ValidationError

from ivr.errors import Value


class Code(StrEnum):
    # Reading and the model's own rules (pydantic's checks mapped by ivr.document.load).
    NOT_A_MAPPING = "not_a_mapping"
    NOT_YAML = "not_yaml"
    REQUIRED = "required"
    UNKNOWN_KEY = "unknown_key"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NOT_A_CHOICE = "not_a_choice"
    WRONG_KIND = "wrong_kind"
    INVALID = "invalid"
    # Numbers, addresses, hours, holidays.
    NOT_INTERNATIONAL = "not_international"
    NOT_A_PHONE_NUMBER = "not_a_phone_number"
    INVALID_PHONE_NUMBER = "invalid_phone_number"
    NOT_AN_EMAIL = "not_an_email"
    NOT_DAYS = "not_days"
    DAYS_BACKWARDS = "days_backwards"
    BAD_TIME = "bad_time"
    NOT_A_TIME_RANGE = "not_a_time_range"
    RANGE_BACKWARDS = "range_backwards"
    DAY_TWICE = "day_twice"
    HOLIDAY_NOT_A_DATE = "holiday_not_a_date"
    UNKNOWN_HOLIDAY = "unknown_holiday"
    UNKNOWN_REGION = "unknown_region"
    # The document's parts.
    TOO_MANY_DIALLED = "too_many_dialled"
    TEXT_OR_FILE = "text_or_file"
    LISTED_TWICE = "listed_twice"
    BOX_WITHOUT_RECIPIENTS = "box_without_recipients"
    NO_ADDRESSES = "no_addresses"
    NOT_A_CLOCK_TIME = "not_a_clock_time"
    DIAL_AND_VOICEMAIL = "dial_and_voicemail"
    OPTION_WITHOUT_ROUTE = "option_without_route"
    OVERFLOW_WITHOUT_ROUTE = "overflow_without_route"
    BAD_KEY = "bad_key"
    NOTES_WITHOUT_RECIPIENTS = "notes_without_recipients"
    NOTES_WITHOUT_SERVICE = "notes_without_service"
    PERIOD_BACKWARDS = "period_backwards"
    UNKNOWN_TIMEZONE = "unknown_timezone"
    RING_COUNT = "ring_count"
    MENU_TOO_LONG = "menu_too_long"
    KEY_TWICE = "key_twice"
    TOO_MANY_AT_ONCE = "too_many_at_once"
    NUMBER_TWICE = "number_twice"
    CALLBACK_NOT_SET = "callback_not_set"
    # calendar: (issue 26).
    NOT_A_CALENDAR_ADDRESS = "not_a_calendar_address"
    AWAY_WITHOUT_SERVICE = "away_without_service"
    PART_NOT_CHANGEABLE = "part_not_changeable"
    RETENTION_DAYS = "retention_days"
    # Files a document names (ivr.usecases.uploads); an audio refusal keeps its own code (audio.errors.AudioCode).
    FILE_TOO_LARGE = "file_too_large"
    FILE_UNREADABLE = "file_unreadable"
    BUSY = "busy"
    # The checker (ivr.document.lint, path_check, whisper_check) and what a ring count means.
    WELCOME_UNNAMED = "welcome_unnamed"
    WELCOME_LONG = "welcome_long"
    INFO_LONG = "info_long"
    EMERGENCY_NOT_FIRST = "emergency_not_first"
    EMERGENCY_NOT_MARKED = "emergency_not_marked"
    UNKNOWN_PLACEHOLDER = "unknown_placeholder"
    BROKEN_PLACEHOLDER = "broken_placeholder"
    MANY_RINGS = "many_rings"
    MOBILE_VOICEMAIL = "mobile_voicemail"
    MOBILE_RINGS_TOO_LONG = "mobile_rings_too_long"
    INSTRUCTIONS_WITHOUT_SERVICE = "instructions_without_service"
    SMS_FROM_LANDLINE = "sms_from_landline"
    WEBSITE = "website"
    FILLER = "filler"
    WHISPER_LONG = "whisper_long"
    MESSAGE_NOT_RECORDED = "message_not_recorded"
    NOBODY_ANSWERS = "nobody_answers"
    NOWHERE_TO_GO = "nowhere_to_go"
    LONG_WAIT = "long_wait"
    EMERGENCY_KEY_LATE = "emergency_key_late"
    EMERGENCY_TAKES_MESSAGE = "emergency_takes_message"
    EMERGENCY_HUMAN_LATE = "emergency_human_late"
    KEY_NOT_TAKEN = "key_not_taken"
    HANGS_UP_UNANSWERED = "hangs_up_unanswered"
    MESSAGE_UNNAMED = "message_unnamed"


# The validation context's key for how many items of each list the checker set aside (ivr.document.load.salvaged):
# a list's length is checked with them counted.
SET_ASIDE = "set_aside"


def set_aside(context: object, key: str) -> int:
    counts = context.get(SET_ASIDE, {}) if isinstance(context, dict) else {}
    return int(counts.get(key, 0))


# The context key of a check across fields that names the field it concerns (ivr.document.load places it there).
FIELD = "field"


def refused(code: Code, message: str, **values: Value) -> PydanticCustomError:
    """A validation problem pydantic reports with its code as the error's type and `values` as its context.

    `message` is already worded (pydantic formats only `{name}` of a context key, and our sentences hold none).
    """
    return PydanticCustomError(code.value, message, dict(values))


# A place below the value a validator checks: ("mon-fri", 1) in hours:, (2,) in holidays:.
Place = tuple[str | int, ...]


def refused_each(found: Sequence[tuple[Place, PydanticCustomError]]) -> ValidationError:
    """Several problems at once, each at its own place: one `refused` stops at the first, and a document with
    three bad ranges would then be corrected and checked three times."""
    return ValidationError.from_exception_data(
        "BusinessDocument", [InitErrorDetails(type=error, loc=place, input=None) for place, error in found]
    )
