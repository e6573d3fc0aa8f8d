"""A finished sweep beside the live run: its league table (with each point's return on the
programme's cost, when the runs carry the economics), its success-rate figure, and where the
live run's configuration sits in it.

Everything statistical comes from ``analysis``: the loader and its checks
(``load_results``), the league table and Wilson intervals (``analysis.stats``) and the
report's success-rate figure; this module only arranges them for the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.economics import ROI
from analysis.figures import figure_png, success_rate_figure
from analysis.findings import percent, percent_interval
from analysis.measures import measure
from analysis.report import MAX_POINTS_PLOTTED
from analysis.results import LABELS, POINT, SweepResults, load_results
from analysis.stats import kpi_effects, league_table, success_rates
from dashboard.charts import DRAWING
from dashboard.levers import Settings
from experiments.seeds import point_id


@dataclass(frozen=True)
class Sweep:
    """A loaded sweep and what the dashboard shows of it."""

    results: SweepResults
    league: pd.DataFrame
    figure: bytes | None    # None when there are too many points for a legible figure
    roi: pd.DataFrame | None = None   # per point: mean return on cost and its interval

    @property
    def title(self) -> str:
        return f"{self.results.experiment or 'sweep'}: {self.results.directory}"


def load_sweep(directory: Path | str) -> Sweep:
    """Load and analyse a results directory; a ``ResultsError`` names what is wrong with it."""
    results = load_results(directory)
    figure = None
    if len(results.points) <= MAX_POINTS_PLOTTED:
        with DRAWING:
            figure = figure_png(success_rate_figure(success_rates(results.runs), results.reference))
    return Sweep(results, league_table(results.runs), figure, _roi(results))


def _roi(results: SweepResults) -> pd.DataFrame | None:
    """Each point's mean return on the programme's cost with its 95% bootstrap interval, as
    the report's economics section has it; None when the runs carry no return."""
    runs = results.runs
    if ROI not in runs.columns or runs[ROI].isna().all():
        return None
    return kpi_effects(runs, results.reference, kpis=[ROI]).set_index(POINT)


def live_point(sweep: Sweep, settings: Settings) -> str | None:
    """The sweep's point with exactly the live run's parameters, if the sweep ran it."""
    points = sweep.results.points
    hits = points.loc[points["point_id"] == point_id(settings.params.flatten()), POINT]
    return str(hits.iloc[0]) if len(hits) else None


def league_rows(sweep: Sweep, live: str | None) -> pd.DataFrame:
    """The league table as the report words it, with the reference and the live point marked,
    and each point's return on the programme's cost when the sweep has it."""
    league = sweep.league
    marks = {sweep.results.reference: " (reference)"} | ({live: " ◀ live run"} if live else {})
    rows = pd.DataFrame({
        "rank": league["rank"],
        "point": [f"{p}{marks.get(p, '')}" for p in league[POINT]],
        "runs": league["n"],
        "success [95% CI]": [percent_interval(r.rate, r.ci_low, r.ci_high)
                             for r in league.itertuples()],
        **{label.replace("_", " "): league[label].map(percent) for label in LABELS[1:]},
    })
    if sweep.roi is not None:
        roi = sweep.roi.reindex(league[POINT])
        rows["return on cost [95% CI]"] = [measure(ROI).interval(r.mean, r.ci_low, r.ci_high)
                                           for r in roi.itertuples()]
    return rows


def live_in_sweep(sweep: Sweep, settings: Settings, live: str) -> str:
    """One sentence setting the live run beside its point's statistics."""
    row = sweep.league.loc[sweep.league[POINT] == live].iloc[0]
    text = (f"The live configuration is point {live} of this sweep: it succeeded in "
            f"{percent_interval(row.rate, row.ci_low, row.ci_high)} of {row.n} runs.")
    runs = sweep.results.runs
    if "seed" in runs:
        same = runs.loc[(runs[POINT] == live) & (runs["seed"] == settings.run_seed), "label"]
        if len(same):
            text += f" The sweep ran this very run (same seed): it ended as {same.iloc[0]}."
    return text
