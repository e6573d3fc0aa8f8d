"""Global sensitivity of a sweep: which levers move the odds of a successful transformation.

A sensitivity sweep is an experiment whose ``design`` block is a SALib sample
(``method: morris`` or ``method: sobol``) expanded into one design point per
Hydra job, each run for several replications. This module reads such a sweep
back from disk and feeds it to SALib's own analysers:

* **Morris screening** (elementary effects, Campolongo et al. 2007): per factor
  μ* (mean absolute effect of a one-level step: importance) and σ (spread of
  the effects: interactions or non-linearity), with a bootstrap interval on μ*.
  Cheap — r trajectories of D+1 points — and meant to rank, not to quantify.
* **Sobol indices** (Saltelli 2010 / Jansen estimators): S1, the share of the
  output variance a factor explains alone, and ST, the share it is involved
  in with all its interactions, with bootstrap intervals. Assumes independent
  uniform factors over the design ranges; costs N·(D+2) points.
* **FAST** (extended Fourier amplitude sensitivity test, Saltelli et al. 1999; SALib
  ``fast_sampler`` and ``fast.analyze``): the same S1 and ST from each factor's search
  curve, for N·D points (N > 4·M²). A ``design: {method: fast, samples: N, levels: M}``
  block is read by ``FastDesign``.

The analysed output is first the **replicate-averaged success probability** of
each point (the share of its replications labelled ``success``), then one
continuous KPI averaged the same way. Replicate noise is not a factor, so it
inflates Morris μ* and σ and Sobol ST; the analysis measures it on the very
differences the estimators take (replicates matched by number, so common seeds
cancel as they do in the estimator) and says how many replications would make
it negligible. When an index is negative or its interval is wide the sample is
too small, and the warning names the sample size that would fix it (interval
half-widths shrink as 1/√N).

``python -m analysis.sensitivity DIR`` prints the indices and warnings;
``report_section(DIR)`` gives the report's Markdown and HTML.
"""

from __future__ import annotations

import argparse
import base64
import html
import math
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from SALib.analyze import fast as fast_analyze
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze

from analysis.figures import HIGHLIGHT_COLOUR, SLIDE_SIZE, figure_png, slide_figure
from analysis.results import load_results
from experiments.design import Design, Factor
from sim.errors import ConfigError

SENSITIVITY_METHODS = ("morris", "sobol", "fast")
KPI_CANDIDATES = ("value_vs_no_programme", "value_ratio", "adoption_final")
FAST_INTERFERENCE = 4  # SALib's default M; the sample needs N > 4·M² points per curve
SUCCESS = "success"
BOOTSTRAP_RESAMPLES = 1000
CONF_LEVEL = 0.95
SOBOL_HALF_WIDTH = 0.1  # an index interval wider than ±0.1 cannot separate factors
MORRIS_RELATIVE_HALF_WIDTH = 0.2  # μ* interval vs the largest μ*: enough to screen
MORRIS_MIN_TRAJECTORIES = 10  # Campolongo et al. 2007 recommend 10-20
NOISE_MU_STAR_SHARE = 0.1  # a Morris noise floor above 10% of the largest μ* is flagged
NOISE_MU_STAR_TARGET = 0.075
NOISE_ST_BIAS = 0.02  # replicate noise adding more than 0.02 to every ST is flagged
NOISE_ST_TARGET = 0.015
LABEL_SHARE = 0.05  # Morris points below 5% of the largest μ* stay unlabelled
LABELLED = 8  # at most this many Morris points are named in the figure


# -------------------------------------------------------------------------- design


@dataclass(frozen=True)
class FastDesign:
    """A FAST (extended Fourier amplitude sensitivity test) sample, as SALib draws it.

    ``samples`` is N, the points on each factor's search curve; ``levels`` is M, the
    interference factor (SALib's default 4; N must exceed 4·M²). The sample is D blocks
    of N points in ``point_index`` order, block i following factor i's curve
    (``SALib.sample.fast_sampler.sample(problem, N, M, seed)``). Its factors are read
    through the engine's ``Design`` (the same schema checks); a sweep's points are
    ``points()``, so the engine can expand a ``design: {method: fast, ...}`` block with the
    same call.
    """

    method: str
    samples: int
    seed: int
    factors: tuple[Factor, ...]
    levels: int = FAST_INTERFERENCE
    second_order: bool = False

    @classmethod
    def from_block(cls, block: dict[str, Any]) -> FastDesign:
        levels = block.get("levels", FAST_INTERFERENCE)
        parsed = Design.from_dict({**block, "method": "lhs", "levels": levels})
        if parsed.samples <= 4 * parsed.levels**2:
            raise ConfigError("design.samples", parsed.samples,
                              f"more than 4·M² = {4 * parsed.levels**2} points per search curve "
                              f"for FAST with M = design.levels = {parsed.levels}")
        return cls("fast", parsed.samples, parsed.seed, parsed.factors, parsed.levels)

    def problem(self) -> dict[str, Any]:
        """The SALib problem, as the engine's ``Design`` names it."""
        return {"num_vars": len(self.factors), "names": [f.column for f in self.factors],
                "bounds": [[f.low, f.high] for f in self.factors]}

    def matrix(self) -> np.ndarray:
        from SALib.sample import fast_sampler

        return fast_sampler.sample(self.problem(), self.samples, M=self.levels, seed=self.seed)

    def points(self) -> list[dict[str, float | int]]:
        """Every point as ``{model key: value}``, whole-number parameters rounded as the engine
        rounds them."""
        return [{f.key: (int(np.clip(np.floor(x + 0.5), f.low, f.high)) if f.whole
                         else float(x)) for f, x in zip(self.factors, row, strict=True)}
                for row in self.matrix()]


type SensitivityDesign = Design | FastDesign


def parse_design(block: dict[str, Any] | None) -> SensitivityDesign:
    """The design recorded in ``sweep.json``, checked to be a Morris, Sobol or FAST sample.

    The engine's ``Design`` is the one that drew Morris and Sobol points, so the analysis
    reads its method, levels and second-order flag through the same class; a FAST design
    is read by ``FastDesign``.
    """
    if not isinstance(block, dict):
        raise ConfigError("sweep.json:design", block,
                          "a design block {method, samples, seed, factors}: run a design sweep")
    if block.get("method") not in SENSITIVITY_METHODS:
        raise ConfigError("design.method", block.get("method"),
                          "morris, sobol or fast (scenario discovery reads any design)")
    design = FastDesign.from_block(block) if block["method"] == "fast" else Design.from_dict(block)
    if block.get("groups") is not None or block.get("default_point"):
        raise ConfigError("design.groups" if block.get("groups") is not None
                          else "design.default_point",
                          block.get("groups") or block.get("default_point"),
                          "an ungrouped design without a default point (a robustness run's "
                          "grouped design is read by python -m analysis.robustness DIR)")
    recorded = block.get("points", point_count(design))
    if recorded != point_count(design):
        raise ConfigError("design.points", recorded,
                          f"{point_count(design)} = {block_count(design)} blocks × "
                          f"{block_size(design)} points for {design.method}")
    return design


def block_size(design: SensitivityDesign) -> int:
    """Points per Morris trajectory (D+1), Sobol base sample (D+2, 2D+2 with S2) or FAST
    search curve (N)."""
    d = len(design.factors)
    if design.method == "fast":
        return design.samples
    if design.method == "morris":
        return d + 1
    return 2 * d + 2 if design.second_order else d + 2


def block_count(design: SensitivityDesign) -> int:
    """Blocks of the sample: trajectories, base samples, or one search curve per factor."""
    return len(design.factors) if design.method == "fast" else design.samples


def point_count(design: SensitivityDesign) -> int:
    """Points the design expands to: blocks × block size."""
    return block_count(design) * block_size(design)


# ------------------------------------------------------------------- point outputs


def factor_columns(design: Design, runs: pd.DataFrame) -> list[str]:
    """The runs columns of the design's factors (``model.silo.level`` is ``silo.level``)."""
    for factor in design.factors:
        if factor.column not in runs.columns:
            raise ConfigError("design.factors", factor.key,
                              "a parameter that runs.parquet has a column for")
    return [factor.column for factor in design.factors]


def point_table(runs: pd.DataFrame, columns: list[str], outputs: list[str]) -> pd.DataFrame:
    """One row per design point: its factor values, replications and replicate means."""
    grouped = runs.groupby("point_index", sort=True)
    table = grouped[columns].first().astype(float)
    table["replicates"] = grouped.size()
    for output in outputs:
        table[output] = runs[output].astype(float).groupby(runs["point_index"]).mean()
    return table


def complete_blocks(table: pd.DataFrame, output: str, design: Design) -> np.ndarray:
    """Point indices of the trajectories / base samples whose every point has an output.

    A failed job leaves its point without runs; SALib needs whole blocks, so a
    block with any missing point is left out rather than analysed out of order.
    """
    size = block_size(design)
    values = table[output].reindex(np.arange(point_count(design)))
    whole = values.notna().to_numpy().reshape(block_count(design), size).all(axis=1)
    return np.flatnonzero(np.repeat(whole, size))


def check_structure(design: Design, x: np.ndarray) -> None:
    """Refuse points that are not the design's blocks in ``point_index`` order.

    Morris: each step of a trajectory moves exactly one factor. Sobol: row k of a
    base block differs from its first row in factor k only (Saltelli's A/AB layout).
    """
    if design.method == "fast":  # a search curve moves every factor: nothing to check by row
        return
    d = len(design.factors)
    blocks = x.reshape(-1, block_size(design), d)
    if design.method == "morris":
        moved = (np.diff(blocks, axis=1) != 0).sum(axis=2)
        bad = np.argwhere(moved != 1)
    else:
        changed = blocks[:, 1 : d + 1, :] != blocks[:, :1, :]
        changed[:, np.arange(d), np.arange(d)] = False
        bad = np.argwhere(changed.any(axis=2))
    if bad.size:
        block, step = bad[0][:2]
        raise ConfigError("runs.parquet", f"block {block} step {step}",
                          f"{design.method} points in point_index order, one factor moved per "
                          "step (an integer factor whose levels collapse when rounded breaks this)")


def design_mismatch(design: Design, x: np.ndarray, rows: np.ndarray) -> str | None:
    """A note when the run points differ from the design regenerated from sweep.json.

    The engine's ``Design.points`` rounds whole-number parameters exactly as the
    jobs did, so the comparison is tight (1e-9 of each factor's range).
    """
    expected = pd.DataFrame(design.points()).to_numpy(dtype=float)[rows]
    span = np.array([f.high - f.low for f in design.factors])
    off = np.argwhere(np.abs(x - expected) > 1e-9 * span)
    if not off.size:
        return None
    factor = design.factors[int(off[0][1])].column
    return (f"the run points differ from the {design.method} design regenerated from sweep.json "
            f"(first at {factor}); analysed as run")


# ---------------------------------------------------------------------- indices


@dataclass
class OutputIndices:
    """Indices of one output (success probability or a KPI) with their caveats."""

    output: str
    indices: pd.DataFrame
    blocks: int
    pair_noise: float | None  # mean variance of the compared pairs' averaged differences
    warnings: list[str] = field(default_factory=list)


@dataclass
class SensitivityResult:
    """Everything ``analyze`` found: the design, per-output indices, notes on the data."""

    design: Design
    replicates: float
    outputs: list[OutputIndices]
    notes: list[str]


def morris_indices(design: Design, x: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """μ, μ*, σ and the bootstrap half-width of μ* (SALib ``morris.analyze``)."""
    result = morris_analyze.analyze(design.problem(), x, y, num_resamples=BOOTSTRAP_RESAMPLES,
                                    conf_level=CONF_LEVEL, num_levels=design.levels,
                                    seed=design.seed)
    return result.to_df()[["mu", "mu_star", "sigma", "mu_star_conf"]]


def sobol_indices(design: Design, y: np.ndarray) -> pd.DataFrame:
    """S1 and ST with bootstrap half-widths (SALib ``sobol.analyze``, Jansen/Saltelli)."""
    result = sobol_analyze.analyze(design.problem(), y,
                                   calc_second_order=design.second_order,
                                   num_resamples=BOOTSTRAP_RESAMPLES, conf_level=CONF_LEVEL,
                                   seed=design.seed)
    total, first = result.to_df()[:2]  # SALib lists ST, S1 (then S2)
    return first.join(total)[["S1", "S1_conf", "ST", "ST_conf"]]


def fast_indices(design: FastDesign, y: np.ndarray) -> pd.DataFrame:
    """S1 and ST with bootstrap half-widths (SALib ``fast.analyze``, extended FAST)."""
    with warnings.catch_warnings():  # said in the report's own warning (fast_warnings)
        warnings.filterwarnings("ignore", message="FAST confidence intervals")
        result = fast_analyze.analyze(design.problem(), y, M=design.levels,
                                      num_resamples=BOOTSTRAP_RESAMPLES, conf_level=CONF_LEVEL,
                                      seed=design.seed)
    return result.to_df()[["S1", "S1_conf", "ST", "ST_conf"]]


def fast_warnings(table: pd.DataFrame, design: FastDesign, replicates: float,
                  half_width: float = SOBOL_HALF_WIDTH) -> list[str]:
    """Negative indices and wide intervals, with the points per curve that would fix them.

    SALib warns that its bootstrap intervals for FAST are unreliable, so they only flag
    a sample that is clearly too small; replicate noise inflates ST as in Sobol.
    """
    notes = [f"negative {index} for {name} ({value:.3f}): read it as ≈ 0"
             for index in ("S1", "ST") for name, value in table[index].items() if value < -0.005]
    widest = float(table[["S1_conf", "ST_conf"]].max().max())
    if widest > half_width:
        needed = math.ceil(design.samples * (widest / half_width) ** 2)
        points = needed * len(design.factors)
        notes.append(f"intervals are wide (up to ±{widest:.2f}, want ±{half_width:.2f}) at "
                     f"N = {design.samples} points per curve: use design.samples={needed} "
                     f"({points} points, ~{math.ceil(points * replicates)} runs)")
    notes.append("FAST intervals come from SALib's bootstrap, which SALib itself calls "
                 "unreliable for FAST: compare indices, do not test them")
    return notes


def compared_pairs(design: Design, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The point pairs the estimator differences, within the complete blocks ``rows``.

    Morris: consecutive points of a trajectory (one elementary effect each).
    Sobol: the base point A against each AB_i (the differences behind ST and S1).
    """
    size, d = block_size(design), len(design.factors)
    starts = rows[::size]
    if design.method == "morris":
        steps = np.arange(d)
        return (starts[:, None] + steps).ravel(), (starts[:, None] + steps + 1).ravel()
    return np.repeat(starts, d), (starts[:, None] + np.arange(1, d + 1)).ravel()


def pair_noise(runs: pd.DataFrame, output: str, first: np.ndarray,
               second: np.ndarray) -> float | None:
    """Mean variance of the replicate-averaged difference of the compared point pairs.

    Replicates are matched by their ``replicate`` number, so when the sweep gives
    replicate r the same seed at every point (``seeding: common``) the noise shared
    by the two points cancels here exactly as it does in the estimator.
    """
    if "replicate" not in runs.columns:
        return None
    wide = runs.pivot_table(index="point_index", columns="replicate", values=output,
                            aggfunc="mean")
    diff = (wide.reindex(second).to_numpy(dtype=float)
            - wide.reindex(first).to_numpy(dtype=float))
    matched = np.isfinite(diff).sum(axis=1)
    usable = matched >= 2
    if not usable.any():
        return None
    variance = np.nanvar(diff[usable], axis=1, ddof=1) / matched[usable]
    return float(variance.mean())


def morris_noise_floor(design: Design, noise: float) -> float:
    """The μ* an inert lever gets from replicate noise alone: E|N(0, noise)| / Δ."""
    delta = design.levels / (2 * (design.levels - 1))
    return math.sqrt(2 / math.pi * noise) / delta


def noise_warning(design: Design, indices: pd.DataFrame, spread: float, noise: float,
                  replicates: float) -> str | None:
    """How far replicate noise alone moves the indices, if too far, and the cure.

    Morris: noise alone gives an inert lever a μ* of about √(2/π)·sd(difference)/Δ
    (the mean absolute value of a normal); flagged above 10% of the largest μ*.
    Sobol: the Jansen ST estimator averages squared differences, so noise adds
    about var(difference)/(2·Var Y) to every ST; flagged above 0.02. Noise
    variance falls as 1/replications, which gives the replications suggested.
    """
    if design.method == "morris":
        floor = morris_noise_floor(design, noise)
        top = float(indices["mu_star"].max())
        if floor <= NOISE_MU_STAR_SHARE * top:
            return None
        needed = math.ceil(replicates * (floor / (NOISE_MU_STAR_TARGET * top)) ** 2)
        return (f"replicate noise alone gives μ* ≈ {floor:.3g}, so levers below it are not "
                f"told apart from noise: use about {needed} replications per point")
    bias = noise / (2 * spread)
    if bias <= NOISE_ST_BIAS:
        return None
    needed = math.ceil(replicates * bias / NOISE_ST_TARGET)
    return (f"replicate noise adds about {bias:.2f} to every ST (and widens S1): use about "
            f"{needed} replications per point")


def sobol_warnings(table: pd.DataFrame, design: Design, blocks: int, replicates: float,
                   half_width: float = SOBOL_HALF_WIDTH) -> list[str]:
    """Negative indices and wide intervals, with the base sample N that would fix them."""
    notes = []
    widest = float(table[["S1_conf", "ST_conf"]].max().max())
    needed = _next_power_of_two(math.ceil(blocks * (widest / half_width) ** 2))
    for index in ("S1", "ST"):
        for name, value, conf in zip(table.index, table[index], table[f"{index}_conf"],
                                     strict=True):
            if value < -0.005:
                notes.append(f"negative {index} for {name} ({value:.3f} ± {conf:.3f}): "
                             + _negative_verdict(value, conf, half_width))
    if widest > half_width:
        points = needed * block_size(design)
        notes.append(f"intervals are wide (up to ±{widest:.2f}, want ±{half_width:.2f}) at "
                     f"N = {blocks} base samples: use design.samples={needed} "
                     f"({points} points, ~{math.ceil(points * replicates)} runs)")
    return notes


def _negative_verdict(value: float, conf: float, half_width: float) -> str:
    """Why a variance share came out below zero, which no true index can be."""
    if value + conf < 0:
        return "significantly below zero, so estimator noise dominates (see replicate noise)"
    if conf > half_width:
        return "a variance share cannot be negative: the sample is too small"
    return "zero within sampling error; read it as ≈ 0"


def morris_warnings(table: pd.DataFrame, design: Design, blocks: int, replicates: float,
                    relative: float = MORRIS_RELATIVE_HALF_WIDTH) -> list[str]:
    """Too few trajectories or μ* intervals too wide to rank, with the r that would fix it."""
    notes = []
    top = float(table["mu_star"].max())
    widest = float(table["mu_star_conf"].max())
    if top > 0 and widest > relative * top:
        needed = max(MORRIS_MIN_TRAJECTORIES, math.ceil(blocks * (widest / (relative * top)) ** 2))
        points = needed * block_size(design)
        notes.append(f"μ* intervals are wide (±{widest:.3g} vs largest μ* {top:.3g}) with "
                     f"r = {blocks} trajectories: use design.samples={needed} "
                     f"({points} points, ~{math.ceil(points * replicates)} runs)")
    elif blocks < MORRIS_MIN_TRAJECTORIES:
        notes.append(f"only r = {blocks} trajectories: rankings are fragile below "
                     f"{MORRIS_MIN_TRAJECTORIES}; use design.samples={MORRIS_MIN_TRAJECTORIES}")
    return notes


def _next_power_of_two(n: int) -> int:
    return 1 << max(1, math.ceil(math.log2(max(n, 2))))


def analyze_output(design: Design, table: pd.DataFrame, runs: pd.DataFrame, output: str,
                   x: np.ndarray) -> OutputIndices:
    """Indices of one output over the complete blocks, with sample-size and noise warnings."""
    rows = complete_blocks(table, output, design)
    blocks = rows.size // block_size(design)
    if design.method == "fast" and blocks < block_count(design):
        raise ConfigError("runs.parquet", f"{blocks} of {block_count(design)} search curves "
                          "complete", f"every FAST point with a {output} value (failed points "
                          "are listed in sweep.json; resume the sweep)")
    if blocks < 2:
        unit = "trajectories" if design.method == "morris" else "base samples"
        raise ConfigError("runs.parquet", f"{blocks} of {design.samples} {unit} complete",
                          f"at least 2 {design.method} {unit} whose every point has a {output} "
                          "value (failed points are listed in sweep.json; resume the sweep)")
    y = table[output].reindex(rows).to_numpy()
    if np.ptp(y) == 0:
        return constant_output(design, output, float(y[0]), blocks)
    replicates = float(table["replicates"].reindex(rows).mean())
    if design.method == "fast":
        indices = fast_indices(design, y)
        return OutputIndices(output, indices, blocks, None,
                             fast_warnings(indices, design, replicates))
    if design.method == "morris":
        indices = morris_indices(design, x[rows], y)
        warnings = morris_warnings(indices, design, blocks, replicates)
    else:
        indices = sobol_indices(design, y)
        warnings = sobol_warnings(indices, design, blocks, replicates)
    noise = pair_noise(runs, output, *compared_pairs(design, rows))
    if noise is not None:
        warnings.append(noise_warning(design, indices, float(np.var(y, ddof=1)), noise,
                                      replicates))
    dropped = design.samples - blocks
    if dropped:
        warnings.append(f"{dropped} of {design.samples} blocks left out: points without runs")
    return OutputIndices(output, indices, blocks, noise, [w for w in warnings if w])


def constant_output(design: Design, output: str, value: float, blocks: int) -> OutputIndices:
    """An output with one value at every point: indices are undefined (0/0), say why."""
    columns = (["mu", "mu_star", "sigma", "mu_star_conf"] if design.method == "morris"
               else ["S1", "S1_conf", "ST", "ST_conf"])
    names = [factor.column for factor in design.factors]
    empty = pd.DataFrame(np.nan, index=names, columns=columns)
    return OutputIndices(output, empty, blocks, None, [
        f"{output_label(output)} is {value:.3g} at every point, so no index can be computed: "
        "widen the factor ranges, change the base scenario or lengthen the runs"])


def choose_kpi(runs: pd.DataFrame, kpi: str | None) -> str:
    """The continuous KPI to analyse: the one asked for, else the first one present."""
    if kpi is not None:
        if kpi not in runs.columns or not pd.api.types.is_numeric_dtype(runs[kpi]):
            raise ConfigError("kpi", kpi, "a numeric KPI column of runs.parquet")
        return kpi
    for name in KPI_CANDIDATES:
        if name in runs.columns:
            return name
    raise ConfigError("kpi", None, "runs.parquet with one of " + ", ".join(KPI_CANDIDATES))


def design_table(runs: pd.DataFrame, design: Design,
                 outputs: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """Per-point table and the factor matrix in ``point_index`` order (NaN rows: no runs)."""
    if "point_index" not in runs.columns:
        raise ConfigError("runs.parquet", "point_index", "a point_index column from a design sweep")
    columns = factor_columns(design, runs)
    table = point_table(runs, columns, outputs)
    points = point_count(design)
    if table.index.min() < 0 or table.index.max() >= points:
        raise ConfigError("point_index", int(table.index.max()),
                          f"0 to {points - 1} for this design")
    return table, table[columns].reindex(np.arange(points)).to_numpy()


def analyze(results_dir: Path, kpi: str | None = None) -> SensitivityResult:
    """Morris, Sobol or FAST indices of a finished sensitivity sweep (success and one KPI)."""
    results = load_results(results_dir)
    design = parse_design(results.design)
    outputs = [SUCCESS, choose_kpi(results.runs, kpi)]
    table, x = design_table(results.runs, design, outputs)
    ran = complete_blocks(table, "replicates", design)
    check_structure(design, x[ran])
    replicates = float(table["replicates"].mean())
    indices = [analyze_output(design, table, results.runs, output, x) for output in outputs]
    mismatch = design_mismatch(design, x[ran], ran)
    return SensitivityResult(design, replicates, indices, [mismatch] if mismatch else [])


# ----------------------------------------------------------------------- output


def describe(result: SensitivityResult) -> str:
    """One line saying what was analysed."""
    design = result.design
    size = {"morris": f"r = {design.samples} trajectories",
            "sobol": f"N = {design.samples} base samples",
            "fast": f"N = {design.samples} points per search curve, M = {design.levels}",
            }[design.method]
    name = "FAST" if design.method == "fast" else design.method.capitalize()
    return (f"{name} over {len(design.factors)} factors, {size}, "
            f"{point_count(design)} points × {result.replicates:.0f} replications")


def output_label(output: str) -> str:
    return "success probability" if output == SUCCESS else f"{output} (mean)"


def format_console(result: SensitivityResult) -> str:
    """Indices tables and warnings as plain text for the terminal."""
    lines = [describe(result), *(f"note: {note}" for note in result.notes)]
    for out in result.outputs:
        order = "mu_star" if result.design.method == "morris" else "ST"
        lines += ["", f"== {output_label(out.output)} ==",
                  out.indices.sort_values(order, ascending=False).to_string(float_format="%.3f")]
        lines += [f"warning: {text}" for text in out.warnings]
    return "\n".join(lines)


@slide_figure
def morris_figure(result: SensitivityResult) -> Figure:
    """μ*–σ plane per output: far right = important, high = interacting or non-linear.

    Only the ``LABELLED`` largest levers beyond the replicate-noise floor (shaded)
    and above ``LABEL_SHARE`` of the largest μ* are named; the tables list them all.
    """
    fig = Figure(figsize=SLIDE_SIZE, layout="constrained")
    axes = fig.subplots(1, len(result.outputs), squeeze=False)[0]
    for ax, out in zip(axes, result.outputs, strict=True):
        table = out.indices
        ax.errorbar(table["mu_star"], table["sigma"], xerr=table["mu_star_conf"], fmt="o",
                    color=HIGHLIGHT_COLOUR, ecolor="0.6", capsize=3)
        floor = 0.0 if out.pair_noise is None else morris_noise_floor(result.design,
                                                                       out.pair_noise)
        shown = table[table["mu_star"] > max(floor, LABEL_SHARE * table["mu_star"].max())]
        for rank, (name, row) in enumerate(shown.nlargest(LABELLED, "mu_star").iterrows()):
            ax.annotate(name, (row["mu_star"], row["sigma"]), fontsize="x-small",
                        xytext=(4, 4 if rank % 2 else -14), textcoords="offset points")
        width = 1.1 * np.nan_to_num((table["mu_star"] + table["mu_star_conf"]).max()) or 1.0
        height = 1.1 * np.nan_to_num(table["sigma"].max()) or 1.0
        if floor:
            ax.axvspan(0, floor, color="0.9", zorder=0, label="replicate-noise floor")
            ax.legend(loc="upper left")
        ax.plot([0, width], [0, width], ls=":", color="0.5", lw=1)  # σ = μ*: strongly non-linear
        ax.set(xlim=(0, width), ylim=(0, height), xlabel="μ* (importance)",
               ylabel="σ (interactions, non-linearity)", title=output_label(out.output))
    return fig


@slide_figure
def sobol_figure(result: SensitivityResult) -> Figure:
    """S1 and ST bars with bootstrap 95% intervals, factors sorted by ST."""
    height = max(SLIDE_SIZE[1], 1.6 + 0.5 * len(result.design.factors))
    fig = Figure(figsize=(SLIDE_SIZE[0], height), layout="constrained")
    axes = fig.subplots(1, len(result.outputs), squeeze=False, sharey=True)[0]
    order = result.outputs[0].indices.sort_values("ST").index
    colours = sns.color_palette("colorblind", 2)
    for ax, out in zip(axes, result.outputs, strict=True):
        table = out.indices.reindex(order)
        pos = np.arange(len(table))
        for shift, index, colour in ((-0.2, "S1", colours[0]), (0.2, "ST", colours[1])):
            ax.barh(pos + shift, table[index], height=0.4, xerr=table[f"{index}_conf"],
                    color=colour, label=index, error_kw={"lw": 1, "capsize": 3})
        ax.set_yticks(pos, table.index, fontsize="x-small")
        ax.axvline(0, color="0.3", lw=1)
        ax.set(xlabel="share of output variance", title=output_label(out.output))
        ax.legend(loc="lower right")
    return fig


def embedded_png(fig: Figure) -> str:
    """The figure as a base64 PNG for a self-contained HTML report."""
    return base64.b64encode(figure_png(fig)).decode("ascii")


GUIDE = {
    "morris": "μ* is the mean absolute change in the output when a lever moves one step "
              "(2/3 of its range); σ is the spread of those changes, large when the lever "
              "interacts with others or acts non-linearly. Levers with μ* near zero can be "
              "fixed at any value in their range.",
    "sobol": "S1 is the share of the output's variance a lever explains alone; ST adds every "
             "interaction it takes part in. ST well above S1 marks an interacting lever; ST "
             "near zero marks one that does not matter over these ranges.",
    "fast": "FAST (extended Fourier amplitude sensitivity test) moves every lever along its own "
            "frequency and reads each lever's share of the output's variance off the spectrum: "
            "S1 alone, ST with all its interactions, as in Sobol's indices, for fewer runs.",
}
COLUMNS = {"morris": ["mu_star", "mu_star_conf", "sigma"],
           "sobol": ["S1", "S1_conf", "ST", "ST_conf"],
           "fast": ["S1", "S1_conf", "ST", "ST_conf"]}
TITLES = {"morris": "Sensitivity: Morris screening", "sobol": "Sensitivity: Sobol indices",
          "fast": "Sensitivity: FAST indices"}


def report_section(results_dir: Path) -> tuple[str, str]:
    """The report's sensitivity section as (Markdown, HTML with the figure embedded)."""
    result = analyze(Path(results_dir))
    method = result.design.method
    title = TITLES[method]
    md = [f"## {title}", "", describe(result) + ". " + GUIDE[method], ""]
    body = [f"<h2>{html.escape(title)}</h2>",
            f"<p>{html.escape(describe(result))}. {html.escape(GUIDE[method])}</p>"]
    md += [f"> note: {note}" for note in result.notes]
    body += [f"<p class='note'>note: {html.escape(note)}</p>" for note in result.notes]
    for out in result.outputs:
        part_md, part_html = _output_part(out, COLUMNS[method])
        md += part_md
        body += part_html
    figure = morris_figure(result) if method == "morris" else sobol_figure(result)
    caption = ("μ* against σ; error bars are 95% bootstrap intervals of μ*" if method == "morris"
               else "S1 and ST with 95% bootstrap intervals")
    body.append(f"<figure><img alt='{caption}' src='data:image/png;base64,{embedded_png(figure)}'>"
                f"<figcaption>{html.escape(caption)}</figcaption></figure>")
    return "\n".join(md) + "\n", "\n".join(body) + "\n"


def _output_part(out: OutputIndices, columns: list[str]) -> tuple[list[str], list[str]]:
    """One output's table (most important lever first) and warnings, in Markdown and HTML."""
    label = output_label(out.output)
    table = out.indices.sort_values(columns[-2] if "ST" in columns else columns[0],
                                    ascending=False)[columns]
    md, body = ["", f"### {label}", ""], [f"<h3>{html.escape(label)}</h3>"]
    if table.notna().any().any():
        md += [_markdown_table(table), ""]
        body.append(table.to_html(float_format=lambda v: f"{v:.3f}", border=0))
    md += [f"> warning: {text}" for text in out.warnings]
    body += [f"<p class='warning'>warning: {html.escape(text)}</p>" for text in out.warnings]
    return md, body


def _markdown_table(table: pd.DataFrame) -> str:
    header = "| factor | " + " | ".join(table.columns) + " |"
    rule = "|---" * (len(table.columns) + 1) + "|"
    rows = [f"| {name} | " + " | ".join(f"{v:.3f}" for v in row) + " |"
            for name, row in zip(table.index, table.to_numpy(), strict=True)]
    return "\n".join([header, rule, *rows])


def main(argv: list[str] | None = None) -> int:
    """``python -m analysis.sensitivity DIR [--kpi NAME]``: print indices and warnings."""
    parser = argparse.ArgumentParser(prog="python -m analysis.sensitivity",
                                     description="Morris/Sobol indices of a sensitivity sweep")
    parser.add_argument("results_dir", type=Path, help="sweep directory (sweep.json, runs.parquet)")
    parser.add_argument("--kpi", default=None, help="continuous KPI column (default value_ratio)")
    args = parser.parse_args(argv)
    try:
        print(format_console(analyze(args.results_dir, args.kpi)))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
