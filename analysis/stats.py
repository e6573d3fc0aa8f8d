"""Statistics on a sweep's runs: success rates, tests against a reference, effects, planning.

Every function takes the runs table (one row per replication, a boolean
``success`` and a ``label`` column) and the name of the column that identifies
the groups to compare — ``"point"`` for a loaded sweep, but any column works
(``"scenario"``, ``"silo.level"``). The computations are the library ones
(scipy, statsmodels); this module chooses them, wires them together and says
what they assume.

Runs of one point use distinct seeds, so within a point they are independent draws.
Across points it depends on the seeding. Under the engine's default ``seeding: common``
replicate *r* has the same seed at every point (common random numbers): the runs of two
points are **matched pairs** (the same company, the same luck), and comparisons use paired
methods with ``paired=True`` — McNemar's exact test and Newcombe's paired interval for two
points, Cochran's Q and a within-replicate permutation test across all points, a GEE
logistic model clustered on the replicate for factorial designs, paired differences for
KPIs. Pairs are matched on ``replicate`` (and ``seed`` where present). Only under
``seeding: independent`` are the independent-sample tests (Fisher, Newcombe's hybrid
score, Pearson χ², ordinary logit) the right ones. ``TEST_NAMES`` says which test each
case uses, so the report can say it.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats as sps
from statsmodels.stats.contingency_tables import Table2x2, cochrans_q, mcnemar
from statsmodels.stats.meta_analysis import effectsize_smd
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportion_effectsize,
)
from statsmodels.tools.sm_exceptions import (
    ConvergenceWarning,
    HessianInversionWarning,
    PerfectSeparationWarning,
)

from analysis.measures import kpi_columns
from analysis.results import LABELS, POINT

FUNNEL_STAGES = {
    "leads_created": "created",
    "leads_followed_up": "followed up",
    "leads_qualified": "qualified",
    "leads_won": "won",
}
MAX_CATEGORICAL_LEVELS = 5
MIN_REPLICATIONS = 2   # fewer runs per point cannot show a difference in any test
REPLICATE, SEED = "replicate", "seed"
CLUSTER = "replicate_cluster"
NEAR_CONSTANT = 0.01  # a KPI whose SD is below 1% of its level gets no standardised effect
PERMUTATIONS = 2000
PERMUTATION_CELLS = 20_000_000  # bounds a permutation batch's memory (~20 MB of booleans)
TEST_NAMES = {
    ("omnibus", False): "Pearson χ² test of homogeneity",
    ("omnibus", True): "Cochran's Q test (runs paired by replicate)",
    ("labels", False): "Pearson χ² test of homogeneity",
    ("labels", True): "permutation test of the χ² statistic within replicates "
                      f"({PERMUTATIONS} permutations)",
    ("pairwise", False): "Fisher's exact test",
    ("pairwise", True): "McNemar's exact test",
    ("difference", False): "Newcombe's hybrid score interval",
    ("difference", True): "Newcombe's paired score interval (method 10)",
    ("odds", False): "odds ratio with Woolf's interval",
    ("odds", True): "matched-pairs odds ratio (discordant pairs) with an exact interval",
    ("factorial", False): "logistic regression",
    ("factorial", True): "GEE logistic regression clustered on the replicate (exchangeable)",
    ("kpi", False): "Welch's t-test on the difference of means",
    ("kpi", True): "paired t-test on the replicate-by-replicate differences",
}


class EstimationError(ValueError):
    """A model that cannot be estimated from these data, with the reason in words."""


@dataclass(frozen=True)
class OmnibusResult:
    """A test of homogeneity across groups: do they share one outcome distribution?

    ``method`` names the test (``TEST_NAMES``); ``min_expected`` is the smallest expected
    count of the χ² approximation (infinite for the paired tests, which do not use it);
    ``blocks`` the replicates every group ran (paired tests only).
    """

    statistic: float
    dof: int
    p_value: float
    groups: int
    min_expected: float
    method: str = TEST_NAMES["omnibus", False]
    blocks: int | None = None

    @property
    def expected_counts_ok(self) -> bool:
        """The usual condition for the χ² approximation: every expected count at least 5."""
        return self.min_expected >= 5


def success_rates(runs: pd.DataFrame, by: str = POINT, confidence: float = 0.95) -> pd.DataFrame:
    """Success rate per group with a Wilson score interval.

    Interval: Wilson score (statsmodels ``proportion_confint``, ``method="wilson"``).
    Assumes the replications of a group are independent Bernoulli trials with one
    success probability — true for distinct seeds of one scenario point. Wilson
    keeps close to nominal coverage for small n and for rates near 0% or 100%,
    where the textbook Wald interval fails (Brown, Cai & DasGupta 2001).
    Returns ``by``, ``n``, ``successes``, ``rate``, ``ci_low``, ``ci_high``.
    """
    table = runs.groupby(by, observed=True)["success"].agg(n="size", successes="sum")
    table = table.reset_index()
    table["successes"] = table["successes"].astype(int)
    table["rate"] = table["successes"] / table["n"]
    low, high = proportion_confint(table["successes"], table["n"], alpha=1 - confidence,
                                   method="wilson")
    # at 0/n and n/n the computed bound is off by rounding (6.9e-18 for 0/10): pin it
    table["ci_low"] = np.minimum(np.clip(np.asarray(low, dtype=float), 0, 1), table["rate"])
    table["ci_high"] = np.maximum(np.clip(np.asarray(high, dtype=float), 0, 1), table["rate"])
    return table


def failure_modes(runs: pd.DataFrame, by: str = POINT) -> pd.DataFrame:
    """Share of runs with each label per group (rows sum to 1); columns in ``LABELS`` order.

    A descriptive breakdown: every run has exactly one label, so the shares
    partition the runs of a group. Test whether the mix differs across groups
    with ``omnibus_test(runs, by, outcome="label")``.
    """
    shares = pd.crosstab(runs[by], runs["label"], normalize="index")
    return shares.reindex(columns=list(LABELS), fill_value=0.0).rename_axis(columns=None)


def league_table(runs: pd.DataFrame, by: str = POINT, confidence: float = 0.95) -> pd.DataFrame:
    """Groups ranked by success rate: Wilson interval, replications and failure-mode shares."""
    table = success_rates(runs, by, confidence).merge(
        failure_modes(runs, by).drop(columns="success"), left_on=by, right_index=True
    )
    table = table.sort_values(["rate", "ci_low"], ascending=False, kind="stable")
    table.insert(0, "rank", range(1, len(table) + 1))
    return table.reset_index(drop=True)


def omnibus_test(runs: pd.DataFrame, by: str = POINT, outcome: str = "success",
                 paired: bool = False, seed: int = 0) -> OmnibusResult:
    """A test of homogeneity: do the groups share one outcome distribution?

    ``outcome="success"`` tests equal success rates, ``outcome="label"`` an equal mix of
    the four labels. Independent runs: Pearson χ² (scipy ``chi2_contingency`` without
    Yates' correction), a large-sample approximation — check ``expected_counts_ok``
    (each expected count ≥ 5) and prefer the exact pairwise tests when it fails.
    Paired runs (``paired=True``), on the replicates every group ran: for success,
    Cochran's Q (statsmodels ``cochrans_q``), the k-group McNemar; for labels, a
    permutation test of the same χ² statistic that shuffles the groups' outcomes within
    each replicate (scipy ``permutation_test``, ``permutation_type="samples"``, seeded),
    exact in expectation under the null that the groups are exchangeable. Outcome
    categories no group ever shows are dropped (they carry no information).
    """
    table = pd.crosstab(runs[by], runs[outcome])
    table = table.loc[:, table.sum(axis=0) > 0]
    kind = "omnibus" if outcome == "success" else "labels"
    if table.shape[1] < 2:
        return OmnibusResult(0.0, table.shape[0] - 1, 1.0, table.shape[0], float("inf"),
                             TEST_NAMES[kind, paired])
    if paired:
        return _paired_omnibus(runs, by, outcome, seed)
    result = sps.chi2_contingency(table.to_numpy(), correction=False)
    return OmnibusResult(
        statistic=float(result.statistic),
        dof=int(result.dof),
        p_value=float(result.pvalue),
        groups=table.shape[0],
        min_expected=float(result.expected_freq.min()),
    )


def replicate_blocks(runs: pd.DataFrame, by: str, column: str) -> pd.DataFrame:
    """``column`` as replicates × groups, on the replicates every group ran with one seed.

    The paired analyses' common ground: a replicate counts only if every group has it
    and (where seeds are recorded) with the same seed, so each row is one company met
    under every option.
    """
    frame = runs[[by, REPLICATE, column, *([SEED] if SEED in runs.columns else [])]]
    if SEED in frame.columns:
        same = frame.groupby(REPLICATE)[SEED].nunique() == 1
        frame = frame[frame[REPLICATE].map(same)]
    wide = frame.pivot_table(index=REPLICATE, columns=by, values=column, aggfunc="first",
                             observed=True, dropna=False)
    return wide.dropna()


def _paired_omnibus(runs: pd.DataFrame, by: str, outcome: str, seed: int) -> OmnibusResult:
    if outcome == "success":
        blocks = replicate_blocks(runs.assign(_y=runs["success"].astype(int)), by, "_y")
        _require_blocks(blocks)
        outcomes = blocks.to_numpy(dtype=int)
        if (outcomes.min(axis=1) == outcomes.max(axis=1)).all():  # no pair ends differently
            return OmnibusResult(0.0, blocks.shape[1] - 1, 1.0, blocks.shape[1], float("inf"),
                                 TEST_NAMES["omnibus", True], len(blocks))
        result = cochrans_q(outcomes)
        return OmnibusResult(float(result.statistic), int(result.df), float(result.pvalue),
                             blocks.shape[1], float("inf"), TEST_NAMES["omnibus", True],
                             len(blocks))
    codes = {label: i for i, label in enumerate(LABELS)}
    blocks = replicate_blocks(runs.assign(_y=runs[outcome].map(codes)), by, "_y")
    _require_blocks(blocks)
    samples = [blocks[c].to_numpy(dtype=int) for c in blocks.columns]
    observed_labels = int(np.unique(blocks.to_numpy()).size)

    def chi_square(*groups: np.ndarray, axis: int = -1) -> np.ndarray:
        stacked = np.stack(groups, axis=-2)  # (..., groups, replicates)
        counts = (stacked[..., None] == np.arange(len(LABELS))).sum(axis=-2)
        expected = counts.sum(axis=-2, keepdims=True) * counts.sum(
            axis=-1, keepdims=True) / counts.sum(axis=(-2, -1), keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            cells = np.where(expected > 0, (counts - expected) ** 2 / expected, 0.0)
        return cells.sum(axis=(-2, -1))

    batch = max(1, PERMUTATION_CELLS // (len(samples) * len(blocks) * len(LABELS)))
    result = sps.permutation_test(samples, chi_square, permutation_type="samples",
                                  vectorized=True, n_resamples=PERMUTATIONS, batch=batch,
                                  alternative="greater", rng=np.random.default_rng(seed))
    return OmnibusResult(float(result.statistic), (len(samples) - 1) * (observed_labels - 1),
                         float(result.pvalue), len(samples), float("inf"),
                         TEST_NAMES["labels", True], len(blocks))


def _require_blocks(blocks: pd.DataFrame) -> None:
    if len(blocks) < 2:
        raise EstimationError(f"only {len(blocks)} replicate(s) ran at every point with one "
                              "seed: too few pairs for a paired test")


PAIRWISE_COLUMNS = ["n", "rate", "reference_rate", "risk_difference", "rd_low", "rd_high",
                    "odds_ratio", "or_low", "or_high", "cohen_h", "p_value", "discordant"]


def pairwise_vs_reference(
    runs: pd.DataFrame, reference: str, by: str = POINT, confidence: float = 0.95,
    paired: bool = False,
) -> pd.DataFrame:
    """Each group against the reference: a test, the risk difference, odds ratio and h.

    With ``paired=True`` (runs matched by replicate, see the module note) each group
    is compared on the replicates it shares with the reference (``n`` pairs):

    - p-value: McNemar's exact test (statsmodels ``mcnemar(exact=True)``), the
      binomial test of the discordant pairs — the pairs where one option succeeds and
      the other fails; concordant pairs carry no information on the difference.
    - risk difference with Newcombe's (1998) method-10 interval for paired data
      (``paired_difference_interval``), built from Wilson intervals so it behaves at 0%
      and 100%.
    - odds ratio: the matched-pairs (conditional) odds ratio, discordant pairs b/c, with
      the exact interval from the Clopper–Pearson interval of b/(b+c); 0.5 is added to
      b and c for the estimate when one is zero (the interval then reaches 0 or ∞).
    - Cohen's h on the two marginal rates;
    - ``discordant``: the share of pairs that end differently, (b + c)/n, which sets how
      many pairs a decisive test needs (``paired_replications_to_detect``).

    Without pairing, the independent-sample versions:

    - p-value: Fisher's exact test on the 2×2 table (scipy ``fisher_exact``,
      two-sided), conditional on the margins, valid for any sample size;
      ``p_holm`` adjusts the family of comparisons with Holm's step-down method
      (statsmodels ``multipletests``), which controls the family-wise error rate
      without assuming independence between the comparisons.
    - risk difference (group − reference) with Newcombe's hybrid score interval
      (statsmodels ``confint_proportions_2indep``, ``method="newcomb"``), built
      from Wilson intervals so it behaves at 0% and 100%.
    - odds ratio (group vs reference) with Woolf's log interval (statsmodels
      ``Table2x2``); if a cell is zero, 0.5 is added to every cell
      (Haldane–Anscombe) so the ratio and interval stay finite. (``Table2x2``'s
      own ``shift_zeros`` only replaces the zero cells, which biases the ratio.)
    - Cohen's h = 2·asin√p₁ − 2·asin√p₂ (statsmodels ``proportion_effectsize``):
      0.2 small, 0.5 medium, 0.8 large.
    Holm's step-down adjustment (``p_holm``, statsmodels ``multipletests``) applies to
    both: it controls the family-wise error rate without assuming independence between
    the comparisons.
    """
    counts = success_rates(runs, by, confidence).set_index(by)
    if reference not in counts.index:
        raise KeyError(f"reference {reference!r} is not a value of {by!r}")
    if paired:
        tables = paired_tables(runs, by, reference)
        rows = [_compare_paired(name, tables.get(name, np.zeros((2, 2), dtype=int)),
                                confidence)
                for name in counts.index if name != reference]
    else:
        ref = counts.loc[reference]
        rows = [_compare(name, row, ref, confidence)
                for name, row in counts.iterrows() if name != reference]
    table = pd.DataFrame(rows, columns=[by, *PAIRWISE_COLUMNS])
    table["p_holm"] = multipletests(table["p_value"], method="holm")[1] if len(table) else []
    return table


def paired_wide(runs: pd.DataFrame, by: str, column: str, reference: object) -> pd.DataFrame:
    """``column`` as replicates × groups, keeping a run only if it has the reference's seed
    for its replicate (compared exactly, as integers); NaN where a group lacks the pair."""
    frame = runs[[by, REPLICATE, column, *([SEED] if SEED in runs.columns else [])]]
    if SEED in frame.columns:
        reference_seed = frame.loc[frame[by] == reference].drop_duplicates(REPLICATE).set_index(
            REPLICATE)[SEED]
        frame = frame[frame[SEED].to_numpy() == frame[REPLICATE].map(reference_seed).to_numpy()]
    return frame.pivot_table(index=REPLICATE, columns=by, values=column, aggfunc="first",
                             observed=True)


def paired_tables(runs: pd.DataFrame, by: str, reference: object) -> dict[object, np.ndarray]:
    """Each group's paired 2×2 table against ``reference`` over the replicates they share.

    ``[[both succeed, only group], [only reference, both fail]]`` — the discordant cells
    b = [0, 1] and c = [1, 0] decide McNemar's test. A replicate pairs with the
    reference's only when it ran with the same seed (compared exactly, as integers).
    One pivot of the runs serves every group, so a design of thousands of points costs
    one pass, not one per comparison.
    """
    wide = paired_wide(runs, by, "success", reference)
    tables: dict[object, np.ndarray] = {}
    theirs_all = wide[reference] if reference in wide else pd.Series(dtype=float)
    for group in wide.columns:
        if group == reference:
            continue
        shared = wide[group].notna() & theirs_all.notna()
        mine = wide.loc[shared, group].astype(bool).to_numpy()
        theirs = theirs_all[shared].astype(bool).to_numpy()
        tables[group] = np.array([[np.sum(mine & theirs), np.sum(mine & ~theirs)],
                                  [np.sum(~mine & theirs), np.sum(~mine & ~theirs)]])
    return tables


def paired_difference_interval(cells: np.ndarray, confidence: float = 0.95) -> tuple[float, float]:
    """Newcombe's (1998) method-10 interval for a difference of paired proportions.

    ``cells`` = [[a, b], [c, d]] (both, first only, second only, neither); the difference
    is (b − c)/n. The Wilson intervals of the two marginal rates are combined with the
    correlation φ of the pairs (Newcombe, Stat Med 17:2635, eq. for method 10; the same
    as R's biostatUZH ``confIntPairedProportion``). Stays inside [−1, 1] and is defined at
    0% and 100%.
    """
    (a, b), (c, d) = np.asarray(cells, dtype=float)
    n = a + b + c + d
    if n == 0:
        return np.nan, np.nan
    p1, p2 = (a + b) / n, (a + c) / n
    (l1, l2), (u1, u2) = proportion_confint([a + b, a + c], n, alpha=1 - confidence,
                                            method="wilson")
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    phi = 0.0
    if margins > 0:
        cross = a * d - b * c
        phi = (cross - n / 2 if cross > n / 2 else min(cross, 0.0)) / np.sqrt(margins)
    low = p1 - p2 - np.sqrt(max((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2)
                                + (u2 - p2) ** 2, 0.0))
    high = p1 - p2 + np.sqrt(max((p2 - l2) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1)
                                 + (u1 - p1) ** 2, 0.0))
    return float(max(low, -1.0)), float(min(high, 1.0))


def _compare_paired(name: object, cells: np.ndarray, confidence: float) -> list[object]:
    n = int(cells.sum())
    if n == 0:
        raise EstimationError(f"{name} shares no replicate (with one seed) with the reference")
    (a, b), (c, _) = cells
    rate, ref_rate = (a + b) / n, (a + c) / n
    rd_low, rd_high = paired_difference_interval(cells, confidence)
    odds, or_low, or_high = _matched_odds_ratio(int(b), int(c), confidence)
    p_value = float(mcnemar(cells, exact=True).pvalue) if b + c else 1.0
    return [name, n, rate, ref_rate, rate - ref_rate, rd_low, rd_high, odds, or_low, or_high,
            float(proportion_effectsize(rate, ref_rate)), p_value, float((b + c) / n)]


def _matched_odds_ratio(b: int, c: int, confidence: float) -> tuple[float, float, float]:
    """b/c with the exact interval from Clopper–Pearson on b/(b+c); NaN without discordance."""
    if b + c == 0:
        return np.nan, np.nan, np.nan
    low, high = proportion_confint(b, b + c, alpha=1 - confidence, method="beta")

    def odds(p: float) -> float:
        return np.inf if p >= 1 else p / (1 - p)

    estimate = (b + 0.5) / (c + 0.5) if 0 in (b, c) else b / c
    return float(estimate), float(odds(low)), float(odds(high))


def _compare(name: object, row: pd.Series, ref: pd.Series, confidence: float) -> list[object]:
    k1, n1, k2, n2 = int(row.successes), int(row.n), int(ref.successes), int(ref.n)
    cells = np.array([[k1, n1 - k1], [k2, n2 - k2]])
    rd_low, rd_high = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb",
                                                 compare="diff", alpha=1 - confidence)
    odds = Table2x2(cells + 0.5 if (cells == 0).any() else cells, shift_zeros=False)
    or_low, or_high = odds.oddsratio_confint(alpha=1 - confidence)
    return [name, n1, k1 / n1, k2 / n2, k1 / n1 - k2 / n2, float(rd_low), float(rd_high),
            float(odds.oddsratio), float(or_low), float(or_high),
            float(proportion_effectsize(k1 / n1, k2 / n2)),
            float(sps.fisher_exact(cells).pvalue), np.nan]


def logit_coefficients(
    runs: pd.DataFrame,
    factors: list[str],
    reference_levels: dict[str, object] | None = None,
    confidence: float = 0.95,
    paired: bool = False,
) -> pd.DataFrame:
    """Logistic regression of success on the factors and all their two-way interactions.

    Formula ``success ~ (f1 + f2 + ...)**2``. Factors with at most five levels are
    categorical (treatment coding against ``reference_levels`` — default: the first
    level — so no linearity is assumed); numeric factors with more levels enter
    linearly. Independent runs: statsmodels ``logit`` (maximum likelihood). Paired runs
    (``paired=True``): a GEE logistic model (statsmodels ``gee``, binomial family)
    clustered on the replicate with an exchangeable working correlation and robust
    (sandwich) standard errors, so each company met under several options counts once
    in the uncertainty; its coefficients are population-averaged log odds ratios.
    Needs no (quasi-)separation: a cell of two factors with 0% or 100% success has no
    finite estimate, and this raises ``EstimationError`` naming the cell rather than
    report meaningless numbers. Returns one row per term: ``term``, ``coef``
    (log-odds), ``se``, ``p_value``, ``ci_low``, ``ci_high`` (log-odds) and
    ``odds_ratio``, ``or_low``, ``or_high``.
    """
    frame, names = _design_frame(runs, factors, reference_levels, paired)
    _check_separation(frame, names, pairs=len(factors) > 1)
    formula = f"success ~ ({' + '.join(names)})" + ("**2" if len(factors) > 1 else "")
    fit = _fit_logit(formula, frame, paired)
    low, high = fit.conf_int(alpha=1 - confidence).T.to_numpy()
    table = pd.DataFrame({"term": [_readable_term(t, names) for t in fit.params.index],
                          "coef": fit.params.to_numpy(), "se": fit.bse.to_numpy(),
                          "p_value": fit.pvalues.to_numpy(), "ci_low": low, "ci_high": high})
    table["odds_ratio"] = np.exp(table["coef"])
    table["or_low"], table["or_high"] = np.exp(low), np.exp(high)
    return table


def average_marginal_effects(
    runs: pd.DataFrame,
    factors: list[str],
    reference_levels: dict[str, object] | None = None,
    paired: bool = False,
) -> pd.DataFrame:
    """Average marginal effect of each factor level on the success rate, in percentage points.

    ``get_margeff(at="overall", dummy=True)`` on the main-effects model
    ``success ~ f1 + f2 + ...`` (logit, or with ``paired=True`` the GEE model of
    ``logit_coefficients``): for a categorical level, the change in predicted success
    probability when every run is switched from the reference level to that level,
    averaged over the runs (so over the other factors' levels as the design has them);
    for a numeric factor, the average slope per unit. The main-effects model is used
    because ``get_margeff`` treats interaction columns as separate regressors and would
    give wrong AMEs for an interaction model; the interactions are reported by
    ``logit_coefficients``. Delta-method standard errors; ``p_holm`` adjusts the
    family of terms (Holm). Returns ``term``, ``ame_pp``, ``se_pp``, ``p_value``,
    ``p_holm``, ``ci_low_pp``, ``ci_high_pp``.
    """
    frame, names = _design_frame(runs, factors, reference_levels, paired)
    _check_separation(frame, names, pairs=False)
    fit = _fit_logit(f"success ~ {' + '.join(names)}", frame, paired)
    effects = fit.get_margeff(at="overall", method="dydx", dummy=True).summary_frame()
    p_values = effects.iloc[:, 3].to_numpy()
    return pd.DataFrame({
        "term": [_readable_term(t, names) for t in effects.index],
        "ame_pp": 100 * effects.iloc[:, 0].to_numpy(),
        "se_pp": 100 * effects.iloc[:, 1].to_numpy(),
        "p_value": p_values,
        "p_holm": multipletests(p_values, method="holm")[1],
        "ci_low_pp": 100 * effects.iloc[:, 4].to_numpy(),
        "ci_high_pp": 100 * effects.iloc[:, 5].to_numpy(),
    })


def _design_frame(
    runs: pd.DataFrame, factors: list[str], reference_levels: dict[str, object] | None,
    paired: bool = False,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Factors under formula-safe names (``silo.level`` → ``silo_level``), categorical if few;
    with ``paired``, the replicate each run belongs to (its GEE cluster)."""
    names = {factor: re.sub(r"\W", "_", factor) for factor in factors}
    frame = pd.DataFrame({"success": runs["success"].astype(int).to_numpy()})
    if paired:
        frame[CLUSTER] = runs[REPLICATE].to_numpy()
    for factor, name in names.items():
        column = runs[factor].reset_index(drop=True)
        numeric = pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
        if numeric and column.nunique() > MAX_CATEGORICAL_LEVELS:
            frame[name] = column.astype(float)
            continue
        levels = sorted(column.unique(), key=lambda v: (str(type(v)), v))
        first = (reference_levels or {}).get(factor, levels[0])
        levels = [first, *(v for v in levels if v != first)] if first in levels else levels
        frame[name] = pd.Categorical(column, categories=levels)
    return frame, {name: factor for factor, name in names.items()}


def _check_separation(frame: pd.DataFrame, names: dict[str, str], pairs: bool) -> None:
    categorical = [n for n in names if isinstance(frame[n].dtype, pd.CategoricalDtype)]
    groups = [[a] for a in categorical]
    if pairs and len(categorical) > 1:
        groups = [[a, b] for i, a in enumerate(categorical) for b in categorical[i + 1:]]
    for cell in groups:
        rates = frame.groupby(cell, observed=True)["success"].mean()
        extreme = rates[(rates == 0) | (rates == 1)]
        if len(extreme):
            where = extreme.index[0] if len(cell) > 1 else (extreme.index[0],)
            described = ", ".join(f"{names[c]}={v}" for c, v in zip(cell, where, strict=True))
            raise EstimationError(
                f"runs with {described} all {'succeed' if extreme.iloc[0] else 'fail'}: "
                "the logistic model has no finite estimate (separation); "
                "more replications or fewer factors are needed"
            )


def _fit_logit(formula: str, frame: pd.DataFrame, paired: bool = False) -> Any:
    """The fitted logit (or, paired, GEE) results object; refusals as ``EstimationError``."""
    with warnings.catch_warnings():
        for category in (ConvergenceWarning, HessianInversionWarning, PerfectSeparationWarning):
            warnings.simplefilter("error", category)
        try:
            if paired:
                fit = smf.gee(formula, CLUSTER, frame, family=sm.families.Binomial(),
                              cov_struct=sm.cov_struct.Exchangeable()).fit()
            else:
                fit = smf.logit(formula, frame).fit(disp=0)
        except (ConvergenceWarning, HessianInversionWarning, PerfectSeparationWarning,
                np.linalg.LinAlgError, ValueError) as exc:
            raise EstimationError(f"the logistic model could not be fitted ({exc})") from exc
    if not getattr(fit, "mle_retvals", None) or fit.mle_retvals.get("converged", True):
        return fit
    raise EstimationError("the logistic model did not converge")


def _readable_term(term: str, names: dict[str, str]) -> str:
    """``silo_level[T.0.8]:marketing[T.x]`` → ``silo.level=0.8 × marketing=x``."""
    parts = []
    for part in term.split(":"):
        match = re.fullmatch(r"(\w+)\[T\.(.*)\]", part)
        if match:
            parts.append(f"{names.get(match[1], match[1])}={match[2]}")
        else:
            parts.append(names.get(part, part))
    return " × ".join(parts)


def kpi_effects(
    runs: pd.DataFrame,
    reference: str,
    kpis: list[str] | None = None,
    by: str = POINT,
    confidence: float = 0.95,
    n_resamples: int = 2000,
    seed: int = 0,
    paired: bool = False,
) -> pd.DataFrame:
    """Each continuous KPI per group: mean with a bootstrap interval, difference vs reference.

    - mean: bias-corrected and accelerated (BCa) bootstrap interval of the mean (scipy
      ``bootstrap``, ``n_resamples``, seeded); a group whose values are all equal gets a
      zero-width interval.
    - difference from the reference, with a p-value and the interval of the same test, so
      the two always agree (the interval excludes 0 exactly when p < 1 - ``confidence``):
      with ``paired=True`` on the replicates the group shares with the reference, the mean
      of the paired differences with the paired t-test and its t-interval (scipy
      ``ttest_rel``); otherwise the difference of the means with Welch's t-test and its
      interval (scipy ``ttest_ind``, ``equal_var=False``). A comparison without variance —
      every pair differs by the same amount, as a measure fixed before the programme starts
      does under common random numbers (0 in every pair) — has nothing to test: its
      difference stands without interval or p-value and stays out of the Holm family.
      ``p_holm`` adjusts all tested comparisons of the table together (Holm); the
      intervals are not adjusted.
    - Hedges' g, the standardised mean difference with the small-sample correction and
      its normal interval (statsmodels ``effectsize_smd``), only where the KPI really
      varies: when its pooled SD is below ``NEAR_CONSTANT`` (1%) of its level a
      standardised effect is a division by almost nothing (a difference of 0.8% in a
      KPI with an SD of 0.01% would read as g = 80), so g is left empty
      (``near_constant`` is True) and the difference in the KPI's own unit speaks.
    Missing values are dropped per KPI. Returns a long table: ``by``, ``kpi``, ``n``,
    ``mean``, ``ci_low``, ``ci_high``, ``difference``, ``diff_low``, ``diff_high``,
    ``p_value``, ``p_holm``, ``hedges_g``, ``g_low``, ``g_high``, ``near_constant``
    (difference, p and g are empty for the reference itself).
    """
    kpis = [k for k in (kpis if kpis is not None else kpi_columns(runs)) if k in runs.columns]
    rng = np.random.default_rng(seed)
    rows = []
    for kpi in kpis:
        values = {name: group[kpi].dropna().to_numpy(dtype=float)
                  for name, group in runs.groupby(by, observed=True)}
        wide = paired_wide(runs, by, kpi, reference) if paired else None
        for name, sample in values.items():
            low, high = _bootstrap_mean(sample, confidence, n_resamples, rng)
            if name == reference:
                comparison = [np.nan] * 4
            elif wide is not None:
                comparison = _paired_difference(wide, name, reference, confidence)
            else:
                comparison = _kpi_difference(sample, values[reference], confidence)
            effect = (np.nan, np.nan, np.nan, False) if name == reference else \
                _hedges_g(sample, values[reference], confidence)
            rows.append([name, kpi, len(sample), np.mean(sample) if len(sample) else np.nan,
                         low, high, *comparison, *effect])
    table = pd.DataFrame(rows, columns=[by, "kpi", "n", "mean", "ci_low", "ci_high",
                                        "difference", "diff_low", "diff_high", "p_value",
                                        "hedges_g", "g_low", "g_high", "near_constant"])
    tested = table["p_value"].notna()
    table["p_holm"] = np.nan
    if tested.any():
        table.loc[tested, "p_holm"] = multipletests(table.loc[tested, "p_value"],
                                                    method="holm")[1]
    table["near_constant"] = table["near_constant"].astype(bool)
    return table


def _paired_difference(wide: pd.DataFrame, name: object, reference: object,
                       confidence: float) -> list[float]:
    """Mean replicate-by-replicate difference from the reference, its t-interval and p."""
    if name not in wide or reference not in wide:
        return [np.nan] * 4
    pairs = wide[[name, reference]].dropna().to_numpy(dtype=float)
    if len(pairs) < 2:
        return [np.nan] * 4
    differences = pairs[:, 0] - pairs[:, 1]
    if np.ptp(differences) == 0:   # nothing varies between the pairs: nothing to test
        return [float(differences[0]), np.nan, np.nan, np.nan]
    return _t_result(float(differences.mean()), sps.ttest_rel(pairs[:, 0], pairs[:, 1]),
                     confidence)


def _kpi_difference(mine: np.ndarray, theirs: np.ndarray, confidence: float) -> list[float]:
    """Difference of the means of two independent samples: Welch's p and interval."""
    if len(mine) < 2 or len(theirs) < 2:
        return [np.nan] * 4
    difference = float(mine.mean() - theirs.mean())
    if np.ptp(mine) == 0 and np.ptp(theirs) == 0:
        return [difference, np.nan, np.nan, np.nan]
    return _t_result(difference, sps.ttest_ind(mine, theirs, equal_var=False), confidence)


def _t_result(difference: float, result: Any, confidence: float) -> list[float]:
    interval = result.confidence_interval(confidence_level=confidence)
    return [difference, float(interval.low), float(interval.high), float(result.pvalue)]


def _bootstrap_mean(
    sample: np.ndarray, confidence: float, n_resamples: int, rng: np.random.Generator
) -> tuple[float, float]:
    if len(sample) < 2:
        return np.nan, np.nan
    if np.ptp(sample) == 0:
        return float(sample[0]), float(sample[0])
    with warnings.catch_warnings():  # BCa on few distinct values warns, then falls back
        warnings.simplefilter("ignore", sps.DegenerateDataWarning)
        result = sps.bootstrap((sample,), np.mean, confidence_level=confidence,
                               n_resamples=n_resamples, method="BCa", rng=rng)
    low, high = result.confidence_interval
    if not (np.isfinite(low) and np.isfinite(high)):
        low, high = np.percentile(result.bootstrap_distribution,
                                  [50 * (1 - confidence), 50 * (1 + confidence)])
    return float(low), float(high)


def _hedges_g(
    sample: np.ndarray, reference: np.ndarray, confidence: float
) -> tuple[float, float, float, bool]:
    """Hedges' g with its interval, or NaN and ``near_constant`` when the KPI barely varies."""
    if len(sample) < 2 or len(reference) < 2:
        return np.nan, np.nan, np.nan, False
    sd1, sd2 = np.std(sample, ddof=1), np.std(reference, ddof=1)
    pooled = np.sqrt(((len(sample) - 1) * sd1**2 + (len(reference) - 1) * sd2**2)
                     / (len(sample) + len(reference) - 2))
    level = max(abs(np.mean(sample)), abs(np.mean(reference)))
    if pooled == 0 or pooled < NEAR_CONSTANT * level:
        return np.nan, np.nan, np.nan, True
    g, variance = effectsize_smd(np.mean(sample), sd1, len(sample),
                                 np.mean(reference), sd2, len(reference))
    half = sps.norm.ppf(0.5 + confidence / 2) * np.sqrt(variance)
    return float(g), float(g - half), float(g + half), False


def lead_funnel(runs: pd.DataFrame, by: str = POINT) -> pd.DataFrame:
    """Mean leads per run at each funnel stage, as shares of created leads and of the stage before.

    Descriptive: averages over replications of each run's totals (ratios of the
    means, so runs with more leads weigh more). Returns a long table ``by``,
    ``stage`` (created, followed up, qualified, won), ``mean``, ``share`` (of the
    first stage present, normally created) and ``conversion`` (of the previous stage).
    """
    stages = [c for c in FUNNEL_STAGES if c in runs.columns]
    means = runs.groupby(by, observed=True)[stages].mean()
    shares = means.div(means.iloc[:, 0], axis=0)
    conversions = means.div(means.shift(1, axis=1))
    return pd.DataFrame({
        by: np.repeat(means.index.to_numpy(), len(stages)),
        "stage": np.tile([FUNNEL_STAGES[s] for s in stages], len(means)),
        "mean": means.to_numpy().ravel(),
        "share": shares.to_numpy().ravel(),
        "conversion": conversions.to_numpy().ravel(),
    })


def replications_to_detect(
    rate: float, difference: float, power: float = 0.8, alpha: float = 0.05
) -> int:
    """Replications per point to detect ``rate`` vs ``rate ± difference`` with the given power.

    Two-sided two-sample test of proportions via Cohen's h and the normal power
    function (statsmodels ``NormalIndPower`` with ``proportion_effectsize``),
    equal replications per point. Both directions that stay within [0, 1] are
    tried and the larger requirement is returned (the harder case decides).
    The arcsine approximation slightly understates what Fisher's exact test
    needs for very small counts. An effect so large that the solver finds no root below
    its bracket (a few runs) takes the one-tailed closed form 2·(z₁₋α/₂ + z₁₋β)²/h²; no
    answer is below ``MIN_REPLICATIONS``.
    """
    targets = [t for t in (rate + difference, rate - difference) if 0 <= t <= 1]
    return max(MIN_REPLICATIONS, max(_runs_for_h(abs(proportion_effectsize(t, rate)), power,
                                                 alpha) for t in targets))


def _runs_for_h(h: float, power: float, alpha: float) -> int:
    with warnings.catch_warnings():   # a failed root search is answered below
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        n = NormalIndPower().solve_power(effect_size=h, alpha=alpha, power=power, ratio=1.0,
                                         alternative="two-sided")
    if not np.isfinite(n):
        n = 2 * ((sps.norm.ppf(1 - alpha / 2) + sps.norm.ppf(power)) / h) ** 2
    return int(np.ceil(n))


def paired_replications_to_detect(
    discordant: float, difference: float, power: float = 0.8, alpha: float = 0.05
) -> int:
    """Pairs needed for McNemar's test to detect ``difference`` with the given power.

    Connor's (1987) sample size for paired proportions: with ψ the share of discordant
    pairs and δ the difference of the two rates (the difference of the discordant
    shares), n = (z₁₋α/₂·√ψ + z₁₋β·√(ψ − δ²))² / δ². ψ can be no smaller than |δ|, so it
    is raised to |δ| when the observed share is smaller. The normal approximation is
    slightly optimistic for the exact test when few pairs are discordant.
    """
    delta = abs(difference)
    if not 0 < delta <= 1:
        raise ValueError(f"difference {difference}: expected a non-zero difference of rates")
    psi = min(max(discordant, delta), 1.0)
    z_alpha, z_power = sps.norm.ppf(1 - alpha / 2), sps.norm.ppf(power)
    root = z_alpha * np.sqrt(psi) + z_power * np.sqrt(max(psi - delta**2, 0.0))
    return max(MIN_REPLICATIONS, int(np.ceil(root**2 / delta**2)))


def replications_for_width(
    rate: float, width: float, confidence: float = 0.95, max_n: int = 100_000
) -> int:
    """Smallest number of replications whose Wilson interval at ``rate`` is at most ``width`` wide.

    Evaluates the same Wilson interval the report shows (statsmodels
    ``proportion_confint``) for every n up to ``max_n``; assumes the rate stays
    near ``rate`` as replications are added.
    """
    n = np.arange(1, max_n + 1)
    low, high = proportion_confint(rate * n, n, alpha=1 - confidence, method="wilson")
    enough = np.flatnonzero(np.asarray(high) - np.asarray(low) <= width)
    if not len(enough):
        raise ValueError(f"an interval of width {width} needs more than {max_n} replications")
    return int(n[enough[0]])


def replication_plan(
    runs: pd.DataFrame,
    by: str = POINT,
    difference: float = 0.10,
    power: float = 0.8,
    alpha: float = 0.05,
    target_width: float = 0.10,
) -> pd.DataFrame:
    """Per group: replications run, the interval width achieved, and replications needed.

    ``n_for_width``: replications for a Wilson interval no wider than
    ``target_width`` at the observed rate (``replications_for_width``).
    ``n_to_detect``: replications per point to detect a change of
    ``difference`` from the observed rate with ``power`` at level ``alpha``
    (``replications_to_detect``). Both take the observed rate as the truth.
    """
    table = success_rates(runs, by, confidence=1 - alpha)
    table["ci_width"] = table["ci_high"] - table["ci_low"]
    table["n_for_width"] = [replications_for_width(r, target_width, 1 - alpha)
                            for r in table["rate"]]
    table["n_to_detect"] = [replications_to_detect(r, difference, power, alpha)
                            for r in table["rate"]]
    return table[[by, "n", "rate", "ci_width", "n_for_width", "n_to_detect"]]
