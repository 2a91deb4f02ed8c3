"""Changing some fields of a stored document and keeping the rest as written: what a form (or the API's PATCH)
does not name, it does not touch.

A field is named by its path: a part ("rings", "menu") or a key inside one ("overflow.dial",
"daily_summary.at"). Setting a path replaces the value there whole; None removes it, and a mapping left empty by
that is removed too. A field set to what the document already says, or, where the document leaves it out, to the
model's default, is left as written: saving a form unchanged changes nothing, not even how the document says it.
"""

import copy
from collections.abc import Mapping
from typing import Any, get_args

from pydantic import BaseModel

from ivr.document.model import BusinessDocument

# What `default_at` answers for a key the model requires or does not know.
NO_DEFAULT = object()
_MISSING = object()
# Keys of a voicemail box that no form shows (issue 22's urgent_sms): a form writing the box keeps them.
_KEPT_BOX_KEYS = ("urgent_sms",)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((found for arg in get_args(annotation) if (found := _model_of(arg)) is not None), None)


def default_at(keys: list[str]) -> object:
    """The model's default for the key at this path, or NO_DEFAULT when it has none (or the path is no model key)."""
    model: type[BaseModel] | None = BusinessDocument
    for depth, key in enumerate(keys):
        field = model.model_fields.get(key) if model is not None else None
        if field is None:
            return NO_DEFAULT
        if depth == len(keys) - 1:
            return NO_DEFAULT if field.is_required() else field.get_default(call_default_factory=True)
        model = _model_of(field.annotation)
    return NO_DEFAULT


def _value_at(document: dict[str, Any], keys: list[str]) -> object:
    found: object = document
    for key in keys:
        if not isinstance(found, dict) or key not in found:
            return _MISSING
        found = found[key]
    return found


def _removed(document: dict[str, Any], keys: list[str]) -> None:
    """Remove the key at the path, then each mapping on the way that this leaves empty."""
    trail = [document]
    for key in keys[:-1]:
        inner = trail[-1].get(key)
        if not isinstance(inner, dict):
            return
        trail.append(inner)
    trail[-1].pop(keys[-1], None)
    for depth in range(len(keys) - 1, 0, -1):
        if trail[depth]:
            break
        trail[depth - 1].pop(keys[depth - 1], None)


def with_fields(document: Mapping[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the document with the fields set (see the module's docstring); `document` is not changed."""
    changed = copy.deepcopy(dict(document))
    for path, value in fields.items():
        keys = path.split(".")
        if value is None:
            _removed(changed, keys)
            continue
        current = _value_at(changed, keys)
        if keys[-1] == "voicemail" and isinstance(value, dict) and isinstance(current, dict):
            value = {**{key: current[key] for key in _KEPT_BOX_KEYS if key in current}, **value}
        if current == value or (current is _MISSING and value == default_at(keys)):
            continue
        parent = changed
        for key in keys[:-1]:
            if not isinstance(parent.get(key), dict):
                parent[key] = {}
            parent = parent[key]
        parent[keys[-1]] = copy.deepcopy(value)
    return changed
