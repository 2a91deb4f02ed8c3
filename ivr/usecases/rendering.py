"""Turning a business's texts into normalised recordings the call flow plays instead of <Say>.

Blocking work (speech engines, ffmpeg): run it from the CLI, a background job or a worker thread. Speaking a
business's texts (`render_number`) is one use case: `greetline render` and `apply`, and the served app
(Services.speak_texts) call it with their own database, stores and engines.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from audio.errors import AudioCode, AudioError
from audio.media import MediaStore
from audio.normalize import normalize_greeting
from audio.tts import SpeechCache, SpeechEngine, synthesize_with_fallback
from audio.tts.errors import NoSpeechEngineWorked
from audio.tts.reach import Reach
from ivr.document.load import validate_document
from ivr.document.spoken import Kind, spoken_texts
from ivr.errors import InputError, Problem
from ivr.store import businesses, rendered
from ivr.store.businesses import StoredBusiness
from ivr.store.database import Database
from ivr.store.rendered import RenderedPrompt

if TYPE_CHECKING:
    from ivr.audio_stores import Storage
    from ivr.settings import Settings

# (done, total, text being rendered)
Progress = Callable[[int, int, str], None]


@dataclass
class RenderReport:
    rendered: list[RenderedPrompt] = field(default_factory=list)
    already: int = 0
    # Why texts still use <Say>, and advice about texts that were spoken: where is the text (quoted), the values
    # name it (`text`) and say why; the CLI prints each as its English line, a page words it by code.
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def render_business(
    database: Database,
    stored: StoredBusiness,
    *,
    media: MediaStore,
    engines: Sequence[SpeechEngine],
    cache: SpeechCache,
    now: datetime,
    progress: Progress = lambda _done, _total, _text: None,
    reach: Reach | None = None,
) -> RenderReport:
    """`reach`: which engines were out of reach lately, shared by the texts a process speaks (audio.tts.reach)."""
    document = validate_document(stored.document)
    with database.reading() as connection:
        existing = rendered.rendered_for(connection, stored.id, document.language)
    texts = spoken_texts(document)
    todo = [
        spoken for spoken in texts if spoken.text not in existing or not media.exists(existing[spoken.text].media_id)
    ]
    report = RenderReport(already=len(texts) - len(todo))
    working = list(engines)
    for done, spoken in enumerate(todo):
        progress(done, len(todo), spoken.text)
        where = repr(spoken.text)
        if not working:
            message = "not rendered, no speech engine works; callers hear <Say>"
            report.problems.append(Problem(AudioCode.SPEECH_NO_ENGINE, where, message, {"text": spoken.text}))
            continue
        try:
            speech = synthesize_with_fallback(spoken.text, document.language, working, cache, reach)
            normalised = normalize_greeting(speech.audio, kind=spoken.kind)
        except NoSpeechEngineWorked as error:
            values = {**error.values, "text": spoken.text}
            report.problems.append(Problem(error.code, where, str(error), values))
            working = []  # every engine just failed; do not wait for each of them again on every text
            continue
        except AudioError as error:
            values = {**error.values, "text": spoken.text}
            report.problems.append(Problem(error.code, where, f"{error}; callers hear <Say>", values))
            continue
        # Engines before the one that worked failed just now: skip them for the rest of this business.
        working = working[[engine.name for engine in working].index(speech.engine) :]
        report.warnings += [
            Problem(
                AudioCode.SPEECH_FELL_BACK,
                where,
                str(failure),
                {"text": spoken.text, "engine": failure.engine, "reason": failure.code, "used": speech.engine},
            )
            for failure in speech.failures
        ]
        normalising = normalised.report
        report.warnings += [
            Problem(code, where, message, {**values, "text": spoken.text})
            for code, message, values in zip(
                normalising.warning_codes, normalising.warnings, normalising.warning_values, strict=True
            )
        ]
        prompt = RenderedPrompt(spoken.text, media.save(normalised), speech.engine, normalised.report.duration_s)
        with database.transaction() as session:
            rendered.save_rendered(session, business_id=stored.id, language=document.language, prompt=prompt, now=now)
        report.rendered.append(prompt)
    if report.rendered:
        with database.transaction() as session:
            rendered.bump_revision(session, stored.id, now)
    progress(len(todo), len(todo), "")
    return report


def business_answering(database: Database, number: str) -> StoredBusiness:
    """The business a number belongs to, or an InputError saying how to fix the number or the document."""
    from ivr.document.phones import read_number

    try:
        normalised = read_number(number, None)
    except ValueError as error:
        raise InputError(str(error)) from None
    with database.transaction() as session:
        stored = businesses.find_by_number(session, normalised)
    if stored is None:
        raise InputError(f"no business answers {normalised}; apply a document that lists it under numbers:")
    return stored


def render_number(
    database: Database,
    audio: "Storage",
    engines: Sequence[SpeechEngine],
    number: str,
    progress: Progress = lambda _done, _total, _text: None,
    reach: Reach | None = None,
) -> RenderReport:
    """Render every text of the business answering `number` (blocking; reports progress). Until a text has its
    recording, callers hear it spoken by Twilio's <Say>."""
    stored = business_answering(database, number)
    return render_business(
        database,
        stored,
        media=audio.media,
        engines=engines,
        cache=audio.speech,
        now=datetime.now(UTC),
        progress=progress,
        reach=reach,
    )


def speech_engines(settings: "Settings") -> list[SpeechEngine]:
    """The speech engines the settings name, in their order of preference."""
    from audio.tts import build_engines

    return build_engines(
        settings.tts_engines,
        timeout_s=settings.tts_timeout_s,
        proxy_url=settings.tts_proxy_url,
        retries=settings.tts_retries,
        retry_base_delay_s=settings.tts_retry_base_delay_s,
        tls_ca_path=settings.tts_tls_ca_path,
    )


def speak_text(settings: "Settings", audio: "Storage", text: str, language: str, kind: Kind = "info") -> str:
    """One text as normalised speech in the media store, returning its id (/media/ID.wav, /media/ID.mp3): a
    ready-made message heard or downloaded before a business uses it. AudioError when no engine can speak it."""
    speech = synthesize_with_fallback(text, language, speech_engines(settings), audio.speech)
    return audio.media.save(normalize_greeting(speech.audio, kind=kind))


def spoken_ready_made(
    settings: "Settings", audio: "Storage", document: dict[str, Any], name: str, today: date
) -> bytes:
    """A ready-made message filled for this business and spoken: its MP3, for the CLI, the API and the admin page.
    InputError names what the business lacks for it; AudioError when no engine can speak it."""
    from ivr.document.info_messages import ready_made

    text, _findings = ready_made(document, name, today)
    media_id = speak_text(settings, audio, text, document.get("language", "nl"))
    mp3 = audio.media.read(media_id, "mp3")
    if mp3 is None:  # saved a moment ago: only a store that lost it since answers nothing
        raise AudioError(f"the spoken message {media_id} is missing from the media store")
    return mp3
