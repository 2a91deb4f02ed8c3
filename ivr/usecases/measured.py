"""What callers hear, as recordings: how long each takes (measured from the audio, for the checker instead of
estimating) and what each says (for the simulator's transcript).

Uploaded recordings by their stored id, rendered speech by the exact text it speaks.
"""

from sqlalchemy.orm import Session

from audio.media import MediaStore
from ivr.document.load import validate_document
from ivr.document.model import BusinessDocument, Greeting
from ivr.store import businesses, library, rendered
from ivr.store.database import Database


def _greetings(document: BusinessDocument) -> list[Greeting]:
    found = [document.greeting, document.info]
    found += [document.closed.greeting, document.closed.holiday] if document.closed else []
    found += [period.greeting for period in document.periods]
    return [greeting for greeting in found if greeting is not None]


def upload_durations(document: BusinessDocument, media: MediaStore) -> dict[str, float]:
    return {
        greeting.media: media.duration_s(greeting.media)
        for greeting in _greetings(document)
        if greeting.media is not None and media.exists(greeting.media)
    }


def stored_durations_in(session: Session, business_id: int, language: str) -> dict[str, float]:
    """What the business's calls play: its rendered texts and its uploaded recordings, as stored."""
    durations = {
        text: prompt.duration_s for text, prompt in rendered.rendered_for(session, business_id, language).items()
    }
    durations.update({found.media_id: found.duration_s for found in library.greetings(session, business_id)})
    return durations


def recording_words(database: Database, number: str) -> dict[str, str]:
    with database.transaction() as session:
        return recording_words_in(session, number)


def recording_words_in(session: Session, number: str) -> dict[str, str]:
    """By recording id: the text rendered speech says, or an uploaded file's name and length."""
    stored = businesses.find_by_number(session, number)
    if stored is None:
        return {}
    document = validate_document(stored.document)
    words = {
        prompt.media_id: prompt.text for prompt in rendered.rendered_for(session, stored.id, document.language).values()
    }
    uploads = library.greetings(session, stored.id)
    words.update({found.media_id: f"{found.file_name} ({found.duration_s:.1f} s)" for found in uploads})
    for greeting in _greetings(document):
        if greeting.media is not None and greeting.media not in words:
            words[greeting.media] = greeting.file or greeting.text or "an uploaded recording"
    return words
