"""The error tree of the ivr package: every expected failure says what to fix."""


class GreetlineError(Exception):
    """An expected failure whose message tells the user what to do."""


class ConfigurationError(GreetlineError):
    """Settings that are unsafe or incomplete; refused at start-up."""


class DocumentError(GreetlineError):
    """A business document that cannot be applied; carries every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class NotFoundError(GreetlineError):
    """A business, number or call that does not exist."""


class ConflictError(GreetlineError):
    """A change that would clash with what is stored (e.g. a number owned by another business)."""


class InputError(GreetlineError):
    """A value given on the command line or in a request that cannot be used as it is."""


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
