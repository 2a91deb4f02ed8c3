"""What each step of a call adds to its row in the call log: the stages it passed through, when a person answered,
and (from all the call holds) why it ended. Plain dictionaries with the call log's column names, for the writer."""

from datetime import datetime
from typing import Any

from ivr.callflow.end_reasons import CallFacts, end_reason
from ivr.callflow.timeline import Mark, Stage


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
            marks.append([stage.value, round(max(offset_s + start_s, 0.0), 1)])
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
    marks = tuple((Stage(stage), float(start_s)) for stage, start_s in call["marks"] or [])
    facts = CallFacts(call["outcome"], tuple(call["path"]), bool(call["simulated"]), call["duration_s"], marks)
    reason = end_reason(facts)
    call["end_reason"] = reason.value if reason else None
