"""The login throttle's counts (ivr.web.logins), in the database so that every replica sees every failure: an
attacker spreading guesses over the replicas behind a load balancer is slowed as if there were one."""

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ivr.store.access_tables import LoginFailureRow

# A key quiet this long starts again from nothing: it also bounds the table when an attacker cycles addresses.
FORGET_AFTER = timedelta(days=1)


def counted(session: Session, key: str) -> tuple[int, datetime] | None:
    """Consecutive failures for `key` and when the last one was, if any."""
    row = session.get(LoginFailureRow, key)
    return (row.count, row.last_at) if row else None


def failed(session: Session, key: str, now: datetime) -> None:
    """One more failure, in one statement, so two replicas counting at once both count."""
    # Imported here, as in ivr.store.figure_rollup: a server on SQLite never needs PostgreSQL's dialect.
    from sqlalchemy.dialects.postgresql import insert as postgresql_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(LoginFailureRow).values(key=key, count=1, last_at=now)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[LoginFailureRow.key],
            set_={"count": LoginFailureRow.count + 1, "last_at": statement.excluded.last_at},
        )
    )
    session.execute(delete(LoginFailureRow).where(LoginFailureRow.last_at < now - FORGET_AFTER))


def succeeded(session: Session, key: str) -> None:
    session.execute(delete(LoginFailureRow).where(LoginFailureRow.key == key))


def keys(session: Session) -> list[str]:
    return list(session.scalars(select(LoginFailureRow.key).order_by(LoginFailureRow.key)))
