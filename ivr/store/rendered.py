"""Which of a business's texts have rendered speech, and the recording to play for each."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.orm import Session

from ivr.store.revisions import mark_changed
from ivr.store.tables import BusinessRow, RenderedPromptRow


@dataclass(frozen=True)
class RenderedPrompt:
    text: str
    media_id: str
    engine: str
    duration_s: float


_RENDERED_FOR = select(
    RenderedPromptRow.text, RenderedPromptRow.media_id, RenderedPromptRow.engine, RenderedPromptRow.duration_s
).where(RenderedPromptRow.business_id == bindparam("business_id"), RenderedPromptRow.language == bindparam("language"))


def rendered_for(connection: Connection | Session, business_id: int, language: str) -> dict[str, RenderedPrompt]:
    rows = connection.execute(_RENDERED_FOR, {"business_id": business_id, "language": language})
    return {row.text: RenderedPrompt(row.text, row.media_id, row.engine, row.duration_s) for row in rows}


def save_rendered(session: Session, *, business_id: int, language: str, prompt: RenderedPrompt, now: datetime) -> None:
    row = session.execute(
        select(RenderedPromptRow).where(
            RenderedPromptRow.business_id == business_id,
            RenderedPromptRow.language == language,
            RenderedPromptRow.text == prompt.text,
        )
    ).scalar_one_or_none()
    if row is None:
        row = RenderedPromptRow(business_id=business_id, language=language, text=prompt.text)
        session.add(row)
    row.media_id, row.engine, row.duration_s, row.created_at = (
        prompt.media_id,
        prompt.engine,
        prompt.duration_s,
        now,
    )


def bump_revision(session: Session, business_id: int, now: datetime) -> None:
    """What callers hear changed without the document changing: make every server reload the business."""
    session.execute(
        update(BusinessRow)
        .where(BusinessRow.id == business_id)
        .values(revision=BusinessRow.revision + 1, updated_at=now)
    )
    mark_changed(session)
