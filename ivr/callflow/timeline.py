"""When, within one answer, the caller hears what: the stages a decision's steps pass through, in seconds.

The call log keeps these marks so that a caller who hangs up can be placed in the welcome, the information, the
menu or the ringing (ivr.callflow.end_reasons), and so that the time from the first ring to a person can be counted.
Twilio tells us neither when a prompt ends nor when a dial starts ringing, so both are worked out from the steps.
"""

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from enum import StrEnum

from ivr.callflow.flow import incoming, speak
from ivr.callflow.model import Business, HolidayClosures
from ivr.callflow.steps import Dial, Gather, Play, Record, Say, Speech, Step


class Stage(StrEnum):
    WELCOME = "welcome"
    INFORMATION = "information"
    MENU = "menu"
    # A closed message, a period's message, "niemand bereikbaar": what is said when nobody will be rung.
    MESSAGE = "message"
    RINGING = "ringing"
    VOICEMAIL = "voicemail"


# Spoken text runs at about 14 characters a second (a Dutch or English voice at 150 words a minute of about 5.5
# characters with the space: the rate of gTTS and espeak-ng measured on our own prompts, within 10 %). Used for every
# prompt, a recording's words included: the stage marks are estimates, good to a second or two.
SPOKEN_CHARS_PER_S = 14.0

# A stage mark: the stage and the seconds after the answer's start at which it begins.
Mark = tuple[Stage, float]


def spoken_s(speech: Speech) -> float:
    return round(len(speech.text) / SPOKEN_CHARS_PER_S, 1)


def _labelled(business: Business, speech: Speech) -> Stage:
    if speech == speak(business.greeting, business.language):
        return Stage.WELCOME
    if business.info is not None and speech == speak(business.info, business.language):
        return Stage.INFORMATION
    menu_prompts = {speak(option.prompt, business.language) for option in business.menu}
    menu_prompts.add(speak(business.texts.menu_retry, business.language))
    return Stage.MENU if speech in menu_prompts else Stage.MESSAGE


def _spoken(business: Business, steps: tuple[Step, ...]) -> Iterator[tuple[Stage, float]]:
    """Each stage with its length, in the order heard; stops at the first dial or recording."""
    for step in steps:
        if isinstance(step, Say | Play):
            yield _labelled(business, step), spoken_s(step)
        elif isinstance(step, Gather):
            stage = Stage.MESSAGE
            for prompt in step.prompts:
                stage = _labelled(business, prompt)
                yield stage, spoken_s(prompt)
            # The wait for a key belongs to whatever was asked last (the menu's last option).
            yield stage, float(step.timeout_s)
        elif isinstance(step, Dial):
            yield Stage.RINGING, 0.0
            return
        elif isinstance(step, Record):
            yield Stage.VOICEMAIL, 0.0
            return


def stage_marks(business: Business, steps: tuple[Step, ...]) -> tuple[Mark, ...]:
    """Where each stage of these steps begins, in seconds from the moment they are answered with.

    Consecutive prompts of one stage are one stage (the menu's options before and after the information are two)."""
    marks: list[Mark] = []
    at_s = 0.0
    for stage, length_s in _spoken(business, steps):
        if not marks or marks[-1][0] != stage:
            marks.append((stage, round(at_s, 1)))
        at_s += length_s
    return tuple(marks)


def stage_at(marks: tuple[Mark, ...], second: float) -> Stage | None:
    """The stage the caller was in `second` seconds into the call (None before the first mark, or without marks)."""
    found = None
    for stage, start_s in marks:
        if start_s > second:
            break
        found = stage
    return found


def opening_marks(business: Business) -> tuple[Mark, ...]:
    """The stages a caller passes through when the line is open, as configured now (the welcome, the menu, the
    information, then the ringing): where the statistics draw each recording's length."""
    always_open = replace(business, hours=None, periods=(), holidays=HolidayClosures())
    return stage_marks(business, incoming(always_open, ANY_MOMENT).steps)


# Any moment does for a business open at every moment.
ANY_MOMENT = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
