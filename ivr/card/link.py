"""The card's URL, for the CLI and the admin page alike: made the first time, shown only then (the token is kept
as a hash), made anew on rotation (the old URL stops working at once)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ivr.store import cards
from ivr.store.database import Database


@dataclass(frozen=True)
class CardLink:
    made_at: datetime
    # The URL, when this call made it (first time or rotated); None when it exists and cannot be shown again.
    url: str | None


def card_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/card/{token}"


def card_link(database: Database, business_id: int, public_url: str, now: datetime, *, rotate: bool) -> CardLink:
    with database.transaction() as session:
        return card_link_in(session, business_id, public_url, now, rotate=rotate)


def card_link_in(session: Session, business_id: int, public_url: str, now: datetime, *, rotate: bool) -> CardLink:
    """Within the caller's transaction (the CLI finds the business in the same one)."""
    made_at = cards.made_at(session, business_id)
    if made_at is not None and not rotate:
        return CardLink(made_at, None)
    return CardLink(now, card_url(public_url, cards.rotate(session, business_id, now)))


def existing_card(database: Database, business_id: int) -> datetime | None:
    with database.transaction() as session:
        return cards.made_at(session, business_id)
