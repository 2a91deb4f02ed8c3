"""The monthly report: the statistics page's four figures as text and as SVG attachments. Plain data in, an e-mail
out; the words are the e-mails' own (monthly_report.yaml, end_reasons.yaml), as for every other e-mail."""

from collections import Counter
from functools import cache
from importlib import resources

import yaml

from ivr.figures import charts, statistics
from ivr.figures.charts import Column, Line, Segment
from ivr.figures.line import LineFigures
from ivr.messages.compose import Attachment, Email, texts
from ivr.messages.end_reason_text import counted_line

SVG = "image/svg+xml"
BAR_COLOUR = "#2f6db5"
WEEKDAYS = {
    "nl": ("ma", "di", "wo", "do", "vr", "za", "zo"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "de": ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
    "fr": ("lun", "mar", "mer", "jeu", "ven", "sam", "dim"),
}


@cache
def _words(language: str) -> dict[str, str]:
    catalogue: dict[str, dict[str, str]] = yaml.safe_load(
        resources.files("ivr.messages").joinpath("monthly_report.yaml").read_text("utf-8")
    )
    return catalogue.get(language, catalogue["en"])


def _percent(share: float | None) -> str:
    return "\u2013" if share is None else f"{share * 100:.0f} %"


def _bins(found: tuple[statistics.Bin, ...]) -> tuple[tuple[str, int], ...]:
    return tuple((f"{b.from_s}+" if b.to_s is None else str(b.from_s), b.calls) for b in found)


def report_lines(figures: LineFigures, language: str) -> list[str]:
    """One sentence per chart: what the chart shows, for readers who see no picture."""
    words, dates = _words(language), texts(language)["time_format"].split(" ")[0]
    busiest = max(figures.days, key=lambda day: day.total)
    weekday, hour = max(((d, h) for d in range(7) for h in range(24)), key=lambda at: figures.week[at[0]][at[1]])
    waits = figures.waits
    counts = ", ".join(f"{words[stage.value]} {count}" for stage, count in figures.hang_ups.by_stage)
    lines = [
        words["per_day"].format(calls=figures.calls, day=busiest.day.strftime(dates), most=busiest.total),
        words["per_hour"].format(
            weekday=WEEKDAYS.get(language, WEEKDAYS["en"])[weekday],
            hour=hour,
            next=hour + 1,
            most=figures.week[weekday][hour],
        ),
        words["waits"].format(
            within=waits.within_s,
            answered=waits.answered,
            share=_percent(waits.share_within),
            urgent_within=waits.emergency_within_s,
            urgent=waits.emergency_calls,
            urgent_share=_percent(waits.emergency_share),
        ),
        words["hang_ups"].format(counts=counts),
    ]
    totals: Counter[str | None] = Counter()
    for day in figures.days:
        totals.update({reason or None: count for reason, count in day.by_reason})
    reasons = counted_line(totals, language)
    return [*lines, *([reasons] if reasons else [])]


def report_charts(figures: LineFigures, language: str, lines: list[str]) -> tuple[Attachment, ...]:
    words = _words(language)
    per_day = tuple(
        Column(str(day.day.day), tuple(Segment(n, BAR_COLOUR) for _reason, n in day.by_reason)) for day in figures.days
    )
    names = WEEKDAYS.get(language, WEEKDAYS["en"])
    grid = tuple((names[index], hours) for index, hours in enumerate(figures.week))
    stage_lines = tuple(
        Line(min(start_s / statistics.BIN_S, len(figures.hang_ups.bins) - 1), words[stage.value], "#555")
        for stage, start_s in figures.hang_ups.opening
        if stage.value in ("welcome", "information", "menu", "ringing")
    )
    norm = (Line(statistics.URGENT_WITHIN_S / statistics.BIN_S, "30 s"),)
    drawn = (
        ("calls-per-day.svg", charts.stacked_bars("per-day", per_day, lines[0], lines[0])),
        ("calls-per-hour.svg", charts.heat_grid("per-hour", grid, lines[1], lines[1])),
        ("time-to-a-person.svg", charts.histogram("waits", _bins(figures.waits.bins), norm, lines[2], lines[2])),
        ("hang-ups.svg", charts.histogram("hang-ups", _bins(figures.hang_ups.bins), stage_lines, lines[3], lines[3])),
    )
    return tuple(Attachment(name, SVG, svg.encode("utf-8")) for name, svg in drawn)


def monthly_report_email(figures: LineFigures, business: str, language: str, address: str, message_id: str) -> Email:
    words, dates = _words(language), texts(language)["time_format"].split(" ")[0]
    first, last = figures.days[0].day.strftime(dates), figures.days[-1].day.strftime(dates)
    lines = report_lines(figures, language)
    body = "\n\n".join([words["intro"].format(business=business, first=first, last=last), *lines]) + "\n"
    subject = words["subject"].format(business=business, first=first, last=last)
    return Email(address, subject, body, message_id, report_charts(figures, language, lines))
