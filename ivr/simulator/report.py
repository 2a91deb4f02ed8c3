"""What the simulator prints: the caller's experience line by line, then the seconds until a human."""

from dataclasses import asdict
from typing import Any

from ivr.simulator.caller import Transcript

LABELS = {
    "say": "hears",
    "play": "hears recording",
    "pause": "silence",
    "press": "presses",
    "wait": "waits",
    "dial": "dialling",
    "ring": "rings, then",
    "whisper": "answerer hears",
    "answer": "connected:",
    "record": "voicemail:",
    "hangup": "hangs up:",
}


def transcript_text(transcript: Transcript) -> str:
    lines = [f"Call from {transcript.from_number} to {transcript.to_number}"]
    for event in transcript.events:
        duration = f" ({event.duration_s:.1f} s)" if event.duration_s else ""
        text = f'"{event.text}"' if event.kind in ("say", "whisper") else event.text
        lines.append(f"{event.at_s:6.1f} s  {LABELS.get(event.kind, event.kind)} {text}{duration}")
    if transcript.human_after_s is not None:
        lines.append(f"A human ({transcript.answered_by}) answers after {transcript.human_after_s:.1f} s.")
    else:
        lines.append(f"No human answered; the call ended after {transcript.ended_at_s:.1f} s.")
    return "\n".join(lines)


def transcript_data(transcript: Transcript) -> dict[str, Any]:
    return asdict(transcript)
