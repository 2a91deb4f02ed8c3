"""Reading and writing business documents as YAML, with every problem reported at once."""

from typing import Any

import yaml
from pydantic import ValidationError

from ivr.document.codes import FIELD, Code
from ivr.document.model import BusinessDocument
from ivr.document.phones import COUNTRY, country_of
from ivr.errors import DocumentError, Problem, Value

# pydantic's own checks as our codes; one not named here is Code.INVALID with pydantic's words for the CLI.
PYDANTIC_CODES = {
    "missing": Code.REQUIRED,
    "extra_forbidden": Code.UNKNOWN_KEY,
    "string_too_short": Code.EMPTY,
    "too_short": Code.EMPTY,
    "string_too_long": Code.TOO_LONG,
    "too_long": Code.TOO_LONG,
    "literal_error": Code.NOT_A_CHOICE,
}
OUR_CODES = frozenset(Code)


def _where(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in ("function-after[_one_or_many(), list[...]]",):
            continue
        else:
            path += f".{part}" if path else str(part)
    return path or "document"


def _values(error: Any) -> dict[str, Value]:
    context = error.get("ctx") or {}
    return {key: value for key, value in context.items() if key != FIELD and isinstance(value, str | int | float)}


def _field(error: Any) -> str | None:
    """The field a check across fields is about (its context names it), else None."""
    named = (error.get("ctx") or {}).get(FIELD)
    return named if isinstance(named, str) and named in BusinessDocument.model_fields else None


def problem_of(error: Any) -> Problem:
    """One of pydantic's errors as our problem: our code (or pydantic's check mapped to one), where, the values."""
    kind = error["type"]
    message = str(error["msg"]).removeprefix("Value error, ")
    code = Code(kind) if kind in OUR_CODES else PYDANTIC_CODES.get(kind, Code.INVALID)
    if kind == "missing":
        message = "is required; add it"
    elif kind == "extra_forbidden":
        message = "is not a known key; check its spelling or remove it"
    values = _values(error)
    if code in (Code.EMPTY, Code.TOO_LONG):  # pydantic's context names the length it holds to
        values = {"length": values.get("min_length", values.get("max_length", 0))}
    # Skip pydantic's internal validator names in the path (they say nothing to a user).
    location = tuple(part for part in error["loc"] if not (isinstance(part, str) and "[" in part))
    # A check across fields names the field it is about in its context; report it there.
    where = (_field(error) if not location else None) or _where(location)
    return Problem(code.value, where, message, values)


NOT_A_MAPPING = Problem(
    Code.NOT_A_MAPPING, "document", "must be a mapping of keys (business:, numbers:, …), not a list or text"
)


def _model(data: dict[str, Any]) -> BusinessDocument:
    """The document model, its national numbers read in its own country."""
    return BusinessDocument.model_validate(data, context={COUNTRY: country_of(data)})


def validate_document(data: object) -> BusinessDocument:
    if not isinstance(data, dict):
        raise DocumentError([NOT_A_MAPPING])
    try:
        return _model(data)
    except ValidationError as error:
        problems = list(dict.fromkeys(problem_of(item) for item in error.errors()))
        raise DocumentError(problems) from None


# libyaml's parser when PyYAML was built with it: a quarter of checking a document in pure Python (bulk apply).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str) -> object:
    try:
        return yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "document"
        reason = getattr(error, "problem", None) or str(error)
        message = f"not valid YAML ({reason}); check indentation and quotes"
        raise DocumentError([Problem(Code.NOT_YAML, where, message, {"reason": str(reason)})]) from None


def parse_document(text: str) -> BusinessDocument:
    return validate_document(read_yaml(text))


# Stand-ins for required numbers that did not validate, so the rest of the document can still be checked.
# Findings that mention them are about the stand-ins, not the document, and are left out.
PLACEHOLDER_NUMBERS = {"numbers": "+31200000001", "operators": "+31200000002"}


# Repairs tried before giving up: checks across fields run only once the fields themselves are valid.
MAX_REPAIRS = 4


def _repaired(data: dict[str, Any], problems: list[Any]) -> dict[str, Any] | None:
    repaired = dict(data)
    dropped_items: dict[str, set[int]] = {}
    for problem in problems:
        location = problem["loc"]
        key = location[0] if location else _field(problem)
        if not isinstance(key, str) or key == "business":
            return None
        value = repaired.get(key)
        in_list = len(location) > 1 and isinstance(location[1], int) and isinstance(value, list)
        if in_list and key not in PLACEHOLDER_NUMBERS:
            dropped_items.setdefault(key, set()).add(int(location[1]))
        else:
            repaired.pop(key, None)
    for key, indexes in dropped_items.items():
        repaired[key] = [item for index, item in enumerate(repaired[key]) if index not in indexes]
    for key, number in PLACEHOLDER_NUMBERS.items():
        repaired.setdefault(key, [number])
    return repaired


def salvaged(data: object) -> tuple[BusinessDocument | None, list[Problem]]:
    """The document without the parts validation refused (list items, else whole keys), for the checker to
    look at the rest in the same run, and the problems only found once those parts were gone (checks across
    fields). The document is None when what is left is not one."""
    if not isinstance(data, dict):
        return None, []
    current: dict[str, Any] | None = data
    later: list[Problem] = []
    for repair in range(MAX_REPAIRS + 1):
        assert current is not None
        try:
            return _model(current), later
        except ValidationError as error:
            problems = error.errors()
        if repair > 0:
            later += [problem_of(problem) for problem in problems]
        current = _repaired(current, problems)
        if current is None:
            break
    return None, later


# Nested entries read best with what identifies them first: the key, the dates, then the greeting.
LEADING_KEYS = ("key", "prompt", "emergency", "from", "to", "greeting")


def _readable_order(value: Any) -> Any:
    if isinstance(value, list):
        return [_readable_order(item) for item in value]
    if isinstance(value, dict):
        first = [key for key in LEADING_KEYS if key in value]
        rest = [key for key in value if key not in LEADING_KEYS]
        return {key: _readable_order(value[key]) for key in first + rest}
    return value


def document_data(document: BusinessDocument) -> dict[str, Any]:
    """The document as plain data with the user's key names, leaving out what was never set."""
    data = document.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_unset=True)
    ordered: dict[str, Any] = _readable_order(data)
    return ordered


def dump_document(document: BusinessDocument) -> str:
    return yaml.safe_dump(document_data(document), sort_keys=False, allow_unicode=True)
