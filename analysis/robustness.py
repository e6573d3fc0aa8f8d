"""Robustness of the headline comparisons to the model's assumptions (issue 21).

A robustness sweep (``silosim experiment=robustness``, docs/robustness.md) runs every
scenario of its comparisons at every point of a Morris design over the model's
assumptions (``design.factors: assumptions``, grouped by schema block) and at the
all-defaults point, under common random numbers. This module reads it back:

1. **Paired differences.** Per design point and comparison (``experiments.comparisons``),
   treated − reference over the same replicates: in success rate (Newcombe's interval for
   paired proportions, ``analysis.stats``) and in mean ``value_vs_no_programme`` (the
   paired t-interval). At the default point the interval is 95%; at the design points it
   is family-wise over the comparison's points (Bonferroni, so hundreds of points do not
   turn up chance reversals).
2. **Verdicts.** A point *flips* the comparison when its interval lies wholly on the other
   side of zero from the default's difference, and *halves* it when its interval lies
   wholly below half of the smallest difference the default's 95% interval allows. A
   comparison that no point flips or halves is robust; one that is not clear at the
   defaults has nothing to overturn. When the intervals are too wide to see a halving the
   verdict says so, with the replications that would.
3. **Which assumptions.** A trajectory step moves one group of assumptions (one schema
   block); a step between a point that holds and one that halves or flips names that
   group. SALib's Morris μ* (with groups, ``morris.analyze``) ranks the groups by how much
   they move each comparison's difference, with bootstrap intervals.

``python -m analysis.robustness DIR`` prints the verdicts; ``--markdown FILE`` writes the
results section of docs/robustness.md (with its figures); ``report_blocks`` gives the
robustness run's report section and ``comparison_sentences`` the plain-words verdict other
reports quote (``silosim-report DIR --robustness RUN``).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from SALib.analyze import morris as morris_analyze
from scipy import stats as sps

from analysis.document import Bullets, Chart, Paragraph, Table, markdown_table
from analysis.figures import SLIDE_SIZE, figure_png, slide_figure
from analysis.findings import counted, listed
from analysis.results import RUNS_FILE, SWEEP_FILE, ResultsError
from analysis.sensitivity import BOOTSTRAP_RESAMPLES, CONF_LEVEL, morris_noise_floor, pair_noise
from analysis.stats import paired_difference_interval
from analysis.words import key_words
from experiments.comparisons import Comparison, comparisons_from
from experiments.design import Design
from experiments.job_files import PLAN
from sim.errors import ConfigError

SUCCESS, VALUE = "success", "value_vs_no_programme"
OUTPUTS = (SUCCESS, VALUE)
NEEDED = ("scenario", "point_index", "replicate", "seed", *OUTPUTS)
#: what each output's difference is called, and the decimals of its percentage points
OUTPUT_WORDS = {SUCCESS: ("success rate", 0), VALUE: ("final-year revenue against no programme", 1)}
PANEL_TITLES = {SUCCESS: "Success rate", VALUE: "Revenue vs no programme"}
FAMILY_ALPHA = 0.05  # family-wise over a comparison's design points (Bonferroni)
HOLDS, HALVED, FLIPPED = 0, 1, 2
STATUS_WORDS = {HOLDS: "holds", HALVED: "halved", FLIPPED: "reversed"}
_BLIND = sns.color_palette("colorblind")
STATUS_COLOURS = {"holds": "0.7", "halved": _BLIND[1], "reversed": (0.55, 0.0, 0.0)}
ROBUST, HALVES, FLIPS, UNCLEAR, UNTESTED = ("robust", "can halve", "can flip",
                                            "no clear difference at the defaults",
                                            "too noisy to tell")
#: how the report leads each verdict's sentence
VERDICT_LEAD = {ROBUST: "Robust", HALVES: "Fragile", FLIPS: "Fragile", UNCLEAR: "Unclear",
                UNTESTED: "Not shown fragile"}
#: schema blocks as a sentence speaks of them ("the assumptions on leaders' confidence")
GROUP_WORDS = {
    "org": "the organisation's make-up", "company": "the company's traits", "silo": "silos",
    "incentives": "pay", "marketing": "marketing", "lead_handoff": "the lead handoff",
    "account_handoff": "the account handoff", "programme": "the programme",
    "leader": "the programme's leader", "delivery": "delivery",
    "eet": "the early-experience team", "time_budget": "reps' time",
    "attitude": "reps' attitudes", "priors": "reps' first views of the tools",
    "managers": "first-line managers", "selling": "selling", "customers": "customers",
    "market": "the market", "leads": "marketing leads", "attrition": "attrition and morale",
    "tool": "the tool", "confidence": "leaders' confidence",
    "labels": "what counts as success", "costs": "costs", "quotas": "quotas",
    "hiring": "hiring",
}
NAMED_GROUPS = 3  # a sentence names at most this many groups (the table lists them all)


@dataclass(frozen=True)
class Estimate:
    """A paired difference treated − reference with its interval."""

    difference: float
    low: float
    high: float


def smallest(default: Estimate) -> float:
    """The smallest size (in the direction of the difference) its interval allows; 0 when the
    interval holds zero."""
    sign = np.sign(default.difference)
    return max(0.0, min(sign * default.low, sign * default.high))


@dataclass
class Screening:
    """One comparison on one output across the assumptions."""

    comparison: Comparison
    output: str
    default: Estimate
    points: pd.DataFrame  # per design point: difference, low, high (family-wise), n, status
    culprits: dict[int, list[str]]  # HALVED/FLIPPED -> groups whose one step moved it there
    unexplained: int  # flagged points no single step reached
    indices: pd.DataFrame | None  # mu_star, mu_star_conf per group (SALib)
    noise_floor: float | None  # the μ* an inert group gets from replicate noise alone
    replicates: int

    @property
    def clear(self) -> bool:
        """True when the default's 95% interval excludes zero."""
        return self.default.low > 0 or self.default.high < 0

    @property
    def nearest(self) -> float:
        """The smallest size of the default difference its 95% interval allows (0: unclear)."""
        return smallest(self.default)

    @property
    def half_width(self) -> float:
        """The median half-width of the design points' family-wise intervals."""
        return float(((self.points["high"] - self.points["low"]) / 2).median())

    @property
    def verdict(self) -> str:
        if not self.clear:
            return UNCLEAR
        if (self.points["status"] == FLIPPED).any():
            return FLIPS
        if (self.points["status"] == HALVED).any():
            return HALVES
        return ROBUST if self.half_width < self.nearest / 2 else UNTESTED

    @property
    def replicates_to_tell(self) -> int:
        """Replications per point at which a halving would stand out of the noise."""
        return math.ceil(self.replicates * (self.half_width / (self.nearest / 2)) ** 2)


@dataclass
class RobustnessResult:
    """A robustness run read back: its design, comparisons' screenings and provenance."""

    directory: Path
    design: Design
    titles: dict[str, str]
    screenings: list[Screening]
    sweep: dict[str, Any]
    notes: list[str]

    def screening(self, comparison: Comparison, output: str) -> Screening:
        return next(s for s in self.screenings
                    if s.comparison == comparison and s.output == output)

    @property
    def comparisons(self) -> list[Comparison]:
        return list(dict.fromkeys(s.comparison for s in self.screenings))


# ------------------------------------------------------------------------ reading


RUN = "robustness run"
RUN_ALLOWED = (f"a directory whose {SWEEP_FILE} records robustness comparisons "
               "(silosim experiment=robustness)")


def _sweep_record(directory: Path) -> dict[str, Any]:
    """A results directory's ``sweep.json``; empty when it has none or cannot be read."""
    try:
        sweep = json.loads((Path(directory) / SWEEP_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return sweep if isinstance(sweep, dict) else {}


def read_sweep(directory: Path) -> dict[str, Any]:
    """``sweep.json`` of a robustness run, or a one-line ``ConfigError``."""
    sweep = _sweep_record(directory)
    if not sweep.get("robustness"):
        raise ConfigError(RUN, str(directory), RUN_ALLOWED)
    return sweep


def model_code(directory: Path) -> str | None:
    """The model-code hash a results directory's ``sweep.json`` records, if any."""
    return _sweep_record(directory).get("model_code")


def is_robustness_run(directory: Path) -> bool:
    """True when the directory's ``sweep.json`` records robustness comparisons."""
    try:
        read_sweep(directory)
    except ConfigError:
        return False
    return True


def run_design(sweep: dict[str, Any]) -> Design:
    """The recorded design: a Morris design with a default point."""
    design = Design.from_dict(sweep.get("design") or {})
    if design.method != "morris" or not design.default_point:
        raise ConfigError("design.method", design.method,
                          "morris with default_point: true for a robustness run")
    return design


def read_runs(directory: Path) -> pd.DataFrame:
    """The columns of ``runs.parquet`` the analysis reads (a full run has hundreds more)."""
    path = directory / RUNS_FILE
    try:
        names = pq.read_schema(path).names
    except (OSError, ValueError) as exc:
        raise ResultsError(path, f"a readable Parquet file ({type(exc).__name__})") from None
    missing = [c for c in NEEDED if c not in names]
    if missing:
        raise ResultsError(path, "a robustness run's runs, with the columns " + ", ".join(missing))
    wanted = [*NEEDED, *(["title"] if "title" in names else [])]
    return pq.read_table(path, columns=wanted).to_pandas()


def paired_runs(runs: pd.DataFrame, comparison: Comparison,
                runs_as: dict[str, str]) -> pd.DataFrame:
    """Per point and replicate the treated and reference runs' outputs, paired only when
    the two ran with one seed (``treated_success``, ``reference_success``, ...); a compared
    scenario the sweep did not run is read from its twin (``runs_as``)."""
    columns = ["point_index", "replicate", "seed", *OUTPUTS]
    sides = [runs.loc[runs["scenario"] == runs_as.get(name, name), columns].rename(
        columns={c: f"{role}_{c}" for c in ["seed", *OUTPUTS]})
        for role, name in (("treated", comparison.treated), ("reference", comparison.reference))]
    pairs = sides[0].merge(sides[1], on=["point_index", "replicate"])
    return pairs[pairs["treated_seed"] == pairs["reference_seed"]]


# -------------------------------------------------------------------- differences


def point_estimates(pairs: pd.DataFrame, output: str, confidence: float) -> pd.DataFrame:
    """Per point the paired difference, its interval at ``confidence`` and the pairs."""
    pairs = pairs.dropna(subset=[f"treated_{output}", f"reference_{output}"])
    treated = pairs[f"treated_{output}"].astype(float)
    reference = pairs[f"reference_{output}"].astype(float)
    if output == SUCCESS:
        return _success_estimates(pairs["point_index"], treated, reference, confidence)
    return _mean_estimates(pairs["point_index"], treated - reference, confidence)


def _success_estimates(index: pd.Series, treated: pd.Series, reference: pd.Series,
                       confidence: float) -> pd.DataFrame:
    cells = pd.DataFrame({"a": treated * reference, "b": treated * (1 - reference),
                          "c": (1 - treated) * reference,
                          "d": (1 - treated) * (1 - reference)}).groupby(index.to_numpy()).sum()
    bounds = [paired_difference_interval(row.reshape(2, 2), confidence)
              for row in cells.to_numpy()]
    n = cells.sum(axis=1)
    return pd.DataFrame({"difference": (cells["b"] - cells["c"]) / n,
                         "low": [b[0] for b in bounds], "high": [b[1] for b in bounds],
                         "n": n.astype(int)}, index=cells.index)


def _mean_estimates(index: pd.Series, differences: pd.Series,
                    confidence: float) -> pd.DataFrame:
    grouped = differences.groupby(index.to_numpy())
    mean, sd, n = grouped.mean(), grouped.std(ddof=1).fillna(0.0), grouped.size()
    half = sps.t.ppf(0.5 + confidence / 2, np.maximum(n - 1, 1)) * sd / np.sqrt(n)
    half = np.where(n > 1, half, np.nan)
    return pd.DataFrame({"difference": mean, "low": mean - half, "high": mean + half,
                         "n": n.astype(int)})


def statuses(points: pd.DataFrame, default: Estimate) -> pd.Series:
    """Per point: holds, halved (its interval wholly below half the smallest default the
    default's interval allows) or flipped (wholly across zero); all hold when the default
    is not clear."""
    sign, nearest = np.sign(default.difference), smallest(default)
    upper = np.maximum(sign * points["low"], sign * points["high"])
    status = np.where(upper < 0, FLIPPED, np.where(upper < nearest / 2, HALVED, HOLDS))
    return pd.Series(np.where(nearest > 0, status, HOLDS), index=points.index)


# ----------------------------------------------------------------- which assumptions


def steps(design: Design) -> pd.DataFrame:
    """Every trajectory step: its trajectory, its two points and the group (or factor) it
    moves."""
    matrix = design.matrix()
    names = design.group_names or [f.column for f in design.factors]
    rows = []
    for trajectory, start in enumerate(range(0, design.sampled, design.unit)):
        for first in range(start, start + design.unit - 1):
            moved = np.flatnonzero(matrix[first] != matrix[first + 1])
            rows.append({"trajectory": trajectory, "first": first, "second": first + 1,
                         "group": names[moved[0]] if moved.size else None})
    return pd.DataFrame(rows, columns=["trajectory", "first", "second", "group"])


def attribute(moves: pd.DataFrame, status: pd.Series) -> tuple[dict[int, list[str]], int]:
    """The groups whose one step takes the comparison between holding and halved, or into a
    reversal (most steps first); and the flagged points on trajectories where no single
    step changes what the comparison does (there only several groups together do it)."""
    a = status.reindex(moves["first"]).to_numpy(dtype=float)
    b = status.reindex(moves["second"]).to_numpy(dtype=float)
    moved = np.isfinite(a) & np.isfinite(b) & (a != b)
    worse = np.fmax(a, b)
    culprits = {level: moves.loc[moved & (worse == level), "group"].value_counts().index.tolist()
                for level in (HALVED, FLIPPED)}
    explained = set(moves.loc[moved, "trajectory"])
    owner = pd.concat([moves.set_index(column)["trajectory"] for column in ("first", "second")])
    owner = owner[~owner.index.duplicated()]
    flagged = owner.reindex(status.index[status > HOLDS])
    return culprits, int((~flagged.isin(explained)).sum())


def morris_indices(design: Design, points: pd.DataFrame) -> pd.DataFrame | None:
    """SALib Morris μ* (and its bootstrap half-width) per group on the difference, over the
    trajectories whose every point has one; None with fewer than two."""
    values = points["difference"].reindex(np.arange(design.sampled)).to_numpy()
    whole = np.isfinite(values).reshape(design.samples, design.unit).all(axis=1)
    if whole.sum() < 2:
        return None
    rows = np.flatnonzero(np.repeat(whole, design.unit))
    result = morris_analyze.analyze(design.problem(), design.matrix()[rows], values[rows],
                                    num_resamples=BOOTSTRAP_RESAMPLES, conf_level=CONF_LEVEL,
                                    num_levels=design.levels, seed=design.seed)
    return result.to_df()[["mu_star", "mu_star_conf"]]


def noise_floor(design: Design, pairs: pd.DataFrame, output: str,
                moves: pd.DataFrame) -> float | None:
    """The μ* replicate noise alone gives a group (``analysis.sensitivity``'s measure, on the
    per-replicate paired differences)."""
    frame = pd.DataFrame({"point_index": pairs["point_index"], "replicate": pairs["replicate"],
                          "d": pairs[f"treated_{output}"].astype(float)
                          - pairs[f"reference_{output}"].astype(float)})
    noise = pair_noise(frame, "d", moves["first"].to_numpy(), moves["second"].to_numpy())
    return None if noise is None else morris_noise_floor(design, noise)


# ------------------------------------------------------------------------- analysis


def screen(design: Design, pairs: pd.DataFrame, comparison: Comparison, output: str,
           moves: pd.DataFrame) -> Screening:
    """One comparison on one output: its default, its points' statuses, who moves it."""
    default_rows = pairs[pairs["point_index"] == design.sampled]
    if default_rows.empty:
        raise ResultsError("runs.parquet", f"paired runs of {comparison.treated} and "
                           f"{comparison.reference} at the default point (point_index "
                           f"{design.sampled}): resume the sweep")
    at_default = point_estimates(default_rows, output, 0.95).iloc[0]
    default = Estimate(*(float(at_default[c]) for c in ("difference", "low", "high")))
    sampled = pairs[pairs["point_index"] < design.sampled]
    confidence = 1 - FAMILY_ALPHA / max(sampled["point_index"].nunique(), 1)
    points = point_estimates(sampled, output, confidence)
    points["status"] = statuses(points, default)
    culprits, unexplained = attribute(moves, points["status"])
    return Screening(comparison, output, default, points, culprits, unexplained,
                     morris_indices(design, points), noise_floor(design, sampled, output, moves),
                     int(at_default["n"]))


def analyze(directory: Path | str) -> RobustnessResult:
    """Every comparison of a robustness run, on success and on value."""
    directory = Path(directory)
    sweep = read_sweep(directory)
    design = run_design(sweep)
    runs = read_runs(directory)
    twins = sweep["robustness"].get("runs_as") or {}
    runs_as = {name: str(twin["scenario"]) for name, twin in twins.items()}
    comparisons = comparisons_from({"comparisons": sweep["robustness"].get("comparisons")},
                                   {*runs["scenario"], *runs_as})
    moves = steps(design)
    screenings = [screen(design, paired_runs(runs, c, runs_as), c, output, moves)
                  for c in comparisons for output in OUTPUTS]
    titles = {**_titles(runs), **{name: str(twin["title"] or name) for name, twin in twins.items()}}
    return RobustnessResult(directory, design, titles, screenings, sweep,
                            _notes(design, sweep, screenings, runs_as))


def _titles(runs: pd.DataFrame) -> dict[str, str]:
    if "title" not in runs.columns:
        return {str(s): str(s) for s in runs["scenario"].unique()}
    return {str(s): str(t) for s, t in runs.groupby("scenario")["title"].first().items()}


def _notes(design: Design, sweep: dict[str, Any], screenings: list[Screening],
           runs_as: dict[str, str]) -> list[str]:
    notes = [f"{name} has the same parameters as {twin}, so the engine ran it once: its runs "
             f"are {twin}'s" for name, twin in runs_as.items()]
    failed = sweep.get("failed_points") or []
    if failed:
        notes.append(f"{len(failed)} job(s) have no results; their points are left out "
                     "(resume the sweep to fill them)")
    if design.samples < 10:
        notes.append(f"only {design.samples} trajectories: the μ* ranking is a first look "
                     "(Campolongo et al. 2007 screen with 10-20)")
    unranked = [s for s in screenings if s.indices is None]
    if unranked:
        notes.append(f"{len(unranked)} comparison(s) have fewer than two whole trajectories: "
                     "no μ* for them")
    return notes


# ---------------------------------------------------------------------------- words


def group_words(group: str) -> str:
    """A group (schema block) or, in an ungrouped design or for a top-level parameter, a
    factor, in words."""
    return GROUP_WORDS.get(group) or key_words(group)


def points_text(output: str, value: float, signed: bool = True) -> str:
    """A difference in percentage points: ``+38 points`` (success), ``+2.4 points`` (value)."""
    decimals = OUTPUT_WORDS[output][1]
    return f"{100 * value:{'+' if signed else ''}.{decimals}f} points"


def estimate_text(output: str, estimate: Estimate) -> str:
    """``+52 points [+45 to +60]``."""
    decimals = OUTPUT_WORDS[output][1]
    return (f"{points_text(output, estimate.difference)} [{100 * estimate.low:+.{decimals}f} to "
            f"{100 * estimate.high:+.{decimals}f}]")


def range_text(screening: Screening) -> str:
    """``+38 to +71 points over 240 settings of the assumptions``."""
    low, high = screening.points["difference"].min(), screening.points["difference"].max()
    decimals = OUTPUT_WORDS[screening.output][1]
    return (f"{100 * low:+.{decimals}f} to {points_text(screening.output, high)} over "
            f"{len(screening.points)} settings of the assumptions")


def comparison_title(comparison: Comparison, titles: dict[str, str]) -> str:
    """``Five key actions vs Typical company``."""
    return (f"{titles.get(comparison.treated, comparison.treated)} vs "
            f"{titles.get(comparison.reference, comparison.reference)}")


def sentence(screening: Screening, titles: dict[str, str]) -> str:
    """The verdict on one comparison and output, in plain words."""
    c, output = screening.comparison, screening.output
    treated, reference = titles.get(c.treated, c.treated), titles.get(c.reference, c.reference)
    what, verdict = OUTPUT_WORDS[output][0], screening.verdict
    at_default = estimate_text(output, screening.default)
    lead = VERDICT_LEAD[verdict]
    if verdict == UNCLEAR:
        return (f"{lead}: at the defaults {treated} and {reference} do not differ clearly in "
                f"{what} ({at_default}), so there is no lead to overturn; across the "
                f"assumptions the difference runs {range_text(screening)}"
                f"{_clear_points(screening)}.")
    ahead = screening.default.difference > 0
    position = (f"the lead of {treated} over {reference}" if ahead
                else f"the shortfall of {treated} against {reference}")
    if verdict == ROBUST:
        return (f"{lead}: across the plausible range of every assumption, {treated} stays "
                f"{'ahead of' if ahead else 'behind'} {reference} in {what} "
                f"({range_text(screening)}; {at_default} at the defaults); no assumption "
                "flips or halves it.")
    if verdict == UNTESTED:
        return (f"{lead}: no setting of the assumptions clearly flips or halves {position} in "
                f"{what} ({at_default} at the defaults; {range_text(screening)}), but the runs "
                "are too few to see a halving: about "
                f"{screening.replicates_to_tell:,} replications per point would.")
    return (f"{lead}: {position} in {what} ({at_default} at the defaults) "
            f"{_fragile_text(screening)} ({_flag_counts(screening)}; {range_text(screening)}).")


def _fragile_text(screening: Screening) -> str:
    flips, halves = screening.culprits[FLIPPED], screening.culprits[HALVED]
    parts = []
    if screening.verdict == FLIPS:
        parts.append("reverses " + _when(flips))
    halving_only = [g for g in halves if g not in flips]
    if screening.verdict == HALVES or halving_only:
        parts.append("halves " + _when(halving_only or halves))
    return " and ".join(parts)


def _when(groups: list[str]) -> str:
    if not groups:
        return "only where several assumptions change together (no single one does it)"
    named = [group_words(g) for g in groups[:NAMED_GROUPS]]
    more = len(groups) - NAMED_GROUPS
    return (f"when the assumptions on {listed(named)} change"
            + (f" (and {more} other group{'s' if more > 1 else ''})" if more > 0 else ""))


def _flag_counts(screening: Screening) -> str:
    counts = screening.points["status"].value_counts()
    total = len(screening.points)
    parts = [f"{int(counts.get(level, 0))} of {total} settings {STATUS_WORDS[level]}"
             for level in (FLIPPED, HALVED) if counts.get(level, 0)]
    if screening.unexplained:
        parts.append(f"{screening.unexplained} of them only where several groups change "
                     "together")
    return "; ".join(parts)


def _clear_points(screening: Screening) -> str:
    above = int((screening.points["low"] > 0).sum())
    below = int((screening.points["high"] < 0).sum())
    if not above and not below:
        return ""
    return f", clearly above zero at {above} and below zero at {below} of them"


def comparison_sentences(result: RobustnessResult, treated: str, reference: str
                         ) -> list[str] | None:
    """The verdicts (success, then value) on ``treated`` against ``reference`` (scenario
    names), from either side; None when the run does not compare the two."""
    for comparison in result.comparisons:
        if {comparison.treated, comparison.reference} == {treated, reference}:
            return [sentence(result.screening(comparison, output), result.titles)
                    for output in OUTPUTS]
    return None


# ---------------------------------------------------------------------------- tables


def verdict_table(result: RobustnessResult, output: str) -> pd.DataFrame:
    """One row per comparison: default, range, verdict, the groups that flip or halve it,
    the largest μ*."""
    rows = []
    for comparison in result.comparisons:
        s = result.screening(comparison, output)
        rows.append({
            "comparison": comparison_title(comparison, result.titles),
            "at the defaults [95%]": estimate_text(output, s.default),
            "across the assumptions": range_text(s).split(" over ")[0],
            "verdict": s.verdict,
            "flipped by": _group_list(s.culprits[FLIPPED]),
            "halved by": _group_list([g for g in s.culprits[HALVED]
                                      if g not in s.culprits[FLIPPED]]),
            "largest μ* (points)": _top_groups(s),
            "μ* of noise": "–" if s.noise_floor is None
            else f"{100 * s.noise_floor:.{OUTPUT_WORDS[output][1]}f}",
        })
    return pd.DataFrame(rows)


def _group_list(groups: list[str]) -> str:
    return ", ".join(group_words(g) for g in groups) or "–"


def _top_groups(screening: Screening) -> str:
    if screening.indices is None:
        return "–"
    top = screening.indices["mu_star"].nlargest(NAMED_GROUPS)
    top = top[top > (screening.noise_floor or 0.0)]  # below the floor: not told from noise
    decimals = OUTPUT_WORDS[screening.output][1]
    return ", ".join(f"{group_words(str(g))} {100 * v:.{decimals}f}" for g, v in top.items()) or "–"


def describe(result: RobustnessResult) -> str:
    """What was run: the design, the scenarios, the replications, how long it took."""
    design = result.design
    groups = len(set(design.group_names or [f.column for f in design.factors]))
    replicates = max(s.replicates for s in result.screenings)
    wall = (result.sweep.get("timing") or {}).get("wall_seconds")
    took = f", {_duration(wall)} wall time" if wall else ""
    return (f"Morris screening over {counted(len(design.factors), 'assumption')} in "
            f"{counted(groups, 'group')}, r = {design.samples} trajectories "
            f"({design.sampled} design points and the default point), "
            f"{counted(len(result.comparisons), 'comparison')} of "
            f"{counted(len(result.titles), 'scenario')}, {replicates} paired replications per "
            f"point{took}")


def _duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 1:
        return f"{seconds:.0f} s"
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def command(directory: Path) -> str | None:
    """The ``silosim`` command that made the run (from its ``plan.json``)."""
    try:
        plan = json.loads((directory / PLAN).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    argv = [a for a in plan.get("hydra_argv", []) if not a.startswith(("out=", "block="))]
    return " ".join(["silosim", *argv])


HOW_TO_READ = (
    "Each row compares two scenarios run on the same simulated companies (paired replicate by "
    "replicate). A setting of the assumptions reverses a comparison when its family-wise "
    "interval lies wholly on the other side of zero, and halves it when the interval lies "
    "wholly below half of the smallest difference the default's 95% interval allows; a group "
    "is named when changing that group of assumptions alone takes the comparison there. μ* "
    "(SALib's Morris, one step = 2/3 of each range) is how far a group moves the difference "
    "on average, in percentage points; groups below the μ* replicate noise alone gives are not "
    "told apart from noise.")


# --------------------------------------------------------------------------- figures


@slide_figure
def spread_figure(result: RobustnessResult) -> Figure:
    """Per comparison the difference at every design point (coloured by what it does to the
    comparison), the default's difference and 95% interval as a black diamond."""
    fig = Figure(figsize=(SLIDE_SIZE[0], max(SLIDE_SIZE[1], 1.5 + 0.45 * len(result.comparisons))),
                 layout="constrained")
    axes = fig.subplots(1, len(OUTPUTS), sharey=True)
    names = [comparison_title(c, result.titles) for c in result.comparisons]
    for ax, output in zip(axes, OUTPUTS, strict=True):
        frame = pd.concat([s.points.assign(comparison=name, what=s.points["status"].map(
            STATUS_WORDS)) for name, s in zip(names, (result.screening(c, output)
                                                      for c in result.comparisons), strict=True)])
        frame["points"] = 100 * frame["difference"]
        sns.stripplot(frame, x="points", y="comparison", hue="what", order=names,
                      hue_order=list(STATUS_WORDS.values()), palette=STATUS_COLOURS, size=3,
                      alpha=0.6, ax=ax, legend="auto" if output == SUCCESS else False)
        for row, comparison in enumerate(result.comparisons):
            default = result.screening(comparison, output).default
            ax.errorbar(100 * default.difference, row, fmt="D", color="black", ms=6,
                        xerr=[[100 * (default.difference - default.low)],
                              [100 * (default.high - default.difference)]], capsize=3)
        ax.axvline(0, color="0.3", lw=1)
        ax.set(xlabel="treated − reference (points)", ylabel="", title=PANEL_TITLES[output])
        ax.tick_params(axis="y", labelsize="x-small")
        if ax.get_legend() is not None:
            ax.legend(title=None, fontsize="x-small", loc="best")
    return fig


@slide_figure
def importance_figure(result: RobustnessResult) -> Figure:
    """μ* of every group on every comparison (rows) and output (panels); the groups that
    flip or halve a comparison are outlined."""
    fig = Figure(figsize=(SLIDE_SIZE[0], max(SLIDE_SIZE[1], 2 + 0.45 * len(result.comparisons))),
                 layout="constrained")
    axes = fig.subplots(1, len(OUTPUTS), sharey=True)
    names = [comparison_title(c, result.titles) for c in result.comparisons]
    for ax, output in zip(axes, OUTPUTS, strict=True):
        screenings = [result.screening(c, output) for c in result.comparisons]
        table = pd.DataFrame({name: (100 * s.indices["mu_star"]) if s.indices is not None
                              else pd.Series(dtype=float)
                              for name, s in zip(names, screenings, strict=True)}).T
        if table.empty:
            ax.set(title=PANEL_TITLES[output] + ": no μ* (too few trajectories)")
            continue
        table.columns = [group_words(str(g)) for g in table.columns]
        sns.heatmap(table.reindex(names), ax=ax, cmap="Blues", vmin=0,
                    vmax=max(float(np.nanmax(table.to_numpy(), initial=0)), 1e-9),
                    annot=len(table.columns) <= 12, fmt=f".{OUTPUT_WORDS[output][1]}f",
                    cbar_kws={"label": "μ* (points)", "shrink": 0.6},
                    annot_kws={"fontsize": "xx-small"})
        for row, s in enumerate(screenings):
            for group in set(s.culprits[FLIPPED]) | set(s.culprits[HALVED]):
                column = list(table.columns).index(group_words(group))
                ax.add_patch(Rectangle((column, row), 1, 1, fill=False, lw=2.5,
                                       edgecolor="black"))
        ax.set(title=PANEL_TITLES[output], xlabel="", ylabel="")
        ax.tick_params(axis="both", labelsize="x-small")
    return fig


FIGURES = {
    "robustness_spread": ("How far the assumptions move each comparison", spread_figure,
                          "Each dot is one setting of the assumptions: the paired difference "
                          "treated − reference in percentage points, coloured by whether the "
                          "comparison holds there, halves or reverses (beyond noise). The black "
                          "diamond is the difference at the defaults with its 95% interval."),
    "robustness_importance": ("Which assumptions move which comparison", importance_figure,
                              "Morris μ* of each group of assumptions on each comparison's "
                              "difference, in percentage points: how far changing that group "
                              "moves the comparison on average. Outlined cells are the groups "
                              "that alone halve or reverse it."),
}


def charts(result: RobustnessResult) -> list[Chart]:
    """The two figures as report charts."""
    return [Chart(key, title, how, figure_png(build(result)), "")
            for key, (title, build, how) in FIGURES.items()]


# ---------------------------------------------------------------------------- output


def report_blocks(result: RobustnessResult) -> list[Paragraph | Table | Bullets | Chart]:
    """The robustness run's report section: what ran, the verdicts, the figures, notes."""
    blocks: list[Paragraph | Table | Bullets | Chart] = [
        Paragraph(describe(result) + ". " + HOW_TO_READ)]
    for output in OUTPUTS:
        blocks.append(Table(verdict_table(result, output),
                            f"Paired difference in {OUTPUT_WORDS[output][0]} (treated − "
                            "reference, percentage points)."))
    blocks.append(Bullets([sentence(s, result.titles) for s in result.screenings]))
    blocks += charts(result)
    if result.notes:
        blocks += [Paragraph("Read with care:"), Bullets(result.notes)]
    return blocks


def results_markdown(result: RobustnessResult, figure_dir: Path, link_prefix: str) -> str:
    """The results section of docs/robustness.md, figures written to ``figure_dir`` and
    linked as ``link_prefix/<name>.png``."""
    figure_dir.mkdir(parents=True, exist_ok=True)
    made = command(result.directory)
    provenance = (f"commit {str(result.sweep.get('git_commit'))[:10]}, model code "
                  f"{result.sweep.get('model_code')}")
    lines = [describe(result) + f" ({provenance}).", ""]
    lines += [f"Made by `{made}`.", ""] if made else []
    lines += [HOW_TO_READ, ""]
    for output in OUTPUTS:
        lines += [f"**{OUTPUT_WORDS[output][0].capitalize()}**", "",
                  markdown_table(verdict_table(result, output)), ""]
    lines += [f"- {sentence(s, result.titles)}" for s in result.screenings] + [""]
    for key, (title, build, how) in FIGURES.items():
        (figure_dir / f"{key}.png").write_bytes(figure_png(build(result)))
        lines += [f"![{title}]({link_prefix}/{key}.png)", "", f"_{title}._ {how}", ""]
    lines += [f"> {note}" for note in result.notes]
    return "\n".join(lines).rstrip() + "\n"


RESULTS_START, RESULTS_END = "<!-- results:start -->", "<!-- results:end -->"


def write_markdown(result: RobustnessResult, path: Path) -> None:
    """Write the results section into ``path`` between its results markers (the rest of the
    file is kept), or as the whole file if it has none; figures go to ``img/`` beside it."""
    section = results_markdown(result, path.parent / "img", "img")
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if RESULTS_START in text and RESULTS_END in text:
        head, rest = text.split(RESULTS_START, 1)
        text = f"{head}{RESULTS_START}\n{section}{RESULTS_END}{rest.split(RESULTS_END, 1)[1]}"
    else:
        text = section
    path.write_text(text, encoding="utf-8")


def format_console(result: RobustnessResult) -> str:
    """The verdicts as plain text for the terminal."""
    lines = [describe(result)]
    for output in OUTPUTS:
        lines += ["", f"== {OUTPUT_WORDS[output][0]} ==",
                  verdict_table(result, output).to_string(index=False)]
    lines += ["", *(f"- {sentence(s, result.titles)}" for s in result.screenings)]
    lines += [f"note: {note}" for note in result.notes]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m analysis.robustness DIR [--markdown FILE]``."""
    parser = argparse.ArgumentParser(prog="python -m analysis.robustness",
                                     description="Verdicts of a robustness run")
    parser.add_argument("results_dir", type=Path, help="robustness run (sweep.json, runs.parquet)")
    parser.add_argument("--markdown", type=Path, default=None,
                        help="write the results section into this file (between its "
                             f"{RESULTS_START} and {RESULTS_END} markers), figures to img/ beside it")
    args = parser.parse_args(argv)
    try:
        result = analyze(args.results_dir)
        if args.markdown is not None:
            write_markdown(result, args.markdown)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_console(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
