"""pydantic's validation errors as our problems: a code, the place in the document, the values its words need, and
our own English sentence (pydantic's "String should have at most 30 characters" names no fix and no page can
translate it).

Our own checks come back with their code as the error's type (ivr.document.codes.refused); pydantic's checks are
mapped here, every kind our model can give: a missing or unknown key, a text too short or too long, a value not
among the choices, a value of the wrong kind (text, a whole number, true/false, a date, a list, keys).
"""

from collections.abc import Mapping
from typing import Any

from ivr.document.codes import FIELD, Code
from ivr.document.model import BusinessDocument
from ivr.errors import Problem, Value

# What a value of the wrong kind should have been, by pydantic's error type: the words' keys
# (ivr.web.admin.problem_words) and the English for the CLI and the API.
KINDS = {
    "string_type": "text",
    "int_type": "whole_number",
    "int_parsing": "whole_number",
    "int_from_float": "whole_number",
    "float_type": "number",
    "float_parsing": "number",
    "bool_type": "yes_no",
    "bool_parsing": "yes_no",
    "date_type": "date",
    "date_parsing": "date",
    "date_from_datetime_parsing": "date",
    "date_from_datetime_inexact": "date",
    "list_type": "list",
    "dict_type": "keys",
    "model_type": "keys",
    "model_attributes_type": "keys",
}
KIND_ENGLISH = {
    "text": "text",
    "whole_number": "a whole number",
    "number": "a number",
    "yes_no": "true or false",
    "date": "a date written YYYY-MM-DD",
    "list": "a list",
    "keys": "keys with values (key: value)",
}
OUR_CODES = frozenset(Code)


def _where(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "document"


def _is_union_member(part: int | str) -> bool:
    """pydantic names the member of a union in the error's place ("holidays.bool", "list[...]"): a type, not a
    key of the document."""
    return isinstance(part, str) and ("[" in part or part in ("str", "int", "float", "bool"))


def field_named(error: Mapping[str, Any]) -> str | None:
    """The field a check across fields is about (its context names it), else None."""
    named = (error.get("ctx") or {}).get(FIELD)
    return named if isinstance(named, str) and named in BusinessDocument.model_fields else None


def _shown(value: object) -> str:
    if isinstance(value, str | int | float):
        return repr(value)
    if value is None:
        return "nothing"
    return KIND_ENGLISH["list" if isinstance(value, list) else "keys"]


def _pydantic_problem(kind: str, error: Mapping[str, Any]) -> tuple[Code, str, dict[str, Value]]:
    context: Mapping[str, Any] = error.get("ctx") or {}
    given = error.get("input")
    if kind == "missing":
        return Code.REQUIRED, "is required; add it", {}
    if kind == "extra_forbidden":
        key = str(error["loc"][-1]) if error["loc"] else ""
        return Code.UNKNOWN_KEY, "is not a known key; check its spelling or remove it", {"key": key}
    if kind in ("string_too_short", "too_short"):
        return Code.EMPTY, "must not be empty; fill it in or leave the key out", {}
    if kind in ("string_too_long", "too_long"):
        most = int(context.get("max_length", 0))
        count = len(given) if isinstance(given, str | list) else int(context.get("actual_length", 0))
        unit = "characters" if kind == "string_too_long" else "items"
        return Code.TOO_LONG, f"has {count} {unit}; shorten it to at most {most}", {"most": most, "count": count}
    if kind == "literal_error":
        choices = str(context.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return (
            Code.NOT_A_CHOICE,
            f"{_shown(given)} is not one of the choices; write one of {choices}",
            {"value": str(given), "choices": choices},
        )
    if kind in KINDS:
        return Code.WRONG_KIND, _kinds_sentence([KINDS[kind]], given), {"kinds": KINDS[kind]}
    if kind == "value_error":  # a ValueError in a validator: its message is ours
        return Code.INVALID, str(error["msg"]).removeprefix("Value error, "), {}
    return Code.INVALID, f"{_shown(given)} cannot be used here; check it", {}


def _values(error: Mapping[str, Any]) -> dict[str, Value]:
    context = error.get("ctx") or {}
    return {key: value for key, value in context.items() if key != FIELD and isinstance(value, str | int | float)}


def problem_of(error: Mapping[str, Any]) -> Problem:
    """One of pydantic's errors (ValidationError.errors()) as our problem."""
    kind = str(error["type"])
    if kind in OUR_CODES:
        code, message, values = Code(kind), str(error["msg"]), _values(error)
    else:
        code, message, values = _pydantic_problem(kind, error)
    location = tuple(part for part in error["loc"] if not _is_union_member(part))
    # A check across fields names the field it is about in its context; report it there.
    where = (field_named(error) if not location else None) or _where(location)
    return Problem(code.value, where, message, values)


def _kinds_sentence(kinds: list[str], given: object) -> str:
    return f"must be {' or '.join(KIND_ENGLISH[kind] for kind in kinds)}, not {_shown(given)}"


def problems_of(errors: list[Any]) -> list[Problem]:
    """Each problem once; a value that fits no member of a union (holidays: true, false or a list) is one problem
    naming every kind it may be."""
    found: dict[tuple[object, ...], Problem] = {}
    for error in errors:
        problem = problem_of(error)
        if problem.code != Code.WRONG_KIND:
            found.setdefault((problem.where, problem.code, *sorted(problem.values.items())), problem)
            continue
        earlier = found.get((problem.where, Code.WRONG_KIND))
        kinds = list(
            dict.fromkeys(
                [*str(earlier.values["kinds"] if earlier else "").split(), *str(problem.values["kinds"]).split()]
            )
        )
        found[(problem.where, Code.WRONG_KIND)] = Problem(
            problem.code, problem.where, _kinds_sentence(kinds, error.get("input")), {"kinds": " ".join(kinds)}
        )
    return list(found.values())
