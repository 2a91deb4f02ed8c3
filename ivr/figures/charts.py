"""Charts as SVG text, drawn on the server: no script, no style sheet, nothing fetched. Labels arrive in the reader's
language; each chart carries a title and a description (role="img"), and the page adds its numbers as a table.

The charts scale with their box (viewBox, width 100 %): drawn 400 units wide they stay readable on a 360 px phone.
"""

from dataclasses import dataclass
from html import escape

WIDTH = 400
HEIGHT = 220
LEFT = 34  # room for the counts on the vertical axis
BOTTOM = 28  # room for the labels under the bars
TOP = 10
FONT = 'font-family="system-ui, sans-serif" font-size="11"'


@dataclass(frozen=True)
class Segment:
    value: int
    colour: str


@dataclass(frozen=True)
class Column:
    label: str
    segments: tuple[Segment, ...]

    @property
    def total(self) -> int:
        return sum(segment.value for segment in self.segments)


@dataclass(frozen=True)
class Line:
    """A vertical line across a histogram at `at` (in bins, from the left edge), labelled."""

    at: float
    label: str
    colour: str = "#b00020"


def _open(chart_id: str, title: str, description: str, height: int = HEIGHT) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" {FONT}>'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
    )


def _nice_top(largest: int) -> int:
    """The axis's top: 1, 2 or 5 times a power of ten, at least the largest value."""
    power = 1
    while True:
        for factor in (1, 2, 5):
            if power * factor >= largest:
                return power * factor
        power *= 10


def _axis(top: int) -> str:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for fraction in (0, 0.5, 1):
        y = HEIGHT - BOTTOM - plot_h * fraction
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc" stroke-width="0.5"/>')
        value = round(top * fraction)
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#333">{value}</text>')
    return "".join(parts)


def _labels_every(count: int) -> int:
    """Label every n-th column so labels never overlap at 400 units (about 28 units a label)."""
    return max(1, -(-count * 28 // (WIDTH - LEFT)))


def stacked_bars(chart_id: str, columns: tuple[Column, ...], title: str, description: str) -> str:
    top = _nice_top(max((column.total for column in columns), default=0) or 1)
    plot_h, step = HEIGHT - TOP - BOTTOM, (WIDTH - LEFT) / max(len(columns), 1)
    parts = [_open(chart_id, title, description), _axis(top)]
    every = _labels_every(len(columns))
    for index, column in enumerate(columns):
        x, base = LEFT + index * step, float(HEIGHT - BOTTOM)
        for segment in column.segments:
            h = plot_h * segment.value / top
            base -= h
            parts.append(
                f'<rect x="{x + step * 0.1:.1f}" y="{base:.1f}" width="{step * 0.8:.1f}" height="{h:.1f}" '
                f'fill="{segment.colour}"/>'
            )
        if index % every == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{HEIGHT - 10}" text-anchor="middle" fill="#333">'
                f"{escape(column.label)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def histogram(
    chart_id: str, bars: tuple[tuple[str, int], ...], lines: tuple[Line, ...], title: str, description: str
) -> str:
    columns = tuple(Column(label, (Segment(value, "#2f6db5"),)) for label, value in bars)
    svg = stacked_bars(chart_id, columns, title, description).removesuffix("</svg>")
    step = (WIDTH - LEFT) / max(len(bars), 1)
    parts = [svg]
    for index, line in enumerate(lines):
        x = LEFT + line.at * step
        # Lines close together (a short welcome, then the menu) get their labels one under the other.
        y = TOP + 10 + 13 * index
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" stroke="{line.colour}" '
            f'stroke-width="1.5" stroke-dasharray="4 3"/>'
            f'<text x="{x + 3:.1f}" y="{y}" fill="{line.colour}" stroke="#fff" stroke-width="3" '
            f'paint-order="stroke">{escape(line.label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def heat_grid(chart_id: str, rows: tuple[tuple[str, tuple[int, ...]], ...], title: str, description: str) -> str:
    """Rows of equal length (days of 24 hours): each cell darker the more calls; hours labelled every three."""
    cells = len(rows[0][1]) if rows else 24
    cell_w, cell_h = (WIDTH - LEFT) / cells, 18
    height = TOP + cell_h * len(rows) + BOTTOM
    largest = max((value for _, values in rows for value in values), default=0) or 1
    parts = [_open(chart_id, title, description, int(height))]
    for row_index, (label, values) in enumerate(rows):
        y = TOP + row_index * cell_h
        parts.append(f'<text x="{LEFT - 4}" y="{y + 13:.1f}" text-anchor="end" fill="#333">{escape(label)}</text>')
        for column, value in enumerate(values):
            shade = 0.08 + 0.92 * value / largest if value else 0.0
            parts.append(
                f'<rect x="{LEFT + column * cell_w:.1f}" y="{y:.1f}" width="{cell_w - 1:.1f}" height="{cell_h - 2}" '
                f'fill="#2f6db5" fill-opacity="{shade:.2f}" stroke="#ddd" stroke-width="0.5"/>'
            )
    for hour in range(0, cells, 3):
        x = LEFT + (hour + 0.5) * cell_w
        parts.append(f'<text x="{x:.1f}" y="{height - 10:.1f}" text-anchor="middle" fill="#333">{hour}</text>')
    parts.append("</svg>")
    return "".join(parts)
