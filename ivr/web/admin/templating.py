"""The Jinja2 environment of the admin pages and the answering service's card: their templates, the gettext calls
they translate with, and the filters that put times, numbers and routes into the page's language.

It is made when the first page is rendered: a server that answers calls and has shown no page never holds Jinja2
(about 2 MB of its idle memory, issue 12).
"""

from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ivr.document.phones import for_people
from ivr.store.calls import LoggedCall
from ivr.web.admin import reason_words, wording
from ivr.web.admin.i18n import Words

if TYPE_CHECKING:
    from fastapi.templating import Jinja2Templates
    from jinja2.runtime import Context

TEMPLATES_DIR = Path(__file__).with_name("templates")


def _gettext(context: "Context", message: str) -> str:
    words: Words = context["words"]
    return words.gettext(message)


def _ngettext(context: "Context", singular: str, plural: str, count: int) -> str:
    words: Words = context["words"]
    return words.ngettext(singular, plural, count)


def _local_time(context: "Context", moment: datetime) -> str:
    return wording.local_time(moment, context["timezone"], context["lang"])


def _phone(context: "Context", number: str) -> str:
    return for_people(number, context["country"])


def _phones(context: "Context", numbers: list[str]) -> str:
    return wording.phones(numbers, context["country"])


def _days(context: "Context", spec: str) -> str:
    return wording.days_in_words(context["words"], spec, context["lang"])


def _seconds(context: "Context", value_s: float) -> str:
    return wording.seconds(context["words"], value_s, context["lang"])


def _route(context: "Context", call: LoggedCall) -> str:
    """A logged call's route with the ring count it rang with; today's only for a call logged before that was kept."""
    rings = call.rings or (context.get("document") or {}).get("rings", 4)
    return wording.route(context["words"], call.path, rings)


def _outcome(context: "Context", value: str | None) -> str:
    return wording.outcome(context["words"], value)


def _end_reason(context: "Context", value: str | None) -> str:
    return reason_words.end_reason(context["words"], value)


def _call_end(context: "Context", call: LoggedCall) -> str:
    return reason_words.hung_up_at(context["words"], call.end_reason, call.duration_s)


def _date(context: "Context", value: str) -> str:
    return wording.long_date(date.fromisoformat(value), context["lang"])


# Each is given the template's context (the page's words, language, business country and timezone).
FILTERS: dict[str, Callable[..., str]] = {
    "local_time": _local_time,
    "phone": _phone,
    "phones": _phones,
    "days": _days,
    "seconds": _seconds,
    "route": _route,
    "outcome": _outcome,
    "end_reason": _end_reason,
    "call_end": _call_end,
    "long_date": _date,
}


@cache
def templates() -> "Jinja2Templates":
    from fastapi.templating import Jinja2Templates
    from jinja2 import pass_context

    made = Jinja2Templates(directory=TEMPLATES_DIR)
    made.env.add_extension("jinja2.ext.i18n")
    made.env.install_gettext_callables(  # type: ignore[attr-defined]
        pass_context(_gettext), pass_context(_ngettext), newstyle=True
    )
    made.env.filters.update({name: pass_context(apply) for name, apply in FILTERS.items()})
    return made
