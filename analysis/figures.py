"""Figures for a sweep in one slide-ready style (16:9, talk-size fonts, colour-blind palette).

Each function takes a table from ``analysis.stats`` or ``analysis.results`` and
returns a ``matplotlib.figure.Figure`` built without pyplot, so nothing leaks
between figures and any backend (Agg in scripts, inline in notebooks) can show
or save it; ``figure_png`` renders one to PNG bytes. The style is defined once,
in ``SLIDE_STYLE``, and applied by ``slide_figure`` to every figure function.
Points are coloured in sweep order, so a point keeps its colour across figures, and
the per-point bar charts list points in one order, best success rate at the top.
Percentages stay on a 0–100% axis; numbers that label a mark sit beside the axes, not
past their end.
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
from analysis.measures import trait_name
from analysis.results import LABELS, POINT, SEGMENTS
from analysis.stats import success_rates
from analysis.words import NAME_PARTS, value_words

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
SEGMENT_LABEL_SHARE = 0.06  # stacked segments narrower than this carry no % label


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

    ``Typical company, silo level 0.2`` and ``Typical company, silo level 0.8`` read as
    ``silo level 0.2`` and ``silo level 0.8``; a lone point keeps its full name.
    """
    parts = {name: str(name).split(NAME_PARTS) for name in names}
    shared = set.intersection(*(set(p) for p in parts.values())) if len(names) > 1 else set()
    return {name: "\n".join([p for p in split if p not in shared] or split)
            for name, split in parts.items()}


def _marked(labels: dict[str, str], reference: str | None) -> dict[str, str]:
    """The display labels with the reference marked on a line of its own."""
    if reference in labels:
        labels[reference] += "\n(reference)"
    return labels


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


def best_first(rates: pd.DataFrame) -> list[str]:
    """Point names by success rate, best first (ties by the interval's lower end)."""
    ranked = rates.sort_values(["rate", "ci_low"], ascending=False, kind="stable")
    return [str(p) for p in ranked[POINT]]


def _error(rate: float, low: float, high: float) -> list[list[float]]:
    """Error-bar lengths in percent, never negative (0/n and n/n end exactly at the rate)."""
    return [[max(0.0, 100 * (rate - low))], [max(0.0, 100 * (high - rate))]]


@slide_figure
def success_rate_figure(rates: pd.DataFrame, reference: str) -> Figure:
    """Success rate per point with its Wilson 95% interval, best at the top, reference in grey.

    The axis runs from 0 to 100%; each point's rate, interval and runs are printed in a
    column right of the axes, so they never run past 100%.
    """
    labels = _marked(display_labels(list(rates[POINT])), reference)
    order = best_first(rates)[::-1]               # bottom to top
    rates = rates.set_index(POINT).loc[order].reset_index()
    figure = _canvas(len(rates))
    ax = figure.subplots()
    for y, row in rates.iterrows():
        colour = REFERENCE_COLOUR if row[POINT] == reference else HIGHLIGHT_COLOUR
        ax.errorbar(100 * row["rate"], y, fmt="o", color=colour, markersize=11, capsize=6,
                    xerr=_error(row["rate"], row["ci_low"], row["ci_high"]))
        ax.annotate(f"{row['rate']:.0%} [{100 * row['ci_low']:.0f}–{100 * row['ci_high']:.0f}]"
                    f"  n={row['n']}", (1.02, y), xycoords=("axes fraction", "data"),
                    va="center", fontsize="small", annotation_clip=False)
    reference_rate = rates.loc[rates[POINT] == reference, "rate"]
    if len(reference_rate):
        ax.axvline(100 * reference_rate.iloc[0], color=REFERENCE_COLOUR, linestyle="--", lw=1.5)
    ax.set(yticks=range(len(rates)), yticklabels=[labels[p] for p in rates[POINT]],
           xlim=(0, 100), ylim=(-0.6, len(rates) - 0.4), xlabel="Runs that succeed (%)",
           title="Success rate per scenario point (95% Wilson interval)")
    ax.set_xticks(range(0, 101, 20))
    ax.xaxis.set_major_formatter(PercentFormatter(100))
    return figure


@slide_figure
def failure_mode_figure(shares: pd.DataFrame, order: list[str] | None = None) -> Figure:
    """How each point's runs end: stacked shares of success and the three failure modes.

    ``order`` lists the points top to bottom (the success chart's order, ``best_first``);
    by default the rows of ``shares``. Every segment wide enough to hold it is labelled
    with its share in percent.
    """
    names = order if order is not None else [str(p) for p in shares.index]
    shares = shares.loc[names]
    figure = _canvas(len(shares))
    ax = figure.subplots()
    left = np.zeros(len(shares))
    positions = np.arange(len(shares))[::-1]
    for label in LABELS:
        values = 100 * shares[label].to_numpy(dtype=float)
        bars = ax.barh(positions, values, left=left, color=LABEL_COLOURS[label],
                       label=label.replace("_", " "), height=0.7)
        texts = [f"{v:.0f}%" if v >= 100 * SEGMENT_LABEL_SHARE else "" for v in values]
        ax.bar_label(bars, texts, label_type="center", fontsize="small",
                     color="white" if label in ("success", "stalled") else "black")
        left += values
    labels = display_labels(names)
    ax.set(yticks=positions, yticklabels=[labels[p] for p in names], xlim=(0, 100),
           xlabel="Share of runs (%)", title="How the runs end, per scenario point")
    ax.xaxis.set_major_formatter(PercentFormatter(100))
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
def success_heatmap(runs: pd.DataFrame, rows: str, columns: str,
                    row_label: str | None = None, column_label: str | None = None) -> Figure:
    """Success rate in every cell of two factors (pooled over any other factors), with its
    Wilson 95% interval and the runs behind it."""
    cells = success_rates(runs.assign(_cell=list(zip(runs[rows], runs[columns], strict=True))),
                          "_cell")
    cells[[rows, columns]] = pd.DataFrame(cells["_cell"].tolist(), index=cells.index)
    rates = 100 * cells.pivot(index=rows, columns=columns, values="rate")
    notes = cells.assign(text=[f"{100 * r.rate:.0f}%\n[{100 * r.ci_low:.0f}–{100 * r.ci_high:.0f}]"
                               f"\nn={r.n}" for r in cells.itertuples()]).pivot(
        index=rows, columns=columns, values="text").reindex_like(rates).fillna("")
    for table in (rates, notes):   # the levels in words: "closed revenue", "IT-led", "on"
        table.index = [value_words(v) for v in table.index]
        table.columns = [value_words(v) for v in table.columns]
    figure = _canvas(len(rates))
    ax = figure.subplots()
    sns.heatmap(rates, annot=notes, fmt="", cmap="viridis", vmin=0, vmax=100, ax=ax,
                linewidths=2, linecolor="white", annot_kws={"fontsize": "small"},
                cbar_kws={"label": "Runs that succeed (%)"})
    row_label, column_label = row_label or rows, column_label or columns
    ax.set(title=f"Success rate by {row_label} and {column_label} (95% interval, runs)",
           xlabel=column_label, ylabel=row_label)
    ax.tick_params(axis="y", rotation=0)
    ax.tick_params(axis="x", rotation=0 if rates.shape[1] <= 5 else 30)
    return figure


@slide_figure
def odds_ratio_forest(pairwise: pd.DataFrame, reference: str) -> Figure:
    """Odds ratio of success against the reference with 95% intervals, on a log scale."""
    labels = display_labels([*pairwise[POINT], reference])
    pairwise = pairwise.dropna(subset=["odds_ratio"]).sort_values("odds_ratio")
    pairwise = pairwise.reset_index(drop=True)
    figure = _canvas(len(pairwise))
    ax = figure.subplots()
    finite = pd.concat([pairwise["or_low"], pairwise["odds_ratio"], pairwise["or_high"]])
    finite = finite[np.isfinite(finite) & (finite > 0)]
    low = min(float(finite.min()) if len(finite) else 1.0, 1.0) / 1.5
    high = max(float(finite.max()) if len(finite) else 1.0, 1.0) * 1.5
    for y, row in pairwise.iterrows():
        # an interval reaching 0 or ∞ (no discordant pairs on one side) ends at the axis
        lo = row["or_low"] if row["or_low"] > low else low
        hi = row["or_high"] if np.isfinite(row["or_high"]) and row["or_high"] < high else high
        ax.errorbar(row["odds_ratio"], y, fmt="s", color=HIGHLIGHT_COLOUR, markersize=10,
                    capsize=6, xerr=[[max(0.0, row["odds_ratio"] - lo)],
                                     [max(0.0, hi - row["odds_ratio"])]])
        ax.annotate(ratio_interval(row["odds_ratio"], row["or_low"], row["or_high"]),
                    (1.02, y), xycoords=("axes fraction", "data"), va="center",
                    fontsize="small", annotation_clip=False)
    ax.axvline(1.0, color=REFERENCE_COLOUR, linestyle="--", lw=1.5)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.set_xlim(low, high)
    ax.annotate("reference", xy=(1.0, 1.0), xycoords=("data", "axes fraction"), xytext=(6, -6),
                textcoords="offset points", va="top", fontsize="small", color=REFERENCE_COLOUR)
    ax.set(yticks=range(len(pairwise)), yticklabels=[labels[p] for p in pairwise[POINT]],
           ylim=(-0.6, len(pairwise) - 0.4), xlabel="Odds ratio of success (log scale)",
           title="Odds of success against the reference (95% interval)")
    return figure


@slide_figure
def lead_funnel_figure(funnel: pd.DataFrame, order: list[str] | None = None,
                       reference: str | None = None) -> Figure:
    """The lead funnel per point, read left to right: leads created per run, then the share of
    the previous stage that was followed up, qualified and won.

    ``funnel``: ``analysis.stats.lead_funnel``; ``order``: the points top to bottom (the
    success chart's); ``reference`` is marked as in the success chart. The first panel
    counts leads on its own axis; the stage-to-stage panels share one 0–100% axis, so their
    bars compare across panels. Stage-to-stage shares keep the late, small stages readable,
    which shares of created leads would flatten to zero.
    """
    names = order if order is not None else _ordered(funnel)
    labels = _marked(display_labels(names), reference)
    stages = list(dict.fromkeys(funnel["stage"]))
    figure = _canvas(len(names))
    axes = figure.subplots(1, len(stages), sharey=True)
    positions = np.arange(len(names))[::-1]
    for i, (ax, stage) in enumerate(zip(axes, stages, strict=True)):
        rows = funnel[funnel["stage"] == stage].set_index(POINT).reindex(names)
        values = rows["mean"] if i == 0 else 100 * rows["conversion"]
        bars = ax.barh(positions, values, color=HIGHLIGHT_COLOUR, height=0.7)
        ax.bar_label(bars, fmt="{:,.0f}" if i == 0 else "{:.1f}%", padding=4, fontsize="small")
        ax.set_title(f"{stage.capitalize()}\nleads per run" if i == 0
                     else f"{stage.capitalize()}\n% of {stages[i - 1]}", fontsize="small")
        if i == 0:
            ax.set_xlim(0, 1.45 * max(float(values.max()), 1.0))
        else:
            ax.set_xlim(0, 100)
            ax.set_xticks([0, 50, 100])
            ax.xaxis.set_major_formatter(PercentFormatter(100))
        ax.tick_params(axis="x", labelsize="x-small")
        ax.grid(axis="y", visible=False)
    axes[0].set(yticks=positions, yticklabels=[labels[n] for n in names])
    figure.suptitle("Lead funnel per scenario point", fontweight="bold", x=0.01, ha="left")
    return figure


@slide_figure
def trait_figure(terciles: pd.DataFrame, order: list[str]) -> Figure:
    """Success per third of each company trait, one line per point, with Wilson intervals.

    ``terciles``: ``analysis.luck.tercile_table``. One panel per trait on a shared
    0–100% axis: a steep line is a trait that decides success whatever the levers.
    """
    traits = list(dict.fromkeys(terciles["trait"]))
    columns, extra = _legend_layout(list(display_labels(order).values()))
    figure = _canvas(extra_height=extra)
    axes = figure.subplots(1, len(traits), sharey=True, squeeze=False)[0]
    colours, labels = point_colours(order), display_labels(order)
    for ax, trait in zip(axes, traits, strict=True):
        part = terciles[terciles["trait"] == trait]
        thirds = list(dict.fromkeys(part["tercile"]))
        for name in order:
            rows = part[part[POINT] == name].set_index("tercile").reindex(thirds)
            x = np.arange(len(thirds))
            ax.errorbar(x, 100 * rows["rate"], yerr=[
                np.maximum(0, 100 * (rows["rate"] - rows["ci_low"])),
                np.maximum(0, 100 * (rows["ci_high"] - rows["rate"]))],
                marker="o", capsize=4, color=colours[name], label=labels[name])
        ax.set_xticks(range(len(thirds)), [t.replace(" third", "") for t in thirds])
        ax.set(title=f"Company {trait_name(trait)}", xlabel="third of all runs",
               ylim=(0, 100))
        ax.yaxis.set_major_formatter(PercentFormatter(100))
    axes[0].set_ylabel("Runs that succeed (%)")
    figure.suptitle("Success by company trait (95% interval)", fontweight="bold", x=0.01,
                    ha="left")
    handles, names = axes[0].get_legend_handles_labels()
    figure.legend(handles, names, loc="outside lower center", ncols=columns, fontsize="small")
    return figure


@slide_figure
def roi_figure(roi: pd.DataFrame, reference: str, order: list[str]) -> Figure:
    """Mean return on the programme's cost per point with its 95% interval, the success
    chart's order top to bottom, break-even marked; values printed right of the axes.

    ``roi``: ``analysis.stats.kpi_effects`` rows for ``roi`` (``point``, ``mean``,
    ``ci_low``, ``ci_high``, ``n``).
    """
    rows = roi.set_index(POINT).reindex([p for p in order if p in set(roi[POINT])][::-1])
    labels = _marked(display_labels(list(rows.index)), reference)
    figure = _canvas(len(rows))
    ax = figure.subplots()
    for y, (name, row) in enumerate(rows.iterrows()):
        colour = REFERENCE_COLOUR if name == reference else HIGHLIGHT_COLOUR
        ax.errorbar(100 * row["mean"], y, fmt="o", color=colour, markersize=11, capsize=6,
                    xerr=[[max(0.0, 100 * (row["mean"] - row["ci_low"]))],
                          [max(0.0, 100 * (row["ci_high"] - row["mean"]))]])
        ax.annotate(f"{row['mean']:+.0%} [{100 * row['ci_low']:+.0f} to "
                    f"{100 * row['ci_high']:+.0f}]  n={int(row['n'])}", (1.02, y),
                    xycoords=("axes fraction", "data"), va="center", fontsize="small",
                    annotation_clip=False)
    ax.axvline(0.0, color=REFERENCE_COLOUR, linestyle="--", lw=1.5)
    ax.annotate("break-even", xy=(0.0, 1.0), xycoords=("data", "axes fraction"),
                xytext=(6, -6), textcoords="offset points", va="top", fontsize="small",
                color=REFERENCE_COLOUR)
    ends = 100 * np.concatenate([[0.0], rows["ci_low"].dropna(), rows["ci_high"].dropna(),
                                 rows["mean"].dropna()])
    pad = max(5.0, 0.08 * float(np.ptp(ends)))
    ax.set(yticks=range(len(rows)), yticklabels=[labels[p] for p in rows.index],
           ylim=(-0.6, len(rows) - 0.4), xlim=(float(ends.min()) - pad, float(ends.max()) + pad),
           xlabel="Return on the programme's cost (%)",
           title="Return on investment per scenario point (mean, 95% interval)")
    ax.xaxis.set_major_formatter(PercentFormatter(100))
    return figure


@slide_figure
def payback_figure(net: pd.DataFrame, paid: pd.DataFrame) -> Figure:
    """Payback over time per point: the mean cumulative net value (value added less programme
    cost, $k) with its 95% interval, and the share of runs that have paid back by each week.

    ``net``: ``analysis.results.weekly_summary`` rows for ``net_value_cumulative``;
    ``paid``: ``analysis.economics.payback_curves``.
    """
    names = _ordered(net)
    colours, labels = point_colours(names), display_labels(names)
    columns, extra = _legend_layout(list(labels.values()))
    figure = _canvas(extra_height=extra)
    money, share = figure.subplots(1, 2)   # money and shares: no shared axis
    for name in names:
        series = net[net[POINT] == name].sort_values("week")
        money.plot(series["week"], series["mean"], color=colours[name], lw=2.5,
                   label=labels[name])
        money.fill_between(series["week"], series["low"], series["high"], color=colours[name],
                           alpha=0.2, lw=0)
        curve = paid[paid[POINT] == name]
        share.step(curve["week"], 100 * curve["share"], where="post", color=colours[name], lw=2.5)
    money.axhline(0.0, color=REFERENCE_COLOUR, linestyle="--", lw=1.5)
    weeks = (0, max(float(net["week"].max()), 1.0))
    money.set(xlabel="Week", ylabel="Cumulative net value ($k)", xlim=weeks,
              title="Value added less programme cost")
    share.set(xlabel="Week", ylabel="Runs paid back (%)", ylim=(0, 100), xlim=weeks,
              title="Share of runs that have paid back")
    share.yaxis.set_major_formatter(PercentFormatter(100))
    figure.legend(*money.get_legend_handles_labels(), loc="outside lower center", ncols=columns,
                  fontsize="small")
    return figure
