"""Opening hours as people write them: {"mon-fri": "08:00-12:00, 13:00-17:00", "sat": "09:00-12:00"}."""

from datetime import time

from pydantic import ValidationError, ValidatorFunctionWrapHandler
from pydantic_core import InitErrorDetails, PydanticCustomError

from ivr.callflow.model import OpeningHours, TimeRange
from ivr.document.codes import Code, Place, refused, refused_each

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CLOSED_WORDS = ("closed", "")
# People write 23:59 (or 24:00) for "until midnight"; neither should leave the last minute closed.
UNTIL_MIDNIGHT = ("23:59", "24:00")


def parse_days(spec: str) -> list[int]:
    """'mon-fri', 'sat', 'mon,wed,fri' or 'mon-wed,fri' to weekday numbers (Monday = 0)."""
    days: list[int] = []
    for part in spec.lower().replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if first not in WEEKDAYS or (last and last not in WEEKDAYS):
            raise refused(
                Code.NOT_DAYS,
                f"{spec!r} is not a day or range of days; use e.g. mon-fri, sat, or mon,wed,fri",
                value=spec,
            )
        start, end = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
        if end < start:
            raise refused(
                Code.DAYS_BACKWARDS, f"{spec!r} runs backwards; write the earlier day first, e.g. mon-fri", value=spec
            )
        days.extend(range(start, end + 1))
    return days


def _clock(text: str, spec: str) -> time:
    hours, sep, minutes = text.strip().partition(":")
    if not sep or not (hours.isdigit() and minutes.isdigit()) or int(hours) > 23 or int(minutes) > 59:
        raise refused(
            Code.BAD_TIME,
            f"{spec!r} has a bad time {text.strip()!r}; write times as HH:MM, e.g. 08:00-17:00",
            value=spec,
            time=text.strip(),
        )
    return time(int(hours), int(minutes))


def _time_range(text: str) -> TimeRange:
    start_text, sep, end_text = text.partition("-")
    if not sep:
        raise refused(
            Code.NOT_A_TIME_RANGE,
            f"{text!r} is not a time range; write it as HH:MM-HH:MM, e.g. 08:00-17:00",
            value=text,
        )
    start = _clock(start_text, text)
    end = time.max if end_text.strip() in UNTIL_MIDNIGHT else _clock(end_text, text)
    if end <= start:
        raise refused(
            Code.RANGE_BACKWARDS,
            f"{text!r} ends before it starts; ranges past midnight are two ranges on two days",
            value=text,
        )
    return TimeRange(start, end)


def _read_ranges(spec: str | list[str]) -> tuple[tuple[TimeRange, ...], list[tuple[Place, PydanticCustomError]]]:
    """The ranges that read, and each that does not at its place (its index in a list)."""
    parts = spec if isinstance(spec, list) else spec.split(",")
    ranges: list[TimeRange] = []
    found: list[tuple[Place, PydanticCustomError]] = []
    for index, part in enumerate(parts):
        text = part.strip()
        if text.lower() in CLOSED_WORDS:
            continue
        try:
            ranges.append(_time_range(text))
        except PydanticCustomError as error:
            found.append(((index,) if isinstance(spec, list) else (), error))
    return tuple(sorted(ranges, key=lambda time_range: time_range.start)), found


def parse_ranges(spec: str | list[str]) -> tuple[TimeRange, ...]:
    """'08:00-12:00, 13:00-17:00' (or a list of such) to time ranges; 'closed' to none."""
    ranges, found = _read_ranges(spec)
    if found:
        raise found[0][1]
    return ranges


def _read_hours(raw: dict[str, str | list[str]]) -> tuple[OpeningHours, list[tuple[Place, PydanticCustomError]]]:
    by_weekday: list[tuple[TimeRange, ...] | None] = [None] * 7
    found: list[tuple[Place, PydanticCustomError]] = []
    for day_spec, range_spec in raw.items():
        ranges, bad_ranges = _read_ranges(range_spec)
        found += [((day_spec, *place), error) for place, error in bad_ranges]
        try:
            days = parse_days(day_spec)
        except PydanticCustomError as error:
            found.append(((day_spec,), error))
            continue
        for day in days:
            if by_weekday[day] is not None:
                found.append(
                    (
                        (day_spec,),
                        refused(
                            Code.DAY_TWICE,
                            f"{WEEKDAYS[day]} is given twice (in {day_spec!r}); name each day once",
                            day=WEEKDAYS[day],
                            value=day_spec,
                        ),
                    )
                )
            by_weekday[day] = ranges
    return OpeningHours(tuple(ranges or () for ranges in by_weekday)), found


def parse_hours(raw: dict[str, str | list[str]]) -> OpeningHours:
    hours, found = _read_hours(raw)
    if found:
        raise found[0][1]
    return hours


def hours_refusals(raw: dict[str, str | list[str]]) -> list[tuple[Place, PydanticCustomError]]:
    """Every problem of the opening hours (not only the first), each at its day spec and range."""
    return _read_hours(raw)[1]


def _well_typed(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(item, str) for item in value))


def checked_hours(raw: object, handler: ValidatorFunctionWrapHandler) -> dict[str, str | list[str]] | None:
    """The model's `hours:` check, reporting every problem at once: a day given a number or a mapping stops pydantic
    before the ranges are read, so the other days' ranges are read here too and named beside it."""
    try:
        hours: dict[str, str | list[str]] | None = handler(raw)
    except ValidationError as error:
        typed = {day: spec for day, spec in raw.items() if _well_typed(spec)} if isinstance(raw, dict) else {}
        details = [
            InitErrorDetails(type=found["type"], loc=found["loc"], input=found["input"], ctx=found.get("ctx", {}))
            for found in error.errors()
        ]
        ranges = [InitErrorDetails(type=error, loc=place, input=None) for place, error in hours_refusals(typed)]
        raise ValidationError.from_exception_data("BusinessDocument", [*details, *ranges]) from None
    found = hours_refusals(hours) if hours is not None else []
    if found:
        raise refused_each(found)
    return hours
