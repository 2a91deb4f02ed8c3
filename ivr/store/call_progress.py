"""What each step of a call adds to its row in the call log: the stages it passed through, when a person answered,
and (from all the call holds) why it ended. Plain dictionaries with the call log's column names, for the writer."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ivr.callflow import end_reasons
from ivr.callflow.end_reasons import CallFacts, end_reason
from ivr.callflow.model import Business
from ivr.callflow.steps import Outcome, Step
from ivr.callflow.timeline import Mark, Stage, stage_marks

# Answers whose marks are kept: the businesses in memory times their first answers, and then some; emptied when
# reached (marks are cheap to work out again).
MAX_HEARD = 4096


@dataclass(frozen=True)
class Heard:
    """What a caller was answered with: the business as loaded and the answer's steps. The call log's writer works
    out the stage marks and the emergency flag from it, in its own thread (ivr.store.calls.settled): on the
    webhook they were a tenth of its time (issue 25)."""

    business: Business
    steps: tuple[Step, ...]


class HeardMarks:
    """The stage marks of an answer, worked out once per business as loaded and answer's steps.

    Every caller of a business hears the same first answer (one object per business and situation,
    ivr.web.first_answers), so the writer works its marks out once, not per call. Keyed by identity: a business
    changed is loaded as a new object. Each entry holds its business and steps, so their ids are not reused meanwhile.
    """

    def __init__(self) -> None:
        self._known: dict[tuple[int, int], tuple[Business, tuple[Step, ...], tuple[Mark, ...]]] = {}

    def marks(self, business: Business, steps: tuple[Step, ...]) -> tuple[Mark, ...]:
        key = (id(business), id(steps))
        found = self._known.get(key)
        if found is not None and found[0] is business and found[1] is steps:
            return found[2]
        marks = stage_marks(business, steps)
        if len(self._known) >= MAX_HEARD:
            self._known = {}
        self._known[key] = (business, steps, marks)
        return marks

    def of(
        self, heard: Heard | None, path: str, marks: tuple[Mark, ...], urgent: bool
    ) -> tuple[tuple[Mark, ...], bool]:
        """A step's marks and emergency flag: as given, or worked out from what the caller heard."""
        if heard is None:
            return marks, urgent
        return self.marks(heard.business, heard.steps), urgent or takes_emergency_option(heard.business, path)


def takes_emergency_option(business: Business, path: str) -> bool:
    keys = tuple(option.key for option in business.menu if option.emergency)
    return end_reasons.takes_emergency_option(path, keys)


# Each stage as the call log stores it: a dict look-up rather than the enum's `value` per mark (profiled, issue 25).
_STORED = {stage: stage.value for stage in Stage}


def add_marks(call: dict[str, Any], at: datetime, step_marks: tuple[Mark, ...]) -> None:
    """A step's stage marks (from `at`), moved to seconds from the call's start, in place of the earlier answer's
    marks still ahead; a stage that goes on is not marked again."""
    if not step_marks:
        return
    offset_s = (at - call["started_at"]).total_seconds()
    # What the last answer would have played after this moment never happened: the caller acted before it.
    marks: list[list[Any]] = [mark for mark in call["marks"] or [] if mark[1] <= offset_s]
    for stage, start_s in step_marks:
        if not marks or marks[-1][0] != stage:
            marks.append([_STORED[stage], round(max(offset_s + start_s, 0.0), 1)])
    call["marks"] = marks


def add_answer(call: dict[str, Any], answered_at: datetime | None) -> None:
    """The seconds from the first ring to the first person who answered."""
    if answered_at is None or call["person_s"] is not None:
        return
    ringing = next((start_s for stage, start_s in call["marks"] or [] if stage == Stage.RINGING), None)
    if ringing is not None:
        waited_s = (answered_at - call["started_at"]).total_seconds() - ringing
        call["person_s"] = round(max(waited_s, 0.0), 1)


def decide(call: dict[str, Any]) -> None:
    # Only a call the caller hung up is placed by its marks (ivr.callflow.end_reasons.hung_up_stage).
    hung_up = call["outcome"] == Outcome.HUNG_UP
    marks = tuple((Stage(stage), float(start_s)) for stage, start_s in call["marks"] or []) if hung_up else ()
    facts = CallFacts(call["outcome"], tuple(call["path"]), bool(call["simulated"]), call["duration_s"], marks)
    reason = end_reason(facts)
    call["end_reason"] = reason.value if reason else None
