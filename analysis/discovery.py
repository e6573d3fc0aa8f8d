"""Scenario discovery: the lever settings where a transformation is likely to succeed.

Scenario discovery (Bryant & Lempert 2010) looks for a few simple, readable regions of
the lever space — boxes, conjunctions of ``low ≤ x ≤ high`` and ``x in {…}`` rules —
where the outcome of interest is concentrated. Two numbers judge a box: **density**,
the success rate of the runs inside it, and **coverage**, the share of all successes
that fall inside it.

The field's own tools do the work (``ema_workbench``):

- **PRIM** (``ema_workbench.analysis.prim.Prim``, Friedman & Fisher 1999) peels the
  lever space run by run; numeric levers are cut at quantiles, categorical ones
  (policies, switches, scenario files) lose whole categories. On each box's peeling
  trajectory the report takes the box that best balances coverage and density (their
  harmonic mean) among those whose density reaches the threshold, or the densest one
  when none does; ``Prim.find_box`` is called again for further boxes on the runs left.
  Every box keeps at least ``min_share`` of the runs (PRIM's ``mass_min``), so it cannot
  be fitted to a handful of lucky runs.
- **Feature scoring** (``ema_workbench.analysis.feature_scoring.get_ex_feature_scores``,
  extra trees, seeded): each lever's share of the forest's impurity reduction — which
  levers matter for success at all, categorical ones included.

Each box's success rate carries a Wilson 95% interval over its runs. The densities are
in-sample (the box was chosen on these same runs), so they are optimistic: confirm a box
with a fresh sweep inside it. Unit of analysis: the run (PRIM's "experiments").

``python -m analysis.discovery DIR --threshold 0.5`` prints the rules;
``report_section(DIR)`` gives the report's Markdown and HTML.
"""

from __future__ import annotations

import argparse
import html
import math
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from statsmodels.stats.proportion import proportion_confint

from analysis.figures import HIGHLIGHT_COLOUR, SLIDE_SIZE, slide_figure
from analysis.results import SweepResults, load_results
from analysis.sensitivity import SUCCESS, embedded_png
from analysis.words import key_words, value_words
from sim.errors import ConfigError

DEFAULT_THRESHOLD = 0.5
DEFAULT_MIN_SHARE = 0.05
DEFAULT_BOXES = 2
PEEL_ALPHA = 0.05
SCENARIO_LEVER = "scenario file"  # ema_workbench drops a column named "scenario"
SEED = 0


def short_name(key: str) -> str:
    """A parameter as runs.parquet and the rules name it: without Hydra's ``model.``."""
    return key.removeprefix("model.")


@dataclass(frozen=True)
class Condition:
    """One restriction of a box: ``low ≤ value ≤ high`` (numeric) or ``value in choices``."""

    factor: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None
    quasi_p: float | None = None   # PRIM's quasi-p-value of the restriction

    def holds(self, values: pd.Series) -> np.ndarray:
        if self.choices is not None:
            return values.astype(str).isin(self.choices).to_numpy()
        inside = np.ones(len(values), dtype=bool)
        if self.low is not None:
            inside &= values.to_numpy(dtype=float) >= self.low
        if self.high is not None:
            inside &= values.to_numpy(dtype=float) <= self.high
        return inside

    def text(self) -> str:
        name = key_words(self.factor) if self.factor != SCENARIO_LEVER else SCENARIO_LEVER
        if self.choices is not None:
            return f"{name} is " + " or ".join(value_words(c) for c in self.choices)
        if self.low is not None and self.high is not None:
            return f"{self.low:.3g} ≤ {name} ≤ {self.high:.3g}"
        if self.high is not None:
            return f"{name} ≤ {self.high:.3g}"
        return f"{name} ≥ {self.low:.3g}"


@dataclass(frozen=True)
class Box:
    """A region of the levers with its success rate, interval, coverage and size."""

    conditions: tuple[Condition, ...]
    points: int
    runs: int
    successes: int
    density: float
    ci_low: float
    ci_high: float
    coverage: float

    def rule(self) -> str:
        """The box as one readable line, e.g. ``silo level ≤ 0.35 → success 58% [52–64] …``."""
        where = " and ".join(c.text() for c in self.conditions) or "anywhere in the swept ranges"
        interval = f"[{100 * self.ci_low:.0f}–{self.ci_high:.0%}]"
        return (f"{where} → success {self.density:.0%} {interval}, "
                f"covers {self.coverage:.0%} of successes ({self.runs} runs, {self.points} points)")

    def as_dict(self) -> dict[str, Any]:
        """Plain data: the rule text, its conditions and its numbers."""
        return {"rule": self.rule(),
                "conditions": [{"factor": c.factor, "low": c.low, "high": c.high,
                                "choices": list(c.choices) if c.choices else None,
                                "quasi_p": c.quasi_p} for c in self.conditions],
                "points": self.points, "runs": self.runs, "successes": self.successes,
                "density": self.density, "ci_low": self.ci_low, "ci_high": self.ci_high,
                "coverage": self.coverage}


@dataclass
class Discovery:
    """The boxes that clear the threshold, the most favourable box, and the lever scores."""

    factors: list[str]
    threshold: float
    runs: int
    successes: int
    boxes: list[Box]
    best_box: Box
    scores: pd.Series            # feature score per lever, largest first
    ranges: dict[str, tuple[float, float]]

    def to_frame(self) -> pd.DataFrame:
        """One row per box: rule, density with its interval, coverage, runs, points."""
        columns = ["rule", "density", "ci_low", "ci_high", "coverage", "runs", "points"]
        return pd.DataFrame([box.as_dict() for box in self.boxes], columns=columns)


# ---------------------------------------------------------------------- inputs


def lever_table(results: SweepResults) -> pd.DataFrame:
    """The swept levers per run, as PRIM reads them: numbers as floats, the rest as categories.

    The levers are the design's factors and the keys swept beside them (a policy swept as
    a grid over a Latin hypercube is a lever too), plus the scenario file when several
    were run. Booleans and text become categorical; a lever with one value is left out
    (there is nothing to split).
    """
    design = results.design
    factors = list(design.get("factors") or {}) if isinstance(design, dict) else []
    keys = [*factors, *results.swept]
    runs, columns = results.runs, {}
    for key in dict.fromkeys(short_name(str(k)) for k in keys):
        if key not in runs.columns or runs[key].nunique(dropna=False) < 2:
            continue
        values = runs[key]
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        columns[key] = values.astype(float) if numeric else \
            values.map(value_words).astype("category")
    if runs["scenario"].nunique() > 1:
        columns[SCENARIO_LEVER] = runs["scenario"].astype(str).astype("category")
    if not columns:
        raise ConfigError("sweep.json:swept", keys,
                          "at least one swept lever with two or more values (a design, a grid "
                          "or several scenarios)")
    return pd.DataFrame(columns).reset_index(drop=True)


# ---------------------------------------------------------------------- boxes


def _conditions(box: Any, index: int, initial: pd.DataFrame) -> list[Condition]:
    """The restrictions of a PRIM box at one step of its trajectory (``box_lims[index]``)."""
    limits, p_values = box.box_lims[index], box.p_values[index]
    conditions = []
    for column in limits.columns:
        now, start = limits[column], initial[column]
        quasi = [p for p in p_values.get(column, []) if p is not None and p >= 0]
        quasi_p = float(max(quasi)) if quasi else None
        if isinstance(now.iloc[0], set):
            if now.iloc[0] != start.iloc[0]:
                conditions.append(Condition(column, choices=tuple(sorted(map(str, now.iloc[0]))),
                                            quasi_p=quasi_p))
            continue
        low = float(now.iloc[0]) if now.iloc[0] > start.iloc[0] else None
        high = float(now.iloc[1]) if now.iloc[1] < start.iloc[1] else None
        if low is not None or high is not None:
            conditions.append(Condition(column, low, high, quasi_p=quasi_p))
    return conditions


def box_stats(conditions: list[Condition], x: pd.DataFrame, y: np.ndarray,
              point_ids: np.ndarray) -> Box:
    """Density with a Wilson 95% interval and coverage of the runs inside the conditions."""
    inside = np.ones(len(x), dtype=bool)
    for condition in conditions:
        inside &= condition.holds(x[condition.factor])
    runs, hits, total = int(inside.sum()), int(y[inside].sum()), int(y.sum())
    low, high = proportion_confint(hits, runs, alpha=0.05, method="wilson") if runs else (0, 0)
    return Box(tuple(conditions), len(set(point_ids[inside])), runs, hits,
               hits / runs if runs else 0.0, float(low), float(high),
               hits / total if total else 0.0)


def _choose(trajectory: pd.DataFrame, threshold: float) -> tuple[int, bool]:
    """The trajectory step to report, and whether it reaches the threshold.

    Among the steps whose density reaches ``threshold``, the best balance of coverage and
    density (their harmonic mean); if none reaches it, the densest step.
    """
    balance = 2 * trajectory["coverage"] * trajectory["density"] / (
        trajectory["coverage"] + trajectory["density"]).replace(0, np.nan)
    passing = trajectory["density"] >= threshold
    if passing.any():
        return int(balance[passing].idxmax()), True
    return int(trajectory["density"].idxmax()), False


def discover(x: pd.DataFrame, y: np.ndarray, threshold: float = DEFAULT_THRESHOLD,
             min_share: float = DEFAULT_MIN_SHARE, max_boxes: int = DEFAULT_BOXES,
             point_ids: np.ndarray | None = None,
             ranges: dict[str, tuple[float, float]] | None = None) -> Discovery:
    """PRIM boxes of the lever space where the success rate reaches ``threshold``."""
    if not 0.0 < threshold < 1.0:
        raise ConfigError("threshold", threshold, "a success rate strictly between 0 and 1")
    if not 0.0 < min_share <= 0.5:
        raise ConfigError("min_share", min_share, "a share of runs in (0, 0.5]")
    if max_boxes < 1:
        raise ConfigError("max_boxes", max_boxes, "at least 1 box")
    y = np.asarray(y, dtype=bool)
    ids = np.arange(len(x)) if point_ids is None else np.asarray(point_ids)
    if len(x) < 2 or len(set(ids)) < 2:
        raise ConfigError("runs.parquet", len(set(ids)), "at least 2 lever settings to compare")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # ema_workbench's notices of optional extras
        from ema_workbench.analysis import prim  # deferred: it takes seconds to import

        finder = prim.Prim(x, y.copy(), mass_min=min_share, peel_alpha=PEEL_ALPHA)
        boxes, best = [], None
        for _ in range(max_boxes if y.any() else 0):
            found = finder.find_box()
            if found is None:
                break
            index, passes = _choose(found.peeling_trajectory, threshold)
            stats = box_stats(_conditions(found, index, finder.box_init), x, y, ids)
            best = stats if best is None or stats.density > best.density else best
            if not passes:
                break
            boxes.append(stats)
    if best is None:
        best = box_stats([], x, y, ids)
    observed = {c: (float(x[c].min()), float(x[c].max())) for c in x.columns
                if pd.api.types.is_numeric_dtype(x[c])}
    return Discovery(list(x.columns), threshold, len(x), int(y.sum()),
                     sorted(boxes, key=lambda b: b.density, reverse=True), best,
                     feature_scores(x, y), {**observed, **(ranges or {})})


def feature_scores(x: pd.DataFrame, y: np.ndarray) -> pd.Series:
    """Each lever's extra-trees feature score for success (ema_workbench), largest first."""
    if y.all() or not y.any():
        return pd.Series(0.0, index=list(x.columns))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import feature_scoring

        scores, _ = feature_scoring.get_ex_feature_scores(x, y.astype(int), random_state=SEED)
    return scores.iloc[:, 0].sort_values(ascending=False)


def discover_sweep(results_dir: Path, threshold: float = DEFAULT_THRESHOLD,
                   min_share: float = DEFAULT_MIN_SHARE,
                   max_boxes: int = DEFAULT_BOXES) -> Discovery:
    """Scenario discovery on a finished sweep directory (any sweep with swept levers)."""
    return results_discovery(load_results(Path(results_dir)), threshold, min_share, max_boxes)


def results_discovery(results: SweepResults, threshold: float = DEFAULT_THRESHOLD,
                      min_share: float = DEFAULT_MIN_SHARE,
                      max_boxes: int = DEFAULT_BOXES) -> Discovery:
    """Scenario discovery on loaded results; a design's factor ranges bound the figure."""
    x = lever_table(results)
    bounds = results.design.get("factors") if isinstance(results.design, dict) else None
    ranges = {short_name(str(key)): (float(value[0]), float(value[1]))
              for key, value in (bounds.items() if isinstance(bounds, dict) else [])
              if short_name(str(key)) in x.columns and isinstance(value, list) and len(value) == 2}
    return discover(x, results.runs[SUCCESS].to_numpy(), threshold, min_share, max_boxes,
                    results.runs["point_id"].to_numpy(), ranges)


# ----------------------------------------------------------------------- output


def format_console(found: Discovery) -> str:
    """The rules as plain text, densest box first, then the levers by feature score."""
    overall = found.successes / found.runs if found.runs else 0.0
    levers = (", ".join(map(key_words, found.factors)) if len(found.factors) <= 4
              else f"{len(found.factors)} levers")
    lines = [f"scenario discovery (PRIM) over {levers}: {found.runs} runs, overall success "
             f"{overall:.0%}; boxes with success ≥ {found.threshold:.0%}:"]
    lines += [f"  {box.rule()}" for box in found.boxes]
    if not found.successes:
        lines.append("  none: no run succeeded, so there is no region to find")
    elif not found.boxes:
        lines.append(f"  none; the most favourable region: {found.best_box.rule()}")
    ranked = ", ".join(f"{key_words(name)} {score:.2f}" for name, score in
                       found.scores.head(6).items())
    lines.append(f"  levers by feature score (extra trees): {ranked}")
    lines.append("note: densities are in-sample (boxes fitted on these runs): "
                 "confirm a box with a fresh sweep inside it")
    return "\n".join(lines)


def pair_for(found: Discovery) -> list[str]:
    """The two numeric levers to draw: those the shown box restricts, then by feature score."""
    box = found.boxes[0] if found.boxes else found.best_box
    numeric = [f for f in found.scores.index if f in found.ranges]
    used = [c.factor for c in box.conditions if c.factor in found.ranges]
    return list(dict.fromkeys(used + numeric))[:2]


@slide_figure
def scores_figure(found: Discovery) -> Figure:
    """Feature scores of the levers, largest at the top."""
    scores = found.scores.sort_values()
    fig = Figure(figsize=(SLIDE_SIZE[0], max(SLIDE_SIZE[1] * 0.7, 1.5 + 0.45 * len(scores))),
                 layout="constrained")
    ax = fig.subplots()
    ax.barh([key_words(n) if n != SCENARIO_LEVER else n for n in scores.index], scores,
            color=HIGHLIGHT_COLOUR)
    ax.set(xlabel="feature score (share of the extra trees' impurity reduction)",
           xlim=(0, max(1e-9, float(scores.max())) * 1.15),
           title="Which levers matter for success (feature scoring)")
    return fig


@slide_figure
def box_figure(found: Discovery, x: pd.DataFrame, y: np.ndarray,
               point_ids: np.ndarray) -> Figure | None:
    """Lever settings coloured by success rate, with the shown box on two numeric levers."""
    pair = pair_for(found)
    if len(pair) < 2:
        return None
    box = found.boxes[0] if found.boxes else found.best_box
    frame = x[pair].assign(success=y, point=point_ids).groupby("point").agg(
        **{pair[0]: (pair[0], "first"), pair[1]: (pair[1], "first"),
           "rate": ("success", "mean"), "runs": ("success", "size")})
    others = [c for c in box.conditions if c.factor not in pair]
    inside = np.ones(len(frame), dtype=bool)
    firsts = x.assign(point=point_ids).groupby("point").first()
    for condition in others:
        inside &= condition.holds(firsts.loc[frame.index, condition.factor])
    fig = Figure(figsize=(SLIDE_SIZE[1] * 1.25, SLIDE_SIZE[1]), layout="constrained")
    ax = fig.subplots()
    dots = ax.scatter(frame[pair[0]], frame[pair[1]], c=frame["rate"], cmap="viridis", vmin=0,
                      vmax=1, s=14 + 3 * np.sqrt(frame["runs"]), edgecolor="none",
                      alpha=np.where(inside, 1.0, 0.2))
    fig.colorbar(dots, ax=ax, label="success rate per setting")
    limits = [_limits(box, found, name) for name in pair]
    ax.add_patch(Rectangle((limits[0][0], limits[1][0]), limits[0][1] - limits[0][0],
                           limits[1][1] - limits[1][0], fill=False, lw=1.6, ec="#d62728"))
    ax.set(xlabel=key_words(pair[0]), ylabel=key_words(pair[1]),
           xlim=found.ranges[pair[0]], ylim=found.ranges[pair[1]],
           title=f"success {box.density:.0%}, covers {box.coverage:.0%} of successes")
    if others:
        fig.suptitle("box also needs " + " and ".join(c.text() for c in others) + " (faded: not)",
                     fontsize="small", x=0.02, ha="left")
    return fig


def _limits(box: Box, found: Discovery, name: str) -> tuple[float, float]:
    low, high = found.ranges.get(name, (0.0, 1.0))
    for condition in box.conditions:
        if condition.factor == name:
            low = low if condition.low is None else condition.low
            high = high if condition.high is None else condition.high
    return low, high


def report_threshold(runs: pd.DataFrame) -> float:
    """The report's bar: 50%, or halfway from the overall rate to 100% when most runs succeed.

    A box is only news if it beats the sweep as a whole; with 70% overall success a
    50% bar would return nearly the whole space.
    """
    overall = float(runs[SUCCESS].mean())
    if overall < DEFAULT_THRESHOLD:
        return DEFAULT_THRESHOLD
    return min(0.95, math.ceil(20 * (1 + overall) / 2) / 20)


def report_section(results_dir: Path, threshold: float | None = None) -> tuple[str, str]:
    """The report's scenario-discovery section as (Markdown, HTML with the figures embedded)."""
    results = load_results(Path(results_dir))
    threshold = report_threshold(results.runs) if threshold is None else threshold
    found = results_discovery(results, threshold)
    text = format_console(found).splitlines()
    title = f"Scenario discovery: where success reaches {threshold:.0%}"
    md = [f"## {title}", "", text[0], "", *(f"- {line.strip()}" for line in text[1:-1]),
          "", f"> {text[-1]}"]
    items = "".join(f"<li>{html.escape(line.strip())}</li>" for line in text[1:-1])
    body = [f"<h2>{html.escape(title)}</h2>", f"<p>{html.escape(text[0])}</p>",
            f"<ul>{items}</ul>", f"<p class='note'>{html.escape(text[-1])}</p>",
            _figure_html(scores_figure(found), "feature score of each lever for success "
                                               "(extra trees, ema_workbench)")]
    drawn = box_figure(found, lever_table(results), results.runs[SUCCESS].to_numpy(),
                       results.runs["point_id"].to_numpy())
    if drawn is not None:
        body.append(_figure_html(drawn, "lever settings coloured by success rate; the red "
                                        "rectangle is the box on these two levers, and "
                                        "settings that miss its other conditions are faded"))
    return "\n".join(md) + "\n", "\n".join(body) + "\n"


def _figure_html(figure: Figure, caption: str) -> str:
    return (f"<figure><img alt='{html.escape(caption)}' "
            f"src='data:image/png;base64,{embedded_png(figure)}'>"
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def main(argv: list[str] | None = None) -> int:
    """``python -m analysis.discovery DIR --threshold 0.5``: print the discovered boxes."""
    parser = argparse.ArgumentParser(prog="python -m analysis.discovery",
                                     description="boxes of the lever space where success is likely")
    parser.add_argument("results_dir", type=Path, help="sweep directory (sweep.json, runs.parquet)")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                        help="success rate a box must reach (default 0.5)")
    parser.add_argument("--min-share", type=float, default=DEFAULT_MIN_SHARE,
                        help="least share of runs in a box (PRIM's mass_min, default 0.05)")
    parser.add_argument("--boxes", type=int, default=DEFAULT_BOXES,
                        help="most boxes to look for (default 2)")
    args = parser.parse_args(argv)
    try:
        print(format_console(discover_sweep(args.results_dir, args.threshold, args.min_share,
                                            args.boxes)))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
