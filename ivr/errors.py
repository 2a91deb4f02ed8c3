"""The error tree of the ivr package: every expected failure says what to fix.

A problem is data: a code, where it is, and the values its words need. `message` is its English sentence for the
CLI, the API and the logs; a page in another language words it from its own catalogue by `code` and `values`
(ivr.web.admin.problem_words), never by reading the English.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# What a problem's words may need: names, numbers, counts, seconds.
Value = str | int | float


@dataclass(frozen=True)
class Problem:
    code: str
    where: str
    message: str
    values: Mapping[str, Value] = field(default_factory=dict, hash=False)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class GreetlineError(Exception):
    """An expected failure whose message tells the user what to do."""


class ConfigurationError(GreetlineError):
    """Settings that are unsafe or incomplete; refused at start-up."""


class DocumentError(GreetlineError):
    """A business document that cannot be applied; carries every problem found."""

    def __init__(self, found: Iterable[Problem]) -> None:
        self.found = list(found)
        super().__init__("; ".join(self.problems))

    @property
    def problems(self) -> list[str]:
        """Each problem as its English line ("operators[0]: '0501' is not an international number: ...")."""
        return [f"{problem.where}: {problem.message}" for problem in self.found]


class NotFoundError(GreetlineError):
    """A business, number or call that does not exist."""


class ConflictError(GreetlineError):
    """A change that would clash with what is stored (e.g. a number owned by another business)."""


class StaleRevisionError(GreetlineError):
    """A change made to a revision of the document that is no longer the stored one: applying it would undo
    whatever changed since (a lost update). Nothing is changed."""

    def __init__(self, expected: int, stored: int) -> None:
        self.expected, self.stored = expected, stored
        super().__init__(
            f"the document is at revision {stored}, not {expected}: it changed since you read it; "
            "read it again (GET), redo your change on it and send it with the new revision"
        )


class InputError(GreetlineError):
    """A value given on the command line or in a request that cannot be used as it is; `found` names each problem
    when there are several (a form's fields), else the message is the one problem."""

    def __init__(self, message: str, found: Iterable[Problem] = ()) -> None:
        self.found = list(found)
        super().__init__(message)


class BusyError(GreetlineError):
    """Enough of this work is running already; the same request will succeed a little later."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        self.retry_after_s = retry_after_s
        super().__init__(message)


class UnavailableError(GreetlineError):
    """Something we depend on (a speech engine, ffmpeg, a store) cannot do its part now; the same request may
    succeed later."""


class NotAuthenticatedError(GreetlineError):
    """A request without a key (or a login) that is known and still valid."""
