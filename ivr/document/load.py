"""Reading and writing business documents as YAML, with every problem reported at once."""

from typing import Any

import yaml
from pydantic import ValidationError

from ivr.document.model import BusinessDocument
from ivr.errors import DocumentError


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


def _problem(error: Any) -> str:
    kind = error["type"]
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind == "missing":
        message = "is required; add it"
    elif kind == "extra_forbidden":
        message = "is not a known key; check its spelling or remove it"
    # Skip pydantic's internal validator names in the path (they say nothing to a user).
    location = tuple(part for part in error["loc"] if not (isinstance(part, str) and "[" in part))
    return f"{_where(location)}: {message}"


def validate_document(data: object) -> BusinessDocument:
    if not isinstance(data, dict):
        raise DocumentError(["document: must be a mapping of keys (business:, numbers:, …), not a list or text"])
    try:
        return BusinessDocument.model_validate(data)
    except ValidationError as error:
        problems = list(dict.fromkeys(_problem(item) for item in error.errors()))
        raise DocumentError(problems) from None


def parse_document(text: str) -> BusinessDocument:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "document"
        reason = getattr(error, "problem", None) or str(error)
        raise DocumentError([f"{where}: not valid YAML ({reason}); check indentation and quotes"]) from None
    return validate_document(data)


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
