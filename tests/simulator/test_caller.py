"""The simulator end to end, in-process: a fresh CallSid per call, a refused --to, the confirmation heard."""

import io
from datetime import UTC, datetime

import pytest

from audio.wav import mulaw_wav
from ivr.audio_stores import storage
from ivr.cli.commands import simulate
from ivr.cli.runtime import runtime
from ivr.errors import InputError
from ivr.settings import Settings
from ivr.simulator.behaviour import parse_behaviour
from ivr.simulator.caller import CallPlan, Transcript
from ivr.store import rendered
from ivr.store.database import Database
from ivr.store.rendered import RenderedPrompt
from ivr.usecases.documents import apply_text

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def plan(to_number: str = "+31501234567", presses: str = "") -> CallPlan:
    return CallPlan(
        to_number=to_number,
        from_number="+31612345678",
        local_time=datetime(2026, 11, 24, 10, 15),
        presses=presses,
        operators=parse_behaviour("answer-after:8"),
        service=parse_behaviour("answer-after:5"),
    )


def call(settings: Settings, plan: CallPlan) -> Transcript:
    with runtime(settings) as opened:
        return simulate(opened, plan, None, io.StringIO())


def apply(settings: Settings, text: str) -> None:
    database = Database(settings.database_url)
    try:
        apply_text(database, text, NOW)
    finally:
        database.dispose()


def test_a_fresh_call_sid_for_every_call(settings: Settings, demo_text: str) -> None:
    apply(settings, demo_text)
    first, second = call(settings, plan()), call(settings, plan())
    assert first.call_sid != second.call_sid
    assert first.call_sid.startswith("CA") and len(first.call_sid) == 34


def test_a_to_that_is_not_a_number_is_refused(settings: Settings) -> None:
    with pytest.raises(InputError, match=r"^--to: 'De Linde' is not an international number"):
        call(settings, plan("De Linde"))


def test_the_staff_confirmation_is_heard_and_answered(settings: Settings, demo_text: str) -> None:
    apply(settings, demo_text.replace("rings: 4", "rings: 3") + "confirm: true\n")
    transcript = call(settings, plan(presses="9"))
    heard = [(event.kind, event.text) for event in transcript.events]
    question = ("whisper", "Oproep voor Huisartsenpraktijk De Linde, toets 1 om aan te nemen.")
    assert question in heard
    assert heard[heard.index(question) + 1] == ("press", "1 (the answerer takes the call)")
    assert transcript.answered_by == "+31501111111"


def test_a_rendered_recording_is_shown_by_its_words(settings: Settings, demo_text: str) -> None:
    apply(settings, demo_text)
    welcome = "Goedemorgen, u spreekt met Huisartsenpraktijk De Linde."
    media_id = "5e" * 32
    wav = mulaw_wav(b"\xff" * 8000 * 3)  # three seconds of silence
    storage(settings).media.objects.put(f"{media_id}.wav", wav, "audio/wav")
    database = Database(settings.database_url)
    try:
        with database.transaction() as session:
            rendered.save_rendered(
                session, business_id=1, language="nl", prompt=RenderedPrompt(welcome, media_id, "espeak", 3.0), now=NOW
            )
            rendered.bump_revision(session, 1, NOW)
    finally:
        database.dispose()
    transcript = call(settings, plan())
    assert (transcript.events[0].kind, transcript.events[0].text, transcript.events[0].duration_s) == (
        "play",
        f'"{welcome}"',
        3.0,
    )
