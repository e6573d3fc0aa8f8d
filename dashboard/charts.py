"""The live charts and the network view: matplotlib figures of one model at its current week.

Each ``*_chart(model, week)`` function reads the model's preallocated weekly arrays
(``sim.metrics``) up to ``week`` and returns a small ``Figure`` made without pyplot, so
charts can be drawn from the server's threads and nothing leaks between them. The week
is passed in, not read off the model, because ▶ steps the model in another thread while
the page draws: recorded weeks never change, so a chart of weeks ``[0, week)`` is whole.
Time runs along a fixed x-axis from week 0 to the horizon, so a chart grows as the run
is stepped.
"""

from __future__ import annotations

import io
import itertools
import threading
from collections.abc import Callable

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from analysis.figures import LABEL_COLOURS, SEGMENT_TITLES, SLIDE_STYLE
from analysis.results import SEGMENTS
from dashboard.live import LiveModel
from sim.economics import PROGRAMME_CUMULATIVE, VALUE_CUMULATIVE, payback_week
from sim.metrics import QUARTER

CHART_SIZE = (6.4, 4.4)
NETWORK_SIZE = (6.4, 4.4)
CHART_DPI = 72
MARGINS = {"left": 0.16, "right": 0.97, "bottom": 0.15, "top": 0.91}
TWIN_RIGHT = 0.85   # room for the second y-axis
#: every key the report's slide style sets, back at matplotlib's default, then the dashboard's own:
#: under Solara a style set by ``rc_context`` outlives it in the browser session (matplotlib
#: restores with ``dict.update``, past Solara's per-session settings), so each chart sets all
STYLE = {**{key: mpl.rcParamsDefault[key] for key in SLIDE_STYLE},
         "font.size": 12, "axes.titlesize": 13, "axes.titleweight": "bold",
         "axes.titlelocation": "left", "axes.grid": True, "grid.alpha": 0.3,
         "axes.spines.top": False, "axes.spines.right": False, "legend.frameon": False,
         "legend.fontsize": 9}
SEGMENT_COLOURS = dict(zip(SEGMENTS, ("#0173b2", "#de8f05", "#cc78bc"), strict=True))
PHASE_COLOURS = {"baseline": "#f2f2f2", "plan": "#dbe9f6", "build": "#c6dbef", "pilot": "#fde0c5",
                 "rollout": "#c7e9c0", "operate": "#a1d99b", "cancelled": "#fcbba1"}
OTHER_PHASE_COLOUR = "#e0e0e0"
FUNNEL = (("leads_created", "created"), ("leads_followed_up", "followed up"),
          ("leads_qualified", "qualified"), ("leads_won", "won"))

DRAWING = threading.Lock()   # held while drawing: matplotlib is not thread-safe

type Draw = Callable[[LiveModel, int], Figure]


def about(draw: Draw) -> str:
    """What a chart shows: the first sentence of its docstring."""
    text = " ".join((draw.__doc__ or "").split())
    return text.split(". ")[0].removesuffix(".") + "."


def weeks_so_far(week: int) -> str:
    """``weeks 0–12`` for the weeks recorded before ``week``; ``week 0``; ``no week yet``."""
    if week == 0:
        return "no week yet"
    return "week 0" if week == 1 else f"weeks 0–{week - 1}"


def render(draw: Draw, model: LiveModel, week: int) -> bytes:
    """The chart as PNG bytes, drawn in ``STYLE`` while holding ``DRAWING``.

    matplotlib is not thread-safe, and the page draws from more than one thread (▶ steps
    and redraws in its own; a click redraws in the server's), so drawing takes turns.
    """
    with DRAWING, mpl.rc_context(STYLE):
        figure = draw(model, week)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=CHART_DPI)
        return buffer.getvalue()


def _series(model: LiveModel, name: str, week: int) -> np.ndarray:
    return model.weekly[name][:week]


def _axes(size: tuple[float, float] = CHART_SIZE, **margins: float) -> Axes:
    """One axes with fixed margins (automatic layout would double the drawing time)."""
    figure = Figure(figsize=size)
    figure.subplots_adjust(**(MARGINS | margins))
    return figure.subplots()


def _time_axes(model: LiveModel, title: str, **margins: float) -> Axes:
    ax = _axes(**margins)
    ax.set(title=title, xlabel="week", xlim=(0, model.params.horizon_weeks))
    return ax


def adoption_chart(model: LiveModel, week: int) -> Figure:
    """Adoption per tech-affinity segment, and the genuine users the success label counts."""
    ax = _time_axes(model, "Adoption by tech-affinity segment")
    weeks = np.arange(week)
    for segment in SEGMENTS:
        ax.plot(weeks, _series(model, f"adoption_{segment}", week), color=SEGMENT_COLOURS[segment],
                label=SEGMENT_TITLES[segment])
    ax.plot(weeks, _series(model, "genuine_share", week), color="black", lw=2,
            label="genuine users (share of reps)")
    ax.axhline(model.params.labels.adoption_bar, color="0.4", ls="--", lw=1, label="success bar")
    ax.set(ylim=(0, 1), ylabel="work done in the tools")
    ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
    ax.legend(loc="upper left", ncols=2)
    return ax.figure


def phase_spans(phases: list[str]) -> list[tuple[str, int, int]]:
    """Consecutive weeks in one programme phase: ``(phase, first week, week after the last)``."""
    spans: list[tuple[str, int, int]] = []
    for week, phase in enumerate(phases):
        if spans and spans[-1][0] == phase:
            spans[-1] = (phase, spans[-1][1], week + 1)
        else:
            spans.append((phase, week, week + 1))
    return spans


def confidence_chart(model: LiveModel, week: int) -> Figure:
    """Leadership confidence against the cancellation threshold, over the programme's phases."""
    ax = _time_axes(model, "Leadership confidence and programme phase")
    for phase, start, end in phase_spans(model.weekly_phase[:week]):
        ax.axvspan(start, end, color=PHASE_COLOURS.get(phase, OTHER_PHASE_COLOUR), lw=0)
        ax.text((start + end) / 2, 0.97, phase, ha="center", va="top", fontsize=8,
                rotation=90 if end - start < 12 else 0)
    ax.plot(np.arange(week), _series(model, "confidence", week), color="black", lw=2,
            label="leadership confidence")
    ax.axhline(model.params.confidence.cancel_below, color="#d55e00", ls="--", lw=1,
               label="cancelled below")
    ax.set(ylim=(0, 1), ylabel="confidence")
    ax.legend(loc="lower left")
    return ax.figure


def funnel_chart(model: LiveModel, week: int) -> Figure:
    """Leads created by marketing and what became of them, summed over the weeks so far."""
    ax = _axes(left=0.22)
    totals = [float(_series(model, name, week).sum()) for name, _ in FUNNEL]
    positions = np.arange(len(FUNNEL))[::-1]
    bars = ax.barh(positions, totals, color="#0173b2", height=0.6)
    shares = [""] + [f" ({now / before:.0%} of {FUNNEL[i][1]})" if before else ""
                     for i, (before, now) in enumerate(itertools.pairwise(totals))]
    ax.bar_label(bars, [f"{t:,.0f}{s}" for t, s in zip(totals, shares, strict=True)],
                 padding=4, fontsize=9)
    ax.set(yticks=positions, yticklabels=[stage for _, stage in FUNNEL],
           xlim=(0, 1.45 * max(max(totals), 1.0)), xlabel="leads",
           title=f"Lead funnel, {weeks_so_far(week)}")
    ax.grid(axis="y", visible=False)
    return ax.figure


def revenue_chart(model: LiveModel, week: int) -> Figure:
    """Recurring revenue against the baseline quarter and the value bar; churn as bars."""
    ax = _time_axes(model, "Recurring revenue and churn", left=0.18, right=TWIN_RIGHT)
    weeks, revenue = np.arange(week), _series(model, "recurring_revenue", week)
    churn = ax.twinx()
    churn.stairs(_series(model, "churned", week), np.arange(week + 1), fill=True, color="#d55e00",
                 alpha=0.25)
    churn.set_ylabel("subscribers lost per week", color="#d55e00")
    churn.set_ylim(0, _count_top(_series(model, "churned", week)))
    churn.grid(visible=False)
    churn.spines["right"].set_visible(True)
    ax.set_zorder(churn.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.plot(weeks, revenue, color="#029e73", lw=2, label="recurring revenue")
    baseline_weeks = model.params.baseline_weeks
    if week >= baseline_weeks:
        base = float(revenue[:baseline_weeks].mean())
        ax.axhline(base, color="0.4", ls="--", lw=1, label="baseline quarter")
        ax.axhline(base * (1 + model.params.labels.value_margin), color="#029e73", ls=":", lw=1,
                   label="value bar")
    ax.set_ylabel("$k per year")
    ax.legend(loc="best", frameon=True, framealpha=0.8)
    return ax.figure


def money_chart(model: LiveModel, week: int) -> Figure:
    """The programme's money so far: cumulative cost, cumulative value added against the same
    company without the programme, and the net value, which crosses zero at payback."""
    ax = _time_axes(model, "Programme cost and value added")
    frame = model.weekly_frame(until=week)
    weeks = np.arange(week)
    cost = frame[PROGRAMME_CUMULATIVE].to_numpy() if week else np.zeros(0)
    value = frame[VALUE_CUMULATIVE].to_numpy() if week else np.zeros(0)
    ax.plot(weeks, cost, color="#d55e00", lw=2, label="programme cost so far")
    ax.plot(weeks, value, color="#029e73", lw=2, label="value added so far")
    ax.plot(weeks, value - cost, color="black", lw=1.5, ls="-.", label="net value")
    ax.axhline(0.0, color="0.4", ls="--", lw=1)
    if not (np.any(cost) or np.any(value)):   # the baseline quarter: nothing spent or added
        ax.set_ylim(-1.0, 1.0)
        ax.text(0.5, 0.62, "no programme spend yet", transform=ax.transAxes, ha="center",
                color="0.4")
    paid = payback_week(frame[PROGRAMME_CUMULATIVE], frame[VALUE_CUMULATIVE]) if week else None
    if paid is not None:
        ax.axvline(paid, color="#029e73", ls=":", lw=1, label=f"paid back, week {paid}")
    ax.set_ylabel("$k")
    ax.legend(loc="upper left")
    return ax.figure


def _count_top(counts: np.ndarray) -> float:
    """The top of a count axis: room above the largest count, and at least 1 (an axis of
    zeros would otherwise run from -0.04 to 0.04)."""
    return max(1.0, 1.15 * float(counts.max(initial=0.0)))


def attrition_chart(model: LiveModel, week: int) -> Figure:
    """Reps leaving: weekly quits, and the annual rate they add up to over the last quarter."""
    ax = _time_axes(model, "Rep attrition", right=TWIN_RIGHT)
    weeks, quits = np.arange(week), _series(model, "quits", week)
    counts = ax.twinx()
    counts.stairs(quits, np.arange(week + 1), fill=True, color="0.6", alpha=0.5)
    counts.set_ylabel("reps who left that week", color="0.4")
    counts.set_ylim(0, _count_top(quits))
    counts.grid(visible=False)
    counts.spines["right"].set_visible(True)
    ax.set_zorder(counts.get_zorder() + 1)
    ax.patch.set_visible(False)
    if week >= QUARTER:
        window = np.ones(QUARTER)
        left = np.convolve(quits, window, mode="valid")
        staff = np.convolve(_series(model, "headcount", week), window, mode="valid")
        ax.plot(weeks[QUARTER - 1:], 52 * left / np.maximum(staff, 1.0), color="#cc78bc", lw=2,
                label="annual rate over the last quarter")
    reference = 1 - (1 - model.params.attrition.base_quit_weekly) ** 52
    ax.axhline(reference, color="0.4", ls="--", lw=1, label="at reference pay and morale")
    ax.set(ylim=(0, max(0.6, ax.get_ylim()[1])), ylabel="reps leaving per year")
    ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
    ax.legend(loc="upper left")
    return ax.figure


def network_chart(model: LiveModel, week: int) -> Figure:
    """Reps grouped by manager team, coloured by adoption; peer ties in grey.

    Empty seats (a rep left, the seat waits) are hollow; a manager enabled as a change
    agent is a filled square, one who was not is a hollow square.
    """
    layout, force = model.layout, model.force
    ax = _axes(NETWORK_SIZE, left=0.02, right=0.98, bottom=0.02)
    ax.add_collection(LineCollection(layout.ties, colors="0.75", linewidths=0.5, zorder=1))
    seated, adoption = force.occupied.copy(), force.adoption.copy()   # ▶ may be stepping
    dots = ax.scatter(*layout.seats[seated].T, c=adoption[seated], cmap="viridis",
                      vmin=0, vmax=1, s=28, edgecolors="0.3", linewidths=0.4, zorder=3)
    ax.scatter(*layout.seats[~seated].T, facecolors="none", edgecolors="0.5", s=28, zorder=3)
    enabled = np.array([manager.enabled for manager in model.managers])
    ax.scatter(*layout.teams.T, marker="s", s=30, zorder=2, edgecolors="0.2",
               facecolors=np.where(enabled, "0.2", "white"))
    ax.figure.colorbar(dots, ax=ax, shrink=0.8, label="adoption (work done in the tools)")
    ax.set(title=f"Reps by manager team, week {week}", aspect="equal")
    ax.margins(0.08)
    ax.set_axis_off()
    return ax.figure


LIVE_CHARTS: tuple[Draw, ...] = (adoption_chart, confidence_chart, funnel_chart, revenue_chart,
                                 money_chart, attrition_chart)
LABEL_COLOURS_HEX = {label: mpl.colors.to_hex(colour) for label, colour in LABEL_COLOURS.items()}
