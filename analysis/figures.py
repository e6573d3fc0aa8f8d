"""Figures for a sweep in one slide-ready style (16:9, talk-size fonts, colour-blind palette).

Each function takes a table from ``analysis.stats`` or ``analysis.results`` and
returns a ``matplotlib.figure.Figure`` built without pyplot, so nothing leaks
between figures and any backend (Agg in scripts, inline in notebooks) can show
or save it; ``figure_png`` renders one to PNG bytes. The style is defined once,
in ``SLIDE_STYLE``, and applied by ``slide_figure`` to every figure function.
Points are coloured in sweep order, so a point keeps its colour across figures.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from analysis.findings import ratio_interval
from analysis.results import LABELS, POINT, SEGMENTS

SLIDE_SIZE = (12.8, 7.2)
SLIDE_DPI = 100
SLIDE_STYLE = {
    **sns.axes_style("whitegrid"),
    **sns.plotting_context("talk"),
    "figure.dpi": SLIDE_DPI,
    "savefig.dpi": SLIDE_DPI,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "legend.frameon": False,
}
_BLIND = sns.color_palette("colorblind")
LABEL_COLOURS = {"success": _BLIND[2], "stalled": _BLIND[3], "low_adoption": _BLIND[0],
                 "not_sustained": _BLIND[4]}
LEGEND_CHARACTERS = 110  # characters of small legend text across a slide
SEGMENT_TITLES = {"enthusiast": "Enthusiasts", "reluctant": "Reluctant majority",
                  "avoider": "Avoiders"}
REFERENCE_COLOUR = "0.25"
HIGHLIGHT_COLOUR = _BLIND[0]


def slide_figure[**P](build: Callable[P, Figure]) -> Callable[P, Figure]:
    """Build the figure inside ``SLIDE_STYLE`` (fonts and grids are fixed when artists are made)."""

    @functools.wraps(build)
    def styled(*args: P.args, **kwargs: P.kwargs) -> Figure:
        with mpl.rc_context(SLIDE_STYLE):
            return build(*args, **kwargs)

    return styled


def figure_png(figure: Figure) -> bytes:
    """The figure as PNG bytes at slide resolution."""
    buffer = io.BytesIO()
    with mpl.rc_context(SLIDE_STYLE):
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def point_colours(names: list[str]) -> dict[str, tuple[float, float, float]]:
    """One colour per point in sweep order (colour-blind palette up to ten points)."""
    palette = sns.color_palette("colorblind" if len(names) <= 10 else "husl", len(names))
    return dict(zip(names, palette, strict=True))


def display_labels(names: list[str]) -> dict[str, str]:
    """Point names for axes and legends: parts every point shares are dropped, one part a line.

    ``baseline | silo.level=0.2`` and ``baseline | silo.level=0.8`` read as
    ``silo.level=0.2`` and ``silo.level=0.8``; a lone point keeps its full name.
    """
    parts = {name: str(name).split(" | ") for name in names}
    shared = set.intersection(*(set(p) for p in parts.values())) if len(names) > 1 else set()
    return {name: "\n".join([p for p in split if p not in shared] or split)
            for name, split in parts.items()}


def _canvas(rows: int = 0, extra_height: float = 0.0) -> Figure:
    """A slide-sized figure, taller when there are many rows or legend lines to show."""
    height = max(SLIDE_SIZE[1], 1.6 + 0.8 * rows) + extra_height
    return Figure(figsize=(SLIDE_SIZE[0], height), layout="constrained")


def _legend_layout(labels: list[str]) -> tuple[int, float]:
    """Columns for a legend under the plot, and the height its rows add (inches)."""
    widest = max(len(line) for label in labels for line in label.split("\n"))
    columns = max(1, min(len(labels), LEGEND_CHARACTERS // (widest + 6)))
    lines = max(label.count("\n") + 1 for label in labels)
    rows = -(-len(labels) // columns)
    return columns, max(0.0, rows * lines * 0.28 - 0.8)


def _ordered(frame: pd.DataFrame) -> list[str]:
    column = frame[POINT]
    if isinstance(column.dtype, pd.CategoricalDtype):
        present = set(column)
        return [c for c in column.cat.categories if c in present]
    return list(dict.fromkeys(column))


@slide_figure
def success_rate_figure(rates: pd.DataFrame, reference: str) -> Figure:
    """Success rate per point with its Wilson 95% interval, best at the top, reference in grey."""
    labels = display_labels(list(rates[POINT]))
    if reference in labels:
        labels[reference] += "\n(reference)"
    rates = rates.sort_values("rate").reset_index(drop=True)
    figure = _canvas(len(rates))
    ax = figure.subplots()
    for y, row in rates.iterrows():
        colour = REFERENCE_COLOUR if row[POINT] == reference else HIGHLIGHT_COLOUR
        ax.errorbar(100 * row["rate"], y, fmt="o", color=colour, markersize=11, capsize=6,
                    xerr=[[100 * (row["rate"] - row["ci_low"])],
                          [100 * (row["ci_high"] - row["rate"])]])
        ax.annotate(f"{row['rate']:.0%} [{100 * row['ci_low']:.0f}–{100 * row['ci_high']:.0f}]"
                    f"  n={row['n']}", (100 * row["ci_high"], y), xytext=(10, 0),
                    textcoords="offset points", va="center", fontsize="small")
    reference_rate = rates.loc[rates[POINT] == reference, "rate"]
    if len(reference_rate):
        ax.axvline(100 * reference_rate.iloc[0], color=REFERENCE_COLOUR, linestyle="--", lw=1.5)
    ax.set(yticks=range(len(rates)), yticklabels=[labels[p] for p in rates[POINT]],
           xlim=(-2, 118), ylim=(-0.6, len(rates) - 0.4), xlabel="Runs that succeed (%)",
           title="Success rate per scenario point (95% Wilson interval)")
    ax.set_xticks(range(0, 101, 20))
    return figure


@slide_figure
def failure_mode_figure(shares: pd.DataFrame) -> Figure:
    """How each point's runs end: stacked shares of success and the three failure modes."""
    figure = _canvas(len(shares))
    ax = figure.subplots()
    left = np.zeros(len(shares))
    positions = np.arange(len(shares))[::-1]
    for label in LABELS:
        values = 100 * shares[label].to_numpy()
        ax.barh(positions, values, left=left, color=LABEL_COLOURS[label],
                label=label.replace("_", " "), height=0.7)
        left += values
    labels = display_labels(list(shares.index))
    ax.set(yticks=positions, yticklabels=[labels[p] for p in shares.index], xlim=(0, 100),
           xlabel="Share of runs (%)", title="How the runs end, per scenario point")
    ax.grid(axis="y", visible=False)
    figure.legend(ncols=len(LABELS), loc="outside lower center")
    return figure


def _bands(ax: Axes, weekly: pd.DataFrame, colours: dict[str, tuple[float, float, float]]) -> None:
    labels = display_labels(list(colours))
    for name in _ordered(weekly):
        series = weekly[weekly[POINT] == name].sort_values("week")
        ax.plot(series["week"], series["mean"], color=colours[name], lw=2.5, label=labels[name])
        ax.fill_between(series["week"], series["low"].clip(0, 1), series["high"].clip(0, 1),
                        color=colours[name], alpha=0.2, lw=0)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylim(0, 1)


def _time_canvas(names: list[str], panels: int) -> tuple[Figure, list[Axes], int]:
    """Panels side by side, with room below for a legend of the points; its column count."""
    columns, extra = _legend_layout(list(display_labels(names).values()))
    figure = _canvas(extra_height=extra)
    return figure, list(figure.subplots(1, panels, sharey=True, squeeze=False)[0]), columns


@slide_figure
def adoption_figure(weekly: pd.DataFrame) -> Figure:
    """Mean adoption per week for each point, with the 95% interval of the mean as a band.

    ``weekly``: ``analysis.results.weekly_summary`` rows for ``adoption_mean``.
    """
    names = _ordered(weekly)
    figure, (ax,), columns = _time_canvas(names, 1)
    _bands(ax, weekly, point_colours(names))
    ax.set(xlabel="Week", ylabel="Work done in the tools",
           title="Adoption over time (mean and 95% interval across runs)")
    figure.legend(loc="outside lower center", ncols=columns, fontsize="small")
    return figure


@slide_figure
def segment_adoption_figure(weekly: pd.DataFrame) -> Figure:
    """Adoption over time by tech-affinity segment (enthusiasts, reluctant, avoiders), per point.

    ``weekly``: ``weekly_summary`` rows for ``adoption_enthusiast``, ``_reluctant``, ``_avoider``.
    """
    names = _ordered(weekly)
    figure, axes, columns = _time_canvas(names, len(SEGMENTS))
    colours = point_colours(names)
    for ax, segment in zip(axes, SEGMENTS, strict=True):
        _bands(ax, weekly[weekly["metric"] == f"adoption_{segment}"], colours)
        ax.set(title=SEGMENT_TITLES[segment], xlabel="Week")
    axes[0].set_ylabel("Work done in the tools")
    figure.suptitle("Adoption by tech-affinity segment (mean and 95% interval)",
                    fontweight="bold", x=0.01, ha="left")
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncols=columns, fontsize="small")
    return figure


@slide_figure
def success_heatmap(runs: pd.DataFrame, rows: str, columns: str) -> Figure:
    """Success rate in every cell of two factors (pooled over any other factors), with n."""
    cells = runs.groupby([rows, columns], observed=True)["success"].agg(["mean", "size"])
    rates = 100 * cells["mean"].unstack(columns)
    counts = cells["size"].unstack(columns)
    notes = rates.map(lambda v: "" if pd.isna(v) else f"{v:.0f}%") + counts.map(
        lambda v: "" if pd.isna(v) else f"\nn={v:.0f}")
    figure = _canvas(len(rates))
    ax = figure.subplots()
    sns.heatmap(rates, annot=notes, fmt="", cmap="viridis", vmin=0, vmax=100, ax=ax,
                linewidths=2, linecolor="white", cbar_kws={"label": "Runs that succeed (%)"})
    ax.set(title=f"Success rate by {rows} and {columns}", xlabel=columns, ylabel=rows)
    ax.tick_params(axis="y", rotation=0)
    ax.tick_params(axis="x", rotation=0 if rates.shape[1] <= 5 else 30)
    return figure


@slide_figure
def odds_ratio_forest(pairwise: pd.DataFrame, reference: str) -> Figure:
    """Odds ratio of success against the reference with 95% intervals, on a log scale."""
    labels = display_labels([*pairwise[POINT], reference])
    pairwise = pairwise.sort_values("odds_ratio").reset_index(drop=True)
    figure = _canvas(len(pairwise))
    ax = figure.subplots()
    for y, row in pairwise.iterrows():
        ax.errorbar(row["odds_ratio"], y, fmt="s", color=HIGHLIGHT_COLOUR, markersize=10,
                    capsize=6, xerr=[[row["odds_ratio"] - row["or_low"]],
                                     [row["or_high"] - row["odds_ratio"]]])
        ax.annotate(ratio_interval(row["odds_ratio"], row["or_low"], row["or_high"]),
                    (row["or_high"], y), xytext=(10, 0), textcoords="offset points",
                    va="center", fontsize="small")
    ax.axvline(1.0, color=REFERENCE_COLOUR, linestyle="--", lw=1.5)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    low, high = pairwise["or_low"].min(), pairwise["or_high"].max()
    ax.set_xlim(min(low, 1.0) / 1.5, max(high, 1.0) * 6)
    ax.annotate("reference", xy=(1.0, 1.0), xycoords=("data", "axes fraction"), xytext=(6, -6),
                textcoords="offset points", va="top", fontsize="small", color=REFERENCE_COLOUR)
    ax.set(yticks=range(len(pairwise)), yticklabels=[labels[p] for p in pairwise[POINT]],
           ylim=(-0.6, len(pairwise) - 0.4), xlabel="Odds ratio of success (log scale)",
           title="Odds of success against the reference (95% interval)")
    return figure


@slide_figure
def lead_funnel_figure(funnel: pd.DataFrame) -> Figure:
    """The lead funnel per point, read left to right: leads created per run, then the share of
    the previous stage that was followed up, qualified and won.

    ``funnel``: ``analysis.stats.lead_funnel``. Stage-to-stage shares keep the late,
    small stages readable, which shares of created leads would flatten to zero.
    """
    names = _ordered(funnel)
    labels = display_labels(names)
    stages = list(dict.fromkeys(funnel["stage"]))
    figure = _canvas(len(names))
    axes = figure.subplots(1, len(stages), sharey=True)
    positions = np.arange(len(names))[::-1]
    for i, (ax, stage) in enumerate(zip(axes, stages, strict=True)):
        rows = funnel[funnel["stage"] == stage].set_index(POINT).reindex(names)
        values = rows["mean"] if i == 0 else 100 * rows["conversion"]
        bars = ax.barh(positions, values, color=HIGHLIGHT_COLOUR, height=0.7)
        ax.bar_label(bars, fmt="{:,.0f}" if i == 0 else "{:.1f}%", padding=4, fontsize="small")
        ax.set_title(f"{stage.capitalize()}\nper run" if i == 0
                     else f"{stage.capitalize()}\n% of {stages[i - 1]}", fontsize="small")
        ax.set_xlim(0, 1.6 * max(float(values.max()), 1e-9))
        ax.set_xticks([])
        ax.grid(visible=False)
    axes[0].set(yticks=positions, yticklabels=[labels[n] for n in names])
    figure.suptitle("Lead funnel per scenario point", fontweight="bold", x=0.01, ha="left")
    return figure
