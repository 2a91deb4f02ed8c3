"""The words of the document model's own checks (ivr.document.refusals: a key missing or unknown, a text too long,
a value of the wrong kind or not among the choices) and of the holiday calendar (a region, a holiday's name), in
the page's language.

Part of ivr.web.admin.problem_words, which holds every other code's words.
"""

from collections.abc import Callable, Mapping

from ivr.document.codes import Code
from ivr.errors import Value
from ivr.web.admin.i18n import Words

Say = Callable[[Words, Mapping[str, Value]], str]


def _(message: str) -> str:
    """Marks a string for `make catalogues`; it is translated when said (`_kinds`)."""
    return message


# The kinds of value a key may need (ivr.document.refusals.KINDS), as the page names them.
KIND_WORDS = {
    "text": _("text"),
    "whole_number": _("a whole number"),
    "number": _("a number"),
    "yes_no": _("true or false"),
    "date": _("a date (YYYY-MM-DD)"),
    "list": _("a list"),
    "keys": _("keys with values"),
}


def _kinds(w: Words, v: Mapping[str, Value]) -> str:
    kinds = [w.gettext(KIND_WORDS[kind]) for kind in str(v.get("kinds", "")).split() if kind in KIND_WORDS]
    return w.gettext("Write %(kinds)s here.") % {"kinds": w.gettext(" or ").join(kinds)}


def _too_long(w: Words, v: Mapping[str, Value]) -> str:
    return w.gettext("This is too long: at most %(most)s characters, now %(count)s.") % {
        "most": v.get("most", ""),
        "count": v.get("count", ""),
    }


def _not_a_choice(w: Words, v: Mapping[str, Value]) -> str:
    return w.gettext("%(value)s is not one of the choices: %(choices)s.") % {
        "value": v.get("value", ""),
        "choices": v.get("choices", ""),
    }


def _unknown_key(w: Words, v: Mapping[str, Value]) -> str:
    return w.gettext("%(key)s is not a known setting: check its spelling or remove it.") % {"key": v.get("key", "")}


def _unknown_region(w: Words, v: Mapping[str, Value]) -> str:
    regions = v.get("regions", "")
    if not regions:
        return w.gettext("%(value)s is not a region of this country: leave the region out.") % {
            "value": v.get("value", "")
        }
    return w.gettext("%(value)s is not a region of this country: choose one of %(regions)s.") % {
        "value": v.get("value", ""),
        "regions": regions,
    }


def _unknown_holiday(w: Words, v: Mapping[str, Value]) -> str:
    if v.get("regions"):
        return w.gettext("%(value)s is a public holiday only in some regions (%(regions)s): set the region first.") % {
            "value": v.get("value", ""),
            "regions": v["regions"],
        }
    return w.gettext("%(value)s is not a public holiday here: choose one from the list, or give a date.") % {
        "value": v.get("value", "")
    }


VALIDATION_WORDS: dict[Code, Say] = {
    Code.REQUIRED: lambda w, _v: w.gettext("This is required."),
    Code.UNKNOWN_KEY: _unknown_key,
    Code.EMPTY: lambda w, _v: w.gettext("This must not be empty."),
    Code.TOO_LONG: _too_long,
    Code.NOT_A_CHOICE: _not_a_choice,
    Code.WRONG_KIND: _kinds,
    Code.UNKNOWN_REGION: _unknown_region,
    Code.UNKNOWN_HOLIDAY: _unknown_holiday,
}
