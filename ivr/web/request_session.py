"""One SQLAlchemy session per admin or API request: opened by a dependency, committed when the route returns, rolled
back when it raises, handed to the use cases' `*_in(session, ...)` forms. A route that reads the document, changes
parts and reads the library again does it in one transaction instead of three.

What must wait for the commit (rewriting the routing snapshot; waking the job worker, for a route that stores
jobs) is registered with `after_commit` and runs once the commit succeeded, before the response is sent; a rollback
drops it.

SQLite's write lock is taken at the first write, not at BEGIN: a request that only reads blocks no call's log write.
A form saved and shown again holds it while the page is made (20-100 ms for the settings page, with its preview of a
call), well inside the call log writer's busy timeout. Slow work (normalising an upload, speaking texts) holds no
transaction: `commit()` first (RequestSession.commit), or a transaction of its own.

The voice webhooks take no session (ivr.web.twilio_hooks: plain read connections, see there why).
"""

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from ivr.routing.watch import remember_routing
from ivr.store.businesses import StoredBusiness
from ivr.store.database import Database
from ivr.web.services import ServicesDep


class RequestSession:
    """The request's session and what waits for its commit."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._after_commit: list[Callable[[], None]] = []

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run `action` once the request's changes are committed; never when they are rolled back."""
        self._after_commit.append(action)

    def commit(self) -> None:
        """Commit now, before slow work (speaking texts, normalising a recording) that must hold no transaction, then
        run what waited for the commit. The session goes on in a new transaction when it is used again."""
        self.session.commit()
        self._committed()

    def refused(self) -> None:
        """A change refused and answered as a page (its problems beside the fields), not raised: undo what it wrote so
        far, and forget what was to follow its commit. The session goes on reading, in a new transaction."""
        self.session.rollback()
        self._after_commit.clear()

    def _committed(self) -> None:
        actions, self._after_commit = self._after_commit, []
        for action in actions:
            action()


def remember_after_commit(work: RequestSession, database: Database, stored: StoredBusiness) -> None:
    """A saved change: every process's fallback rings its new staff once it is committed (ivr.routing.watch)."""
    work.after_commit(lambda: remember_routing(database, stored))


def _request_session(services: ServicesDep) -> Iterator[RequestSession]:
    with services.database.session() as session:
        work = RequestSession(session)
        try:
            yield work
        except BaseException:
            session.rollback()
            raise
        session.commit()
    work._committed()


# scope="function": the commit (and what follows it) happens when the route returns, before the response is sent;
# FastAPI's default for a yield dependency ends it after sending, when a client could already act on the answer.
RequestSessionDep = Annotated[RequestSession, Depends(_request_session, scope="function")]
