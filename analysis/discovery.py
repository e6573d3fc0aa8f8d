"""Scenario discovery: the parameter boxes where a transformation is likely to succeed.

Scenario discovery (Bryant & Lempert 2010) looks for a few simple, readable
regions of the lever space — boxes, conjunctions of ``low < x ≤ high`` rules —
where the outcome of interest is concentrated. Two numbers judge a box:
**density**, the success rate of the runs inside it, and **coverage**, the
share of all successes that fall inside it.

The boxes here are the leaves of a shallow regression tree (scikit-learn's
``DecisionTreeRegressor``, depth ≤ 3 by default) fitted to the
replicate-averaged success rate of each design point, weighted by its
replications; sibling leaves that both clear the threshold are merged back
into their parent so each rule is as short as the data allow. A tree was
chosen over PRIM peeling because the maintained light PRIM package on PyPI is
GPL-licensed and ema_workbench pulls in an optimisation stack; a depth-limited
tree gives the same kind of axis-aligned boxes. Every leaf holds at least
``min_share`` of the runs so a box cannot be fitted to a handful of lucky runs.

Each box's success rate carries a Wilson 95% interval over its runs. The
densities are in-sample (the box was chosen on these same runs), so they are
optimistic: confirm a box with a fresh sweep inside it.

``python -m analysis.discovery DIR --threshold 0.5`` prints the rules;
``report_section(DIR)`` gives the report's Markdown and HTML.
"""

from __future__ import annotations

import argparse
import html
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from sklearn.tree import DecisionTreeRegressor
from statsmodels.stats.proportion import proportion_confint

from analysis.figures import SLIDE_SIZE, slide_figure
from analysis.results import SweepResults, load_results
from analysis.sensitivity import SUCCESS, embedded_png
from sim.errors import ConfigError

DEFAULT_THRESHOLD = 0.5
DEFAULT_MAX_DEPTH = 3
DEFAULT_MIN_SHARE = 0.05


def short_name(key: str) -> str:
    """A parameter as runs.parquet and the rules name it: without Hydra's ``model.``."""
    return key.removeprefix("model.")


@dataclass(frozen=True)
class Condition:
    """One side-bounded interval of a factor: ``low < value ≤ high`` (None = open)."""

    factor: str
    low: float | None
    high: float | None

    def holds(self, values: pd.Series) -> np.ndarray:
        inside = np.ones(len(values), dtype=bool)
        if self.low is not None:
            inside &= values.to_numpy() > self.low
        if self.high is not None:
            inside &= values.to_numpy() <= self.high
        return inside

    def text(self) -> str:
        name = short_name(self.factor)
        if self.low is not None and self.high is not None:
            return f"{self.low:.3g} < {name} ≤ {self.high:.3g}"
        if self.high is not None:
            return f"{name} ≤ {self.high:.3g}"
        return f"{name} > {self.low:.3g}"


@dataclass(frozen=True)
class Box:
    """A region of the swept factors with its success rate, interval, coverage and size."""

    conditions: tuple[Condition, ...]
    points: int
    runs: int
    successes: int
    density: float
    ci_low: float
    ci_high: float
    coverage: float

    def rule(self) -> str:
        """The box as one readable line, e.g. ``silo.level ≤ 0.35 → success 58% [52–64] …``."""
        where = " and ".join(c.text() for c in self.conditions) or "anywhere in the swept ranges"
        interval = f"[{100 * self.ci_low:.0f}–{self.ci_high:.0%}]"
        return (f"{where} → success {self.density:.0%} {interval}, "
                f"covers {self.coverage:.0%} of successes ({self.runs} runs, {self.points} points)")

    def as_dict(self) -> dict[str, Any]:
        """Plain data: the rule text, its conditions and its numbers."""
        return {"rule": self.rule(),
                "conditions": [{"factor": c.factor, "low": c.low, "high": c.high}
                               for c in self.conditions],
                "points": self.points, "runs": self.runs, "successes": self.successes,
                "density": self.density, "ci_low": self.ci_low, "ci_high": self.ci_high,
                "coverage": self.coverage}


@dataclass
class Discovery:
    """The boxes that clear the threshold (densest first) and the context to read them."""

    factors: list[str]
    threshold: float
    runs: int
    successes: int
    boxes: list[Box]
    best_leaf: Box
    importance: dict[str, float]
    ranges: dict[str, tuple[float, float]]

    def to_frame(self) -> pd.DataFrame:
        """One row per box: rule, density with its interval, coverage, runs, points."""
        columns = ["rule", "density", "ci_low", "ci_high", "coverage", "runs", "points"]
        return pd.DataFrame([box.as_dict() for box in self.boxes], columns=columns)


# ---------------------------------------------------------------------- inputs


def swept_factors(results: SweepResults) -> list[str]:
    """The continuous swept parameters: the design's factors, else the numeric swept keys.

    A factor must be a numeric (not boolean) runs column with at least two values.
    """
    design = results.design
    keys = list(design.get("factors") or {}) if isinstance(design, dict) else results.swept
    runs, columns = results.runs, []
    for key in keys:
        name = str(key).removeprefix("model.")
        values = runs[name] if name in runs.columns else None
        if (values is not None and pd.api.types.is_numeric_dtype(values)
                and not pd.api.types.is_bool_dtype(values) and values.nunique() > 1):
            columns.append(name)
    if not columns:
        raise ConfigError("sweep.json:swept", keys,
                          "at least one continuous swept parameter (a design or a numeric sweep)")
    return columns


def point_rates(runs: pd.DataFrame, factors: list[str]) -> pd.DataFrame:
    """One row per design point: factor values, runs, successes and the success rate."""
    grouped = runs.groupby("point_id", sort=False)
    points = grouped[factors].first().astype(float)
    points["runs"] = grouped.size()
    points["successes"] = grouped[SUCCESS].sum().astype(int)
    points["rate"] = points["successes"] / points["runs"]
    return points


# ---------------------------------------------------------------------- boxes


def fit_tree(points: pd.DataFrame, factors: list[str], max_depth: int,
             min_share: float) -> DecisionTreeRegressor:
    """A shallow tree of success rate on the factors, each point weighted by its runs."""
    tree = DecisionTreeRegressor(max_depth=max_depth, min_weight_fraction_leaf=min_share,
                                 random_state=0)
    return tree.fit(points[factors].to_numpy(), points["rate"].to_numpy(),
                    sample_weight=points["runs"].to_numpy())


def node_conditions(tree: DecisionTreeRegressor, factors: list[str]) -> dict[int, list[Condition]]:
    """The path conditions of every node, merged to one interval per factor."""
    structure = tree.tree_
    paths: dict[int, dict[str, tuple[float | None, float | None]]] = {0: {}}
    for node in range(structure.node_count):  # parents precede children in sklearn trees
        left, right = structure.children_left[node], structure.children_right[node]
        if left == -1:
            continue
        factor, cut = factors[structure.feature[node]], float(structure.threshold[node])
        low, high = paths[node].get(factor, (None, None))
        paths[left] = {**paths[node], factor: (low, cut if high is None else min(high, cut))}
        paths[right] = {**paths[node], factor: (cut if low is None else max(low, cut), high)}
    return {node: [Condition(f, lo, hi) for f, (lo, hi) in path.items()]
            for node, path in paths.items()}


def passing_nodes(tree: DecisionTreeRegressor, threshold: float, node: int = 0) -> list[int]:
    """The largest subtrees whose every leaf clears the threshold (siblings merged)."""
    structure = tree.tree_
    left, right = structure.children_left[node], structure.children_right[node]
    if left == -1:
        return [node] if structure.value[node].ravel()[0] >= threshold else []
    below = passing_nodes(tree, threshold, left) + passing_nodes(tree, threshold, right)
    return [node] if below == [left, right] else below


def box_stats(conditions: list[Condition], points: pd.DataFrame, successes: int) -> Box:
    """Density with a Wilson 95% interval and coverage of the runs inside the conditions."""
    inside = np.ones(len(points), dtype=bool)
    for condition in conditions:
        inside &= condition.holds(points[condition.factor])
    runs, hits = int(points["runs"][inside].sum()), int(points["successes"][inside].sum())
    low, high = proportion_confint(hits, runs, alpha=0.05, method="wilson")
    return Box(tuple(conditions), int(inside.sum()), runs, hits, hits / runs,
               float(low), float(high), hits / successes if successes else 0.0)


def discover(runs: pd.DataFrame, factors: list[str], threshold: float = DEFAULT_THRESHOLD,
             max_depth: int = DEFAULT_MAX_DEPTH, min_share: float = DEFAULT_MIN_SHARE,
             ranges: dict[str, tuple[float, float]] | None = None) -> Discovery:
    """Boxes of the factor space where the success rate reaches ``threshold``."""
    if not 0.0 < threshold < 1.0:
        raise ConfigError("threshold", threshold, "a success rate strictly between 0 and 1")
    if max_depth < 1:
        raise ConfigError("max_depth", max_depth, "at least 1 condition per rule")
    if not 0.0 < min_share <= 0.5:
        raise ConfigError("min_share", min_share, "a share of runs in (0, 0.5]")
    points = point_rates(runs, factors)
    if len(points) < 2:
        raise ConfigError("point_id", len(points), "at least 2 design points to split")
    tree = fit_tree(points, factors, max_depth, min_share)
    conditions = node_conditions(tree, factors)
    successes = int(points["successes"].sum())
    boxes = sorted((box_stats(conditions[node], points, successes)
                    for node in passing_nodes(tree, threshold)),
                   key=lambda box: box.density, reverse=True)
    leaves = np.flatnonzero(tree.tree_.children_left == -1)
    best = max((box_stats(conditions[leaf], points, successes) for leaf in leaves),
               key=lambda box: box.density)
    importance = dict(zip(factors, tree.feature_importances_.tolist(), strict=True))
    observed = {f: (float(points[f].min()), float(points[f].max())) for f in factors}
    return Discovery(factors, threshold, int(points["runs"].sum()), successes, boxes, best,
                     importance, {**observed, **(ranges or {})})


def discover_sweep(results_dir: Path, threshold: float = DEFAULT_THRESHOLD,
                   max_depth: int = DEFAULT_MAX_DEPTH,
                   min_share: float = DEFAULT_MIN_SHARE) -> Discovery:
    """Scenario discovery on a finished sweep directory (any design with continuous factors)."""
    return results_discovery(load_results(Path(results_dir)), threshold, max_depth, min_share)


def results_discovery(results: SweepResults, threshold: float = DEFAULT_THRESHOLD,
                      max_depth: int = DEFAULT_MAX_DEPTH,
                      min_share: float = DEFAULT_MIN_SHARE) -> Discovery:
    """Scenario discovery on loaded results; a design's factor ranges bound the figure."""
    factors = swept_factors(results)
    bounds = results.design.get("factors") if isinstance(results.design, dict) else None
    ranges = {short_name(str(key)): (float(value[0]), float(value[1]))
              for key, value in (bounds.items() if isinstance(bounds, dict) else [])
              if short_name(str(key)) in factors and isinstance(value, list) and len(value) == 2}
    return discover(results.runs, factors, threshold, max_depth, min_share, ranges)


# ----------------------------------------------------------------------- output


def format_console(found: Discovery) -> str:
    """The rules as plain text, densest box first."""
    overall = found.successes / found.runs if found.runs else 0.0
    levers = (", ".join(map(short_name, found.factors)) if len(found.factors) <= 4
              else f"{len(found.factors)} levers")
    lines = [f"scenario discovery over {levers}: {found.runs} runs, overall success "
             f"{overall:.0%}; boxes with success ≥ {found.threshold:.0%}:"]
    lines += [f"  {box.rule()}" for box in found.boxes]
    if not found.successes:
        lines.append("  none: no run succeeded, so there is no region to find")
    elif not found.boxes:
        lines.append(f"  none; the most favourable region: {found.best_leaf.rule()}")
    lines.append("note: densities are in-sample (boxes fitted on these runs): "
                 "confirm a box with a fresh sweep inside it")
    return "\n".join(lines)


def pair_for(found: Discovery) -> list[str]:
    """The two factors to draw: those the shown box restricts first, then by importance."""
    box = found.boxes[0] if found.boxes else found.best_leaf
    ranked = sorted(found.factors, key=lambda f: found.importance[f], reverse=True)
    used = [c.factor for c in sorted(box.conditions, key=lambda c: -found.importance[c.factor])]
    return list(dict.fromkeys(used + ranked))[:2]


@slide_figure
def box_figure(found: Discovery, runs: pd.DataFrame) -> Figure:
    """Design points coloured by success rate, with the densest box drawn on the top pair."""
    points = point_rates(runs, found.factors)
    box = found.boxes[0] if found.boxes else found.best_leaf
    pair = pair_for(found)
    fig = Figure(figsize=(SLIDE_SIZE[1] * 1.25, SLIDE_SIZE[1]), layout="constrained")
    ax = fig.subplots()
    if len(pair) == 1:
        pair.append("rate")
    others = [c for c in box.conditions if c.factor not in pair]
    inside = np.ones(len(points), dtype=bool)
    for condition in others:
        inside &= condition.holds(points[condition.factor])
    dots = ax.scatter(points[pair[0]], points[pair[1]], c=points["rate"], cmap="viridis",
                      vmin=0, vmax=1, s=14 + 3 * np.sqrt(points["runs"]), edgecolor="none",
                      alpha=np.where(inside, 1.0, 0.2))
    fig.colorbar(dots, ax=ax, label="success rate per point")
    limits = [_limits(box, found, name) for name in pair]
    corner, size = [lo for lo, _ in limits], [hi - lo for lo, hi in limits]
    ax.add_patch(Rectangle(corner, *size, fill=False, lw=1.6, ec="#d62728"))
    ax.set(xlabel=short_name(pair[0]), ylabel=short_name(pair[1]),
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
    """The report's scenario-discovery section as (Markdown, HTML with the figure embedded)."""
    results = load_results(Path(results_dir))
    threshold = report_threshold(results.runs) if threshold is None else threshold
    found = results_discovery(results, threshold)
    text = format_console(found).splitlines()
    title = f"Scenario discovery: where success reaches {threshold:.0%}"
    md = [f"## {title}", "", text[0], "", *(f"- {line.strip()}" for line in text[1:-1]),
          "", f"> {text[-1]}"]
    items = "".join(f"<li>{html.escape(line.strip())}</li>" for line in text[1:-1])
    caption = ("design points coloured by success rate; the red rectangle is the box's extent "
               "on these two factors, and points that miss its other conditions are faded")
    body = [f"<h2>{html.escape(title)}</h2>", f"<p>{html.escape(text[0])}</p>",
            f"<ul>{items}</ul>", f"<p class='note'>{html.escape(text[-1])}</p>",
            f"<figure><img alt='{caption}' "
            f"src='data:image/png;base64,{embedded_png(box_figure(found, results.runs))}'>"
            f"<figcaption>{html.escape(caption)}</figcaption></figure>"]
    return "\n".join(md) + "\n", "\n".join(body) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python -m analysis.discovery DIR --threshold 0.5``: print the discovered boxes."""
    parser = argparse.ArgumentParser(prog="python -m analysis.discovery",
                                     description="boxes of the lever space where success is likely")
    parser.add_argument("results_dir", type=Path, help="sweep directory (sweep.json, runs.parquet)")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                        help="success rate a box must reach (default 0.5)")
    parser.add_argument("--max-depth", type=int, default=DEFAULT_MAX_DEPTH,
                        help="most conditions per rule (tree depth, default 3)")
    parser.add_argument("--min-share", type=float, default=DEFAULT_MIN_SHARE,
                        help="least share of runs in a box (default 0.05)")
    args = parser.parse_args(argv)
    try:
        print(format_console(discover_sweep(args.results_dir, args.threshold, args.max_depth,
                                            args.min_share)))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
