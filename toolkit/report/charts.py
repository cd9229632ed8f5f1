"""Charts as inline SVG, drawn by matplotlib when the report is written: the page loads nothing from anywhere.

Values are counted into fixed bins as they stream past (`Histogram`), so a chart costs the same memory for a
hundred documents or ten million. The SVG is deterministic: fixed ids (`svg.hashsalt`), no date, and text
left as text (`svg.fonttype = none`: smaller, and the browser's fonts draw it).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # matplotlib takes a second to import: only when a chart is drawn
    from matplotlib.axes import Axes

__all__ = ["Histogram", "bar_chart", "histogram_chart"]

FIGURE_INCHES = (5.2, 2.6)
FIGURE_MARGINS = {"left": 0.135, "right": 0.98, "bottom": 0.17, "top": 0.9}  # fractions of the figure
# (colour, line width): before in wide grey, after in narrow blue on top, so that both show where they coincide.
SERIES_STYLES = (("#a3a9b1", 3.2), ("#1f6fb2", 1.4))
MINOR_LABELS_UP_TO_DECADES = 2.5  # a log axis spanning more has its minor ticks unlabelled
LOG_SCALE_ABOVE = 1000  # non-negative values reaching past this (lengths, counts) are binned by powers of ten


@dataclass
class Histogram:
    """Counts of values in fixed bins; a value outside the edges counts in the nearest end bin, NaN nowhere.

    >>> h = Histogram.linear(0.0, 1.0, bins=4)
    >>> h.add([0.1, 0.3, 0.3, 1.0, 7.0, float("nan")]); h.counts.tolist()
    [1, 2, 0, 2]
    """

    edges: np.ndarray
    counts: np.ndarray
    log_scale: bool = False

    @classmethod
    def linear(cls, low: float, high: float, bins: int = 20) -> Histogram:
        if high <= low:  # a single value: one bin around it
            low, high = low - 0.5, high + 0.5
        return cls(np.linspace(low, high, bins + 1), np.zeros(bins, dtype=np.int64))

    @classmethod
    def logarithmic(cls, decades: int = 7, bins_per_decade: int = 4) -> Histogram:
        """Bins from 1 to 10**decades, even on a log scale (0 counts in the first bin)."""
        edges = np.logspace(0, decades, decades * bins_per_decade + 1)
        return cls(edges, np.zeros(len(edges) - 1, dtype=np.int64), log_scale=True)

    @classmethod
    def for_range(cls, low: float, high: float) -> Histogram:
        """Bins that suit values seen between `low` and `high`: powers of ten for long non-negative ranges."""
        if low >= 0 and high > LOG_SCALE_ABOVE:
            return cls.logarithmic(decades=max(1, int(np.ceil(np.log10(high)))))
        return cls.linear(low, high)

    def add(self, values: Iterable[float]) -> None:
        array = np.fromiter(values, dtype=np.float64)
        array = array[~np.isnan(array)]
        bins = np.clip(np.searchsorted(self.edges, array, side="right") - 1, 0, len(self.counts) - 1)
        np.add.at(self.counts, bins, 1)

    @property
    def total(self) -> int:
        return int(self.counts.sum())


def histogram_chart(title: str, xlabel: str, series: Mapping[str, Histogram]) -> str:
    """One SVG with each histogram drawn as a step line (all share their edges), empty end bins left out."""
    first = next(iter(series.values()))
    used = np.flatnonzero(np.sum([h.counts for h in series.values()], axis=0))
    low, high = (used[0], used[-1] + 1) if used.size else (0, len(first.counts))

    def draw(axes: Axes) -> None:
        for (label, histogram), (colour, width) in zip(series.items(), SERIES_STYLES[-len(series) :], strict=True):
            axes.stairs(
                histogram.counts[low:high], histogram.edges[low : high + 1], label=label, color=colour, lw=width
            )
        if first.log_scale:
            from matplotlib.ticker import FuncFormatter, NullFormatter

            axes.set_xscale("log")
            axes.xaxis.set_major_formatter(FuncFormatter(_plain_number))
            decades = np.log10(first.edges[high] / first.edges[low])
            # 2 and 5 of each decade are read at a glance on a short axis; on a long one they run into each other
            minor = (
                FuncFormatter(_plain_number_at_2_and_5) if decades <= MINOR_LABELS_UP_TO_DECADES else NullFormatter()
            )
            axes.xaxis.set_minor_formatter(minor)
        if len(series) > 1:
            axes.legend(frameon=False)

    return _svg(draw, title, xlabel, "documents")


def bar_chart(title: str, xlabel: str, counts: Mapping[int, int]) -> str:
    """One SVG bar per integer key (e.g. a cluster size and how many clusters have it)."""
    keys = sorted(counts)

    def draw(axes: Axes) -> None:
        axes.bar([str(k) for k in keys], [counts[k] for k in keys], color=SERIES_STYLES[-1][0])

    return _svg(draw, title, xlabel, "clusters")


def _plain_number(value: float, position: int | None = None) -> str:
    """Tick labels of a log axis as plain numbers (2,000 rather than 2×10³).

    >>> _plain_number(20000.0), _plain_number_at_2_and_5(3000.0), _plain_number_at_2_and_5(5000.0)
    ('20,000', '', '5,000')
    """
    return f"{value:,.0f}" if value >= 1 else f"{value:g}"


def _plain_number_at_2_and_5(value: float, position: int | None = None) -> str:
    """Labels for the minor ticks 2 and 5 of each decade only, so the axis stays readable."""
    return _plain_number(value) if f"{value:.0e}"[0] in "25" else ""


def _svg(draw: Callable[[Axes], None], title: str, xlabel: str, ylabel: str) -> str:
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"svg.hashsalt": "corpus-toolkit", "svg.fonttype": "none", "font.size": 8}):
        figure = Figure(figsize=FIGURE_INCHES)
        axes = figure.subplots()
        draw(axes)
        axes.set_title(title, loc="left", fontsize=9)
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        axes.spines[["top", "right"]].set_visible(False)
        # Fixed margins that fit seven-digit counts and the labels: tight_layout measured every text twice,
        # half of a chart's time.
        figure.subplots_adjust(**FIGURE_MARGINS)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]  # inline: no XML declaration or doctype
