"""A voicemail's words as the e-mail, the text and the summary show them (issue 22). Pure: the words of each
language come in from compose's catalogue (texts.yaml), so this module needs none of its own."""

from collections.abc import Mapping

# GSM 03.38: the characters a 7-bit SMS carries (the basic set, and the extension set's, which count twice).
# A text with any other character is sent as UCS-2, which carries fewer per segment (3GPP TS 23.038).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")
# Characters per segment of a text in several parts (a part's header takes the rest of its 140 bytes).
GSM7_PER_SEGMENT = 153
UCS2_PER_SEGMENT = 67
MAX_SMS_SEGMENTS = 2
# The summary shows a message's words as one line, cut to this length (all of them are in the inbox).
SUMMARY_WORDS_CHARS = 120


def sms_units(text: str) -> tuple[int, int]:
    """(units the text takes, units a segment holds): GSM-7 when every character fits, UCS-2 otherwise."""
    if all(char in GSM7_BASIC or char in GSM7_EXTENDED for char in text):
        return sum(2 if char in GSM7_EXTENDED else 1 for char in text), GSM7_PER_SEGMENT
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text), UCS2_PER_SEGMENT


def fit_sms(template: str, words: str, **fill: str) -> str:
    """`template` filled, with as much of the start of `words` as keeps the text within two segments."""
    flat = " ".join(words.split())
    cut = len(flat)
    while True:
        # "..." rather than "…": the one character outside GSM-7 would halve what the two segments hold.
        shown = flat if cut == len(flat) else flat[: max(cut - 3, 0)].rstrip() + "..."
        body = template.format(**fill, words=shown)
        used, per_segment = sms_units(body)
        if used <= per_segment * MAX_SMS_SEGMENTS or cut == 0:
            return body
        cut = max(0, cut - max(1, (used - per_segment * MAX_SMS_SEGMENTS) // 2))


def first_line(words: str, at_most: int = SUMMARY_WORDS_CHARS) -> str:
    flat = " ".join(words.split())
    for stop in (". ", "? ", "! "):
        if stop in flat:
            flat = flat.split(stop)[0] + stop.strip()
            break
    return flat if len(flat) <= at_most else flat[: at_most - 1].rstrip() + "…"


def transcript_lines(
    words: Mapping[str, str], transcript: str, spoken: str | None, business_language: str, cut_short: bool
) -> list[str]:
    """The e-mail's first lines: marked as a computer's writing that may be wrong, the language if not the
    business's own, and that only the start was written when the recording was longer."""
    heading = words["transcript_heading"]
    if spoken and spoken != business_language:
        heading += " " + words["transcript_spoken_in"].format(language=words[f"language_{spoken}"])
    lines = [heading, "", f"“{' '.join(transcript.split())}”"]
    if cut_short:
        lines.append(words["transcript_cut_short"])
    return [*lines, ""]
