"""Undoing one change of a business document while keeping every later one: a three-way merge of plain document
data (the version before the change, the version after it, the document as it is now).

What the change touched goes back to what it was before it; everything else stays as it is now. Within a mapping
only the keys the change touched are put back. Within a list (periods, operators, numbers) the change's
additions are taken out and its removals put back, so a period added later stays when an earlier one is undone;
a list item edited by the change counts as one removed and one added. A value the change touched and a later change
touched again goes back to what it was before the undone change: undoing is the manager's explicit choice, and the
confirmation page shows that value's change before anything is saved.
"""

from typing import Any

# Stands for a key a mapping does not have (None is a value a document may hold).
_ABSENT = object()


def undone(before: dict[str, Any], after: dict[str, Any], now: dict[str, Any]) -> dict[str, Any]:
    """`now` with the change from `before` to `after` taken back."""
    result: dict[str, Any] = _mapping_undone(before, after, now)
    return result


def _mapping_undone(before: dict[str, Any], after: dict[str, Any], now: dict[str, Any]) -> dict[str, Any]:
    result = dict(now)
    for key in dict.fromkeys([*before, *after]):
        was, became = before.get(key, _ABSENT), after.get(key, _ABSENT)
        if was == became:
            continue
        back = _value_undone(was, became, now.get(key, _ABSENT))
        if back is _ABSENT:
            result.pop(key, None)
        else:
            result[key] = back
    # Keys keep the order they had before the change (a key put back lands where it was, not at the end).
    order = [key for key in before if key in result] + [key for key in result if key not in before]
    return {key: result[key] for key in order}


def _value_undone(was: Any, became: Any, now: Any) -> Any:
    if isinstance(was, dict) and isinstance(became, dict) and isinstance(now, dict):
        return _mapping_undone(was, became, now)
    if isinstance(was, list) and isinstance(became, list) and isinstance(now, list):
        return _list_undone(was, became, now)
    return was


def _list_undone(was: list[Any], became: list[Any], now: list[Any]) -> list[Any]:
    if now == became:  # nothing changed it since: exactly as it was, in its order
        return list(was)
    added = [item for item in became if item not in was]
    removed = [item for item in was if item not in became]
    result = [item for item in now if item not in added]
    for item in removed:  # back where it was, as near as the later changes allow
        if item not in result:
            result.insert(min(was.index(item), len(result)), item)
    return result
