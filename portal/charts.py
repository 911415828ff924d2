"""Charts as SVG strings (matplotlib, no display): the same figure in pages and PDFs.

A figure is drawn once per version: the SVG is cached under a hash of everything that
goes into it (labels, values, options), so the same data never reaches matplotlib twice
and new data is a new key — nothing to invalidate by hand.
"""

from __future__ import annotations

import functools
import io
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

import matplotlib

from portal.text import clean_line

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from django.utils import formats  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

plt.rcParams["font.family"] = "DejaVu Sans"  # full Vietnamese diacritics
plt.rcParams["svg.fonttype"] = "none"  # keep text as text (searchable in PDFs)
# Labels are user text (event titles, network names): never read "$…$" as mathtext
# (a "$" in an event title broke every report).
plt.rcParams["text.parse_math"] = False


def local_number(value: float, pos: object = None) -> str:
    """A tick label in the active language's number format: "3,5" in Vietnamese."""
    text = f"{value:g}"
    return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))


def _localise(axis) -> None:  # noqa: ANN001
    axis.set_major_formatter(FuncFormatter(local_number))


def _to_svg(fig) -> str:  # noqa: ANN001
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


# Long labels wrap at word boundaries instead of being cut or overflowing the chart.
LABEL_WIDTH = 28


def wrap_label(label: str, width: int = LABEL_WIDTH) -> str:
    """``label`` on several lines of at most ``width`` characters, never cut mid-word."""
    return "\n".join(textwrap.wrap(str(label), width=width, break_long_words=False)) or str(label)


def _value_axis(axis, number_format: Callable[[float], str] | None) -> None:  # noqa: ANN001
    """Tick labels in the document's number format (e.g. "3,5" in Vietnamese)."""
    if number_format is not None:
        from matplotlib.ticker import FuncFormatter

        axis.set_major_formatter(FuncFormatter(lambda value, _pos: number_format(value)))


def _drawn_once(draw: Callable[..., str]) -> Callable[..., str]:
    """Cache the SVG ``draw`` returns under a hash of its arguments (its figure version)."""

    @functools.wraps(draw)
    def wrapper(*args: Any, **kwargs: Any) -> str:
        from portal.caching import cached, make_key

        version = repr(
            (
                [list(a) if isinstance(a, Sequence) and not isinstance(a, str) else a for a in args],
                sorted(kwargs.items()),
            )
        )
        return cached(make_key(f"chart:{draw.__name__}", version), lambda: draw(*args, **kwargs))

    return wrapper


@_drawn_once
def bar_chart_svg(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str = "",
    horizontal: bool = True,
    color: str = "#b0245a",
    number_format: Callable[[float], str] | None = None,
) -> str:
    """A bar chart of ``values`` by ``labels`` as an inline SVG string. Labels wrap;
    ``number_format`` formats the value axis (default: matplotlib's)."""
    labels = [wrap_label(clean_line(str(label))) for label in labels]
    title = clean_line(title)
    lines = sum(label.count("\n") + 1 for label in labels)
    height = max(1.6, 0.3 * lines + 0.8) if horizontal else 3.2
    fig, ax = plt.subplots(figsize=(6.4, height))
    if horizontal:
        ax.barh(list(labels)[::-1], list(values)[::-1], color=color)
        _localise(ax.xaxis)
    else:
        ax.bar(list(labels), list(values), color=color)
        _localise(ax.yaxis)
    if title:
        ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=8)
    _value_axis(ax.xaxis if horizontal else ax.yaxis, number_format)
    return _to_svg(fig)


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
    """Side-by-side bars (e.g. pre/post training means) as an inline SVG string. Labels
    wrap; ``number_format`` formats the value axis."""
    import numpy as np

    labels = [wrap_label(clean_line(str(label)), 18) for label in labels]
    title = clean_line(title)
    x = np.arange(len(labels))
    fig, ax = plt.subplots(figsize=(6.4, 3.2 + 0.15 * max((label.count("\n") for label in labels), default=0)))
    ax.bar(x - 0.2, list(before), 0.4, label=before_label, color="#c9a3b3")
    ax.bar(x + 0.2, list(after), 0.4, label=after_label, color="#b0245a")
    ax.set_xticks(x, list(labels), fontsize=8)
    _value_axis(ax.yaxis, number_format)
    ax.legend(fontsize=8)
    _localise(ax.yaxis)
    if title:
        ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return _to_svg(fig)
