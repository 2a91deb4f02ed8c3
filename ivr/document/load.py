"""Reading and writing business documents as YAML, with every problem reported at once."""

from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import ValidationError

from ivr.callflow.model import Language
from ivr.document.codes import SET_ASIDE, Code
from ivr.document.model import BusinessDocument
from ivr.document.phones import COUNTRY, country_of
from ivr.document.refusals import field_named, problems_of
from ivr.errors import DocumentError, Problem

NOT_A_MAPPING = Problem(
    Code.NOT_A_MAPPING, "document", "must be a mapping of keys (business:, numbers:, …), not a list or text"
)


def _model(data: dict[str, Any], context: dict[str, Any] | None = None) -> BusinessDocument:
    """The document model, its national numbers read in its own country."""
    return BusinessDocument.model_validate(data, context={COUNTRY: country_of(data), **(context or {})})


def validate_document(data: object) -> BusinessDocument:
    if not isinstance(data, dict):
        raise DocumentError([NOT_A_MAPPING])
    try:
        return _model(data)
    except ValidationError as error:
        raise DocumentError(problems_of(error.errors())) from None


# libyaml's parser when PyYAML was built with it: a quarter of checking a document in pure Python (bulk apply).
_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DocumentLoader(_BASE_LOADER):  # type: ignore[valid-type,misc]  # libyaml's loader or the pure one, at import
    """An impossible date (2026-13-01, 2026-02-30) stays the text it is, so the model names its field and says it is
    no date, in the reader's language; PyYAML's own constructor raised ValueError and the check ended in a traceback."""


def _date_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_DocumentLoader.add_constructor("tag:yaml.org,2002:timestamp", _date_or_text)


def read_yaml(text: str) -> object:
    try:
        return yaml.load(text, Loader=_DocumentLoader)
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


# When language: itself is refused, the rest of the findings (a caller's path, an example welcome) are worded in a
# language the business can read rather than in the default Dutch: the language a tag like "de-AT" or "EN" names,
# else the country's language (Belgium: Dutch, spoken by most Belgians), else English.
LANGUAGE_OF_COUNTRY = {"NL": "nl", "BE": "nl", "DE": "de", "FR": "fr", "GB": "en", "UK": "en", "US": "en"}


def stand_in_language(data: dict[str, Any]) -> str:
    written = str(data.get("language", "")).strip().lower().replace("_", "-").split("-")[0]
    if written in {language.value for language in Language}:
        return written
    return LANGUAGE_OF_COUNTRY.get(str(data.get("country", "")).strip().upper(), "en")


@dataclass
class Repair:
    """The document as far as it validates, and how many items of each list were set aside: a menu of six with
    one bad number still has six options (the checks of a list's length count them)."""

    data: dict[str, Any]
    set_aside: dict[str, int] = field(default_factory=dict)


def _repaired(repair: Repair, problems: list[Any]) -> Repair | None:
    repaired = dict(repair.data)
    dropped_items: dict[str, set[int]] = {}
    for problem in problems:
        location = problem["loc"]
        key = location[0] if location else field_named(problem)
        if not isinstance(key, str) or key == "business":
            return None
        value = repaired.get(key)
        if len(location) > 1 and isinstance(location[1], int) and isinstance(value, list):
            dropped_items.setdefault(key, set()).add(int(location[1]))
        else:
            repaired.pop(key, None)
            if key == "language":
                repaired[key] = stand_in_language(repair.data)
    set_aside = dict(repair.set_aside)
    for key, indexes in dropped_items.items():
        repaired[key] = [item for index, item in enumerate(repaired[key]) if index not in indexes]
        set_aside[key] = set_aside.get(key, 0) + len(indexes)
    for key, number in PLACEHOLDER_NUMBERS.items():
        if not repaired.get(key):
            repaired[key] = [number]
    return Repair(repaired, set_aside)


def salvaged(data: object) -> tuple[BusinessDocument | None, list[Problem]]:
    """The document without the parts validation refused (list items, else whole keys), for the checker to
    look at the rest in the same run, and the problems only found once those parts were gone (checks across
    fields). The document is None when what is left is not one."""
    if not isinstance(data, dict):
        return None, []
    current: Repair | None = Repair(data)
    later: list[Problem] = []
    for attempt in range(MAX_REPAIRS + 1):
        assert current is not None
        try:
            document = _model(current.data, {SET_ASIDE: current.set_aside})
            return document, later
        except ValidationError as error:
            problems = error.errors()
        if attempt > 0:
            later += problems_of(problems)
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
