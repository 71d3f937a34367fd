"""Server-rendered SVG charts (matplotlib, Agg backend). Each chart is drawn from figures the
anonymity engine has already released; the page beside it carries the same figures as a table
for screen readers."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

INK = "#1f2933"
ACCENT = "#2f6f9f"
SECOND = "#c2703d"


def _svg(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    return out.getvalue()


def _figure() -> Figure:
    fig = Figure(figsize=(6.4, 3.4))
    fig.set_facecolor("white")
    return fig


def line_over_time(
    title: str, points: Sequence[tuple[str, float]], scale: tuple[float, float]
) -> bytes:
    """A line of mean scores, one point per campaign (label, mean)."""
    fig = _figure()
    ax = fig.add_subplot()
    labels = [p[0] for p in points]
    ax.plot(range(len(points)), [p[1] for p in points], marker="o", color=ACCENT)
    ax.set_xticks(range(len(points)), labels, rotation=20, ha="right")
    ax.set_ylim(*scale)
    ax.set_ylabel("Mean score")
    ax.set_title(title, color=INK)
    ax.grid(axis="y", alpha=0.3)
    return _svg(fig)


def before_after(title: str, rows: Sequence[tuple[str, float, float, float, float]]) -> bytes:
    """Paired change per instrument: (label, before, after, ci_low, ci_high) as bars of change."""
    fig = _figure()
    ax = fig.add_subplot()
    labels = [r[0] for r in rows]
    change = [r[2] - r[1] for r in rows]
    errors = [
        [c - r[3] for c, r in zip(change, rows, strict=True)],
        [r[4] - c for c, r in zip(change, rows, strict=True)],
    ]
    ax.barh(range(len(rows)), change, xerr=errors, color=ACCENT, ecolor=INK, capsize=4)
    ax.axvline(0, color=INK, linewidth=0.8)
    ax.set_yticks(range(len(rows)), labels)
    ax.set_xlabel("Change in mean score (with 95% confidence interval)")
    ax.set_title(title, color=INK)
    return _svg(fig)


def funnel(title: str, stages: Sequence[tuple[str, int]]) -> bytes:
    fig = _figure()
    ax = fig.add_subplot()
    labels = [s[0] for s in stages]
    values = [s[1] for s in stages]
    ax.barh(range(len(stages)), values, color=SECOND)
    ax.set_yticks(range(len(stages)), labels)
    ax.invert_yaxis()
    for i, v in enumerate(values):
        ax.text(v, i, f" {v}", va="center", color=INK)
    ax.set_xlabel("People")
    ax.set_title(title, color=INK)
    return _svg(fig)


def columns(title: str, rows: Sequence[tuple[str, int]], ylabel: str) -> bytes:
    """Counts per period as upright bars (label, count), e.g. meetings held per month."""
    fig = _figure()
    ax = fig.add_subplot()
    ax.bar(range(len(rows)), [r[1] for r in rows], color=ACCENT)
    ax.set_xticks(range(len(rows)), [r[0] for r in rows], rotation=30, ha="right")
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # whole meetings only
    ax.set_title(title, color=INK)
    ax.grid(axis="y", alpha=0.3)
    return _svg(fig)


def bands(title: str, rows: Sequence[tuple[str, int]], xlabel: str) -> bytes:
    """Counts per band as bars across (label, count), e.g. goals by how far they have got."""
    fig = _figure()
    ax = fig.add_subplot()
    ax.barh(range(len(rows)), [r[1] for r in rows], color=SECOND)
    ax.set_yticks(range(len(rows)), [r[0] for r in rows])
    ax.invert_yaxis()
    for i, (_label, v) in enumerate(rows):
        ax.text(v, i, f" {v}", va="center", color=INK)
    ax.set_xlabel(xlabel)
    ax.set_title(title, color=INK)
    return _svg(fig)
