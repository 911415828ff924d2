"""Charts as SVG strings: the same figure in pages and PDFs.

The SVG is written directly (bars, axis, labels as text elements) rather than drawn by
a plotting library: a chart costs about a millisecond instead of a third of a second,
which matters when a national donor report holds one chart per training (hundreds).
Text stays text (searchable in PDFs, DejaVu Sans for the Vietnamese diacritics), long
labels wrap at word boundaries, and numbers follow the active language ("3,5" in
Vietnamese) unless a ``number_format`` is given.

A figure is drawn once per version: the SVG is cached under a hash of everything that
goes into it (labels, values, options), so the same data is never drawn twice and new
data is a new key — nothing to invalidate by hand.
"""

from __future__ import annotations

import functools
import math
import textwrap
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from django.utils import formats

from portal.text import clean_line

FONT = "DejaVu Sans, Noto Sans, sans-serif"
WIDTH = 640  # px; pages and PDFs scale it to the column (max-width: 100%)
CHAR_WIDTH = 0.6  # a DejaVu Sans character is about 0.6 em wide: enough to lay labels out
LINE = 1.25  # line height, in em
COLOURS = {"bar": "#b0245a", "before": "#c9a3b3", "axis": "#444", "grid": "#e3e3e3", "text": "#222"}


def local_number(value: float, pos: object = None) -> str:
    """A number in the active language's format: "3,5" in Vietnamese."""
    text = f"{value:g}"
    return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))


# Long labels wrap at word boundaries instead of being cut or overflowing the chart.
LABEL_WIDTH = 28


def wrap_label(label: str, width: int = LABEL_WIDTH) -> str:
    """``label`` on several lines of at most ``width`` characters, never cut mid-word."""
    return "\n".join(textwrap.wrap(str(label), width=width, break_long_words=False)) or str(label)


def _stable(value: Any) -> Any:
    if callable(value):
        return f"{value.__module__}.{value.__qualname__}"
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_stable(v) for v in value]
    return value


def _stable_version(args: Sequence[Any], kwargs: dict[str, Any]) -> str:
    """The figure version of a chart's arguments. A function (``number_format``) counts by
    its name, not its address, so every process (web, workers) finds the same key."""
    return repr(([_stable(a) for a in args], sorted((k, _stable(v)) for k, v in kwargs.items())))


def _drawn_once(draw: Callable[..., str]) -> Callable[..., str]:
    """Cache the SVG ``draw`` returns under a hash of its arguments (its figure version)."""

    @functools.wraps(draw)
    def wrapper(*args: Any, **kwargs: Any) -> str:
        from portal.caching import cached, make_key

        key = make_key(f"chart:{draw.__name__}", _stable_version(args, kwargs))
        return cached(key, lambda: draw(*args, **kwargs))

    return wrapper


# --- drawing ------------------------------------------------------------------------------


def _n(value: float) -> str:
    # Coordinates are whole pixels: no decimal point in the markup besides the figures.
    return str(round(value))


def _line(x1: float, y1: float, x2: float, y2: float, colour: str) -> str:
    return f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{colour}"/>'


def _rect(x: float, y: float, width: float, height: float, colour: str) -> str:
    return f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(width, 0))}" height="{_n(max(height, 0))}" fill="{colour}"/>'


@functools.cache
def _font() -> Any:
    """DejaVu Sans (the charts' font) at 1000 units, to measure labels; None without it."""
    try:
        from PIL import ImageFont

        return ImageFont.truetype("DejaVuSans.ttf", 1000)
    except (ImportError, OSError):
        return None


def _text_width(text: str, size: float) -> float:
    font = _font()
    if font is None:
        return len(text) * size * CHAR_WIDTH
    return font.getlength(text) * size / 1000


def _text(x: float, y: float, lines: Sequence[str], *, size: float, anchor: str = "start") -> str:
    """Text of one or more lines (``y`` is the first baseline), each line placed by its
    measured width rather than ``text-anchor``: WeasyPrint draws every anchored text as a
    separate PDF form object, which made report PDFs several times larger and slower to
    lay out and merge."""
    elements = []
    for index, line in enumerate(lines):
        width = _text_width(line, size)
        left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
        baseline = y + index * size * LINE
        elements.append(f'<text x="{_n(left)}" y="{_n(baseline)}" font-size="{_n(size)}">{escape(line)}</text>')
    return "".join(elements)


def _ticks(top: float) -> list[float]:
    """Round tick values from 0 to at least ``top`` (steps of 1, 2 or 5 times a power of ten)."""
    if top <= 0 or not math.isfinite(top):
        return [0.0, 1.0]
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    count = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


def _svg(height: float, body: list[str], title: str) -> str:
    label = f' aria-label="{escape(title)}"' if title else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{_n(height)}" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" role="img"{label} font-family="{FONT}" fill="{COLOURS["text"]}">'
        + "".join(body)
        + "</svg>"
    )


def _title(title: str, body: list[str]) -> float:
    """Draw the title (wrapped) at the top; return the height it takes."""
    if not title:
        return 8
    lines = wrap_label(title, int(WIDTH / (13 * CHAR_WIDTH)) - 2).split("\n")
    body.append(_text(WIDTH / 2, 18, lines, size=13, anchor="middle"))
    return 18 + 13 * LINE * (len(lines) - 1) + 14


def _clean(values: Sequence[float]) -> list[float]:
    return [float(v) if v is not None and math.isfinite(float(v)) else 0.0 for v in values]


@_drawn_once
def bar_chart_svg(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str = "",
    horizontal: bool = True,
    color: str = COLOURS["bar"],
    number_format: Callable[[float], str] | None = None,
) -> str:
    """A bar chart of ``values`` by ``labels`` as an inline SVG string, each bar with its
    value. Labels wrap; ``number_format`` formats the numbers (default: the active
    language's)."""
    fmt = number_format or local_number
    values = _clean(values)
    title = clean_line(title)
    body: list[str] = []
    top = _title(title, body)
    ticks = _ticks(max(values, default=0))
    high = ticks[-1] or 1
    size = 11
    if horizontal:
        wrapped = [wrap_label(clean_line(str(label))).split("\n") for label in labels]
        label_width = min(max((_text_width(line, size) for lines in wrapped for line in lines), default=0) + 10, 260)
        left, right = 8 + label_width, WIDTH - 16 - _text_width(fmt(high), size)
        rows = [max(24, size * LINE * len(lines) + 8) for lines in wrapped]
        axis = top + sum(rows) + 2
        for tick in ticks:  # grid lines first: under the bars
            x = left + (right - left) * tick / high
            body.append(_line(x, top, x, axis, COLOURS["grid"]))
            body.append(_text(x, axis + 14, [fmt(tick)], size=size - 2, anchor="middle"))
        y = top
        for lines, value, row in zip(wrapped, values, rows, strict=False):
            length = (right - left) * value / high
            middle = y + row / 2
            first = middle - size * LINE * (len(lines) - 1) / 2 + size * 0.35
            body.append(_text(left - 6, first, lines, size=size, anchor="end"))
            body.append(_rect(left, y + 4, length, row - 8, color))
            body.append(_text(left + length + 4, middle + size * 0.35, [fmt(value)], size=size - 1))
            y += row
        body.append(_line(left, top, left, axis, COLOURS["axis"]))
        return _svg(axis + 24, body, title)
    wrapped = [wrap_label(clean_line(str(label)), 18).split("\n") for label in labels]
    return _columns(body, top, wrapped, [(values, color, "")], ticks, fmt, title)


def _columns(
    body: list[str],
    top: float,
    wrapped: list[list[str]],
    series: list[tuple[list[float], str, str]],
    ticks: list[float],
    fmt: Callable[[float], str],
    title: str,
) -> str:
    """Vertical bars, one group per label and one bar per series, with a legend when the
    series are named."""
    size = 11
    high = ticks[-1] or 1
    named = [s for s in series if s[2]]
    if named:
        x = WIDTH - 12
        for _values, colour, name in reversed(named):
            width = _text_width(name, size - 1)
            x -= width
            body.append(_text(x, top + 10, [name], size=size - 1))
            x -= 16
            body.append(_rect(x, top + 1, 12, 12, colour))
            x -= 14
        top += 22
    left = 12 + max(_text_width(fmt(t), size - 2) for t in ticks)
    plot = 200
    bottom = top + plot
    lines_below = max((len(lines) for lines in wrapped), default=1)
    group = (WIDTH - left - 8) / max(len(wrapped), 1)
    bar = min(48, group * 0.8 / len(series))
    for tick in ticks:
        y = bottom - plot * tick / high
        body.append(_line(left, y, WIDTH - 8, y, COLOURS["grid"]))
        body.append(_text(left - 4, y + 4, [fmt(tick)], size=size - 2, anchor="end"))
    for index, lines in enumerate(wrapped):
        centre = left + group * (index + 0.5)
        start = centre - bar * len(series) / 2
        for k, (values, colour, _name) in enumerate(series):
            value = values[index] if index < len(values) else 0.0
            height = plot * value / high
            x = start + k * bar
            body.append(_rect(x, bottom - height, bar - 2, height, colour))
            body.append(_text(x + bar / 2 - 1, bottom - height - 3, [fmt(value)], size=size - 2, anchor="middle"))
        body.append(_text(centre, bottom + 15, lines, size=size - 2, anchor="middle"))
    body.append(_line(left, bottom, WIDTH - 8, bottom, COLOURS["axis"]))
    height = bottom + 15 + (size - 2) * LINE * lines_below + 6
    return _svg(height, body, title)


@_drawn_once
def paired_bar_chart_svg(
    labels: Sequence[str],
    before: Sequence[float],
    after: Sequence[float],
    *,
    before_label: str,
    after_label: str,
    title: str = "",
    number_format: Callable[[float], str] | None = None,
) -> str:
    """Side-by-side bars (e.g. pre/post training means) as an inline SVG string, each bar
    with its value. Labels wrap; ``number_format`` formats the numbers."""
    fmt = number_format or local_number
    before, after = _clean(before), _clean(after)
    title = clean_line(title)
    body: list[str] = []
    top = _title(title, body)
    ticks = _ticks(max([*before, *after], default=0))
    wrapped = [wrap_label(clean_line(str(label)), 18).split("\n") for label in labels]
    series = [
        (before, COLOURS["before"], clean_line(str(before_label))),
        (after, COLOURS["bar"], clean_line(str(after_label))),
    ]
    return _columns(body, top, wrapped, series, ticks, fmt, title)
