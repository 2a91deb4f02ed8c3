"""The statistics charts in the page's language: the figures (ivr.figures.line) drawn as SVG (ivr.figures.charts),
each with its title, a sentence that says what it shows, a legend and its numbers as a table."""

from dataclasses import dataclass

from ivr.callflow.end_reasons import EndReason
from ivr.callflow.timeline import Stage
from ivr.figures import charts, statistics
from ivr.figures.charts import Column, Line, Segment
from ivr.figures.line import LineFigures
from ivr.web.admin import wording
from ivr.web.admin.i18n import Words
from ivr.web.admin.reason_words import end_reason

# One colour per end reason: answered in greens, messages and callbacks in blues, hang-ups in oranges, closed in
# greys, problems in red (checked for contrast on white, and distinct for the common colour blindnesses in pairs).
REASON_COLOURS = {
    EndReason.ANSWERED_STAFF: "#1b7837",
    EndReason.ANSWERED_SERVICE: "#7fbf7b",
    EndReason.MESSAGE_LEFT: "#2166ac",
    EndReason.CALLBACK_REQUESTED: "#67a9cf",
    EndReason.BLOCKED: "#4d4d4d",
    EndReason.HUNG_UP_WELCOME: "#fdb863",
    EndReason.HUNG_UP_INFORMATION: "#e08214",
    EndReason.HUNG_UP_MENU: "#b35806",
    EndReason.HUNG_UP_RINGING: "#7f3b08",
    EndReason.CLOSED_NO_MESSAGE: "#bababa",
    EndReason.HOLIDAY: "#999999",
    EndReason.PERIOD: "#878787",
    EndReason.BUSY: "#d6604d",
    EndReason.FAILED: "#b2182b",
    EndReason.SIMULATED: "#e0e0e0",
}
IN_PROGRESS_COLOUR = "#f4f4f4"
# Shown where there is no figure (no answered calls, a stage this line does not have): an en dash.
NO_VALUE = "\u2013"


@dataclass(frozen=True)
class Drawn:
    chart_id: str
    title: str
    svg: str
    # The legend: (colour, words) pairs; the table: a header row and rows of cells.
    legend: tuple[tuple[str, str], ...]
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _percent(share: float | None) -> str:
    return NO_VALUE if share is None else f"{share * 100:.0f} %"


def _stage_words(words: Words, stage: Stage) -> str:
    return {
        Stage.WELCOME: words.gettext("welcome"),
        Stage.INFORMATION: words.gettext("information"),
        Stage.MENU: words.gettext("menu"),
        Stage.RINGING: words.gettext("ringing"),
    }.get(stage, stage.value)


def per_day(figures: LineFigures, words: Words, language: str) -> Drawn:
    columns = tuple(
        Column(
            str(day.day.day),
            tuple(Segment(count, REASON_COLOURS.get(reason, IN_PROGRESS_COLOUR)) for reason, count in day.by_reason),  # type: ignore[call-overload]
        )
        for day in figures.days
    )
    busiest = max(figures.days, key=lambda day: day.total)
    title = words.gettext("Calls per day, the last four weeks")
    description = words.gettext("%(calls)s calls in 28 days; the most on %(day)s: %(most)s.") % {
        "calls": figures.calls,
        "day": wording.long_date(busiest.day, language),
        "most": busiest.total,
    }
    seen = {reason for day in figures.days for reason, _ in day.by_reason}
    legend = tuple((REASON_COLOURS[r], end_reason(words, r.value)) for r in EndReason if r.value in seen)
    rows = tuple(
        (
            wording.long_date(day.day, language),
            str(day.total),
            ", ".join(f"{end_reason(words, reason or None)}: {count}" for reason, count in day.by_reason),
        )
        for day in figures.days
    )
    header = (words.gettext("Day"), words.gettext("Calls"), words.gettext("Why they ended"))
    return Drawn("per-day", title, charts.stacked_bars("per-day", columns, title, description), legend, header, rows)


def per_hour(figures: LineFigures, words: Words, language: str) -> Drawn:
    names = wording.day_names(language, "abbreviated")
    grid = tuple((names[index], hours) for index, hours in enumerate(figures.week))
    busiest = max(((day, hour) for day in range(7) for hour in range(24)), key=lambda at: figures.week[at[0]][at[1]])
    title = words.gettext("Calls per hour of the week")
    description = words.gettext("The busiest hour: %(day)s %(hour)s:00 to %(next)s:00, with %(calls)s calls.") % {
        "day": wording.day_names(language)[busiest[0]],
        "hour": busiest[1],
        "next": busiest[1] + 1,
        "calls": figures.week[busiest[0]][busiest[1]],
    }
    header = (words.gettext("Day"), *(str(hour) for hour in range(24)))
    rows = tuple((name, *(str(value) for value in hours)) for name, hours in grid)
    return Drawn("per-hour", title, charts.heat_grid("per-hour", grid, title, description), (), header, rows)


def _bin_label(found: statistics.Bin) -> str:
    return f"{found.from_s}+" if found.to_s is None else str(found.from_s)


def waits(figures: LineFigures, words: Words) -> Drawn:
    found = figures.waits
    bars = tuple((_bin_label(b), b.calls) for b in found.bins)
    norm_at = statistics.URGENT_WITHIN_S / statistics.BIN_S
    title = words.gettext("Time from the first ring to a person")
    description = words.gettext(
        "%(within)s of %(answered)s answered calls reached a person within 30 s (%(share)s). Emergency option:"
        " %(urgent_within)s of %(urgent)s calls within 30 s (%(urgent_share)s); the norm is 90 %%."
    ) % {
        "within": found.within_s,
        "answered": found.answered,
        "share": _percent(found.share_within),
        "urgent_within": found.emergency_within_s,
        "urgent": found.emergency_calls,
        "urgent_share": _percent(found.emergency_share),
    }
    lines = (Line(norm_at, "30 s"),)
    header = (words.gettext("Seconds"), words.gettext("Calls"))
    rows = tuple((_bin_label(b), str(b.calls)) for b in found.bins)
    svg = charts.histogram("waits", bars, lines, title, description)
    return Drawn("waits", title, svg, (("#b00020", words.gettext("30 s: the norm for urgent calls")),), header, rows)


def hang_ups(figures: LineFigures, words: Words) -> Drawn:
    found = figures.hang_ups
    bars = tuple((_bin_label(b), b.calls) for b in found.bins)
    last_bin = len(found.bins) - 1
    lines = tuple(
        Line(min(start_s / statistics.BIN_S, last_bin), _stage_words(words, stage), "#555")
        for stage, start_s in found.opening
        if stage in statistics.HANG_UP_STAGES.values()
    )
    starts = dict(found.opening)
    ends = {stage: next_start for (stage, _), (_, next_start) in zip(found.opening, found.opening[1:], strict=False)}
    title = words.gettext("Where callers hang up")
    counts = ", ".join(f"{_stage_words(words, stage)}: {count}" for stage, count in found.by_stage)
    description = words.gettext(
        "Callers who hung up before a person or a message, by the second they hung up: %(counts)s."
    ) % {"counts": counts}
    header = (words.gettext("Part"), words.gettext("Hung up"), words.gettext("Starts at"), words.gettext("Length"))
    rows = tuple(
        (
            _stage_words(words, stage),
            str(count),
            f"{starts[stage]:.0f} s" if stage in starts else NO_VALUE,
            f"{ends[stage] - starts[stage]:.0f} s" if stage in ends else NO_VALUE,
        )
        for stage, count in found.by_stage
    )
    svg = charts.histogram("hang-ups", bars, lines, title, description)
    return Drawn("hang-ups", title, svg, (), header, rows)


def drawn(figures: LineFigures, words: Words, language: str) -> tuple[Drawn, ...]:
    return (
        per_day(figures, words, language),
        per_hour(figures, words, language),
        waits(figures, words),
        hang_ups(figures, words),
    )
