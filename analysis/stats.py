"""Statistics on a sweep's runs: success rates, tests against a reference, effects, planning.

Every function takes the runs table (one row per replication, a boolean
``success`` and a ``label`` column) and the name of the column that identifies
the groups to compare — ``"point"`` for a loaded sweep, but any column works
(``"scenario"``, ``"silo.level"``). The computations are the library ones
(scipy, statsmodels); this module chooses them, wires them together and says
what they assume.

Shared assumption of the tests: replications are independent draws. Runs of one
point use distinct seeds, so within a point that holds. Across points, the
engine's default ``seeding: common`` gives replicate r the same seed at every
point (common random numbers): outcomes of two points are then positively
correlated, and the independent-sample tests here are conservative (p-values
too large, intervals too wide), never anti-conservative. ``load_results`` notes
it when a sweep shares seeds.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats as sps
from statsmodels.discrete.discrete_model import BinaryResultsWrapper
from statsmodels.stats.contingency_tables import Table2x2
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

from analysis.results import LABELS, POINT

KPI_LABELS = {
    "value_ratio": "Revenue vs baseline quarter (ratio)",
    "revenue_final": "Recurring revenue at the end",
    "adoption_final": "Adoption at the end (share of work in the tools)",
    "genuine_share_final": "Reps genuinely using the tools at the end",
    "rep_attrition_annual": "Rep attrition (annual rate)",
    "churn_annual": "Customer churn (annual rate)",
    "followed_up_share": "Leads followed up (share)",
}
FUNNEL_STAGES = {
    "leads_created": "created",
    "leads_followed_up": "followed up",
    "leads_qualified": "qualified",
    "leads_won": "won",
}
MAX_CATEGORICAL_LEVELS = 5


class EstimationError(ValueError):
    """A model that cannot be estimated from these data, with the reason in words."""


@dataclass(frozen=True)
class OmnibusResult:
    """Pearson χ² test of homogeneity across groups."""

    statistic: float
    dof: int
    p_value: float
    groups: int
    min_expected: float

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
    table["ci_low"], table["ci_high"] = np.asarray(low), np.asarray(high)
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


def omnibus_test(runs: pd.DataFrame, by: str = POINT, outcome: str = "success") -> OmnibusResult:
    """Pearson χ² test of homogeneity: do the groups share one outcome distribution?

    ``outcome="success"`` tests equal success rates (groups × {success, failure});
    ``outcome="label"`` tests an equal mix of the four labels. scipy
    ``chi2_contingency`` without Yates' continuity correction. Assumes independent
    runs and a large-sample χ² approximation; check ``expected_counts_ok`` (each
    expected count ≥ 5) and prefer the exact pairwise tests when it fails.
    Outcome categories no group ever shows are dropped (they carry no information).
    """
    table = pd.crosstab(runs[by], runs[outcome])
    table = table.loc[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2:
        return OmnibusResult(0.0, table.shape[0] - 1, 1.0, table.shape[0], float("inf"))
    result = sps.chi2_contingency(table.to_numpy(), correction=False)
    return OmnibusResult(
        statistic=float(result.statistic),
        dof=int(result.dof),
        p_value=float(result.pvalue),
        groups=table.shape[0],
        min_expected=float(result.expected_freq.min()),
    )


def pairwise_vs_reference(
    runs: pd.DataFrame, reference: str, by: str = POINT, confidence: float = 0.95
) -> pd.DataFrame:
    """Each group against the reference: Fisher's exact test, risk difference, odds ratio, h.

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
    Assumes independent runs within and between groups (see the module note on
    common random numbers).
    """
    counts = success_rates(runs, by, confidence).set_index(by)
    if reference not in counts.index:
        raise KeyError(f"reference {reference!r} is not a value of {by!r}")
    ref = counts.loc[reference]
    rows = [_compare(name, row, ref, confidence)
            for name, row in counts.iterrows() if name != reference]
    table = pd.DataFrame(rows, columns=[by, "n", "rate", "reference_rate", "risk_difference",
                                        "rd_low", "rd_high", "odds_ratio", "or_low", "or_high",
                                        "cohen_h", "p_value"])
    table["p_holm"] = multipletests(table["p_value"], method="holm")[1] if len(table) else []
    return table


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
            float(sps.fisher_exact(cells).pvalue)]


def logit_coefficients(
    runs: pd.DataFrame,
    factors: list[str],
    reference_levels: dict[str, object] | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Logistic regression of success on the factors and all their two-way interactions.

    statsmodels ``logit`` with formula ``success ~ (f1 + f2 + ...)**2``. Factors
    with at most five levels are categorical (treatment coding against
    ``reference_levels`` — default: the first level — so no linearity is
    assumed); numeric factors with more levels enter linearly. Assumes
    independent runs and no (quasi-)separation: a cell of two factors with 0% or
    100% success has no finite maximum-likelihood estimate, and this raises
    ``EstimationError`` naming the cell rather than report meaningless numbers.
    Returns one row per term: ``term``, ``coef`` (log-odds), ``se``, ``p_value``,
    ``ci_low``, ``ci_high`` (log-odds) and ``odds_ratio``, ``or_low``, ``or_high``.
    """
    frame, names = _design_frame(runs, factors, reference_levels)
    _check_separation(frame, names, pairs=len(factors) > 1)
    formula = f"success ~ ({' + '.join(names)})" + ("**2" if len(factors) > 1 else "")
    fit = _fit_logit(formula, frame)
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
) -> pd.DataFrame:
    """Average marginal effect of each factor level on the success rate, in percentage points.

    statsmodels ``get_margeff(at="overall", dummy=True)`` on the main-effects
    logit ``success ~ f1 + f2 + ...``: for a categorical level, the change in
    predicted success probability when every run is switched from the reference
    level to that level, averaged over the runs (so over the other factors'
    levels as the design has them); for a numeric factor, the average slope per
    unit. The main-effects model is used because ``get_margeff`` treats
    interaction columns as separate regressors and would give wrong AMEs for an
    interaction model; the interactions are reported by ``logit_coefficients``.
    Delta-method standard errors; same assumptions as ``logit_coefficients``.
    Returns ``term``, ``ame_pp``, ``se_pp``, ``p_value``, ``ci_low_pp``, ``ci_high_pp``.
    """
    frame, names = _design_frame(runs, factors, reference_levels)
    _check_separation(frame, names, pairs=False)
    fit = _fit_logit(f"success ~ {' + '.join(names)}", frame)
    effects = fit.get_margeff(at="overall", method="dydx", dummy=True).summary_frame()
    return pd.DataFrame({
        "term": [_readable_term(t, names) for t in effects.index],
        "ame_pp": 100 * effects.iloc[:, 0].to_numpy(),
        "se_pp": 100 * effects.iloc[:, 1].to_numpy(),
        "p_value": effects.iloc[:, 3].to_numpy(),
        "ci_low_pp": 100 * effects.iloc[:, 4].to_numpy(),
        "ci_high_pp": 100 * effects.iloc[:, 5].to_numpy(),
    })


def _design_frame(
    runs: pd.DataFrame, factors: list[str], reference_levels: dict[str, object] | None
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Factors under formula-safe names (``silo.level`` → ``silo_level``), categorical if few."""
    names = {factor: re.sub(r"\W", "_", factor) for factor in factors}
    frame = pd.DataFrame({"success": runs["success"].astype(int).to_numpy()})
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


def _fit_logit(formula: str, frame: pd.DataFrame) -> BinaryResultsWrapper:
    with warnings.catch_warnings():
        for category in (ConvergenceWarning, HessianInversionWarning, PerfectSeparationWarning):
            warnings.simplefilter("error", category)
        try:
            fit = smf.logit(formula, frame).fit(disp=0)
        except (ConvergenceWarning, HessianInversionWarning, PerfectSeparationWarning,
                np.linalg.LinAlgError) as exc:
            raise EstimationError(f"the logistic model could not be fitted ({exc})") from exc
    if not fit.mle_retvals.get("converged", True):
        raise EstimationError("the logistic model did not converge")
    return fit


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
) -> pd.DataFrame:
    """Mean of each continuous KPI per group with a bootstrap interval, and Hedges' g vs reference.

    Interval: bias-corrected and accelerated (BCa) bootstrap of the mean (scipy
    ``bootstrap``, ``n_resamples`` resamples, seeded for reproducibility); it
    assumes the runs are an i.i.d. sample of the point and adjusts for skew, as
    revenue and attrition often are. A group whose values are all equal gets a
    zero-width interval. Effect size: Hedges' g, the standardised mean
    difference (group − reference) with the small-sample correction and its
    large-sample normal interval (statsmodels ``effectsize_smd``); it assumes
    roughly equal spread in the two groups. Missing values are dropped per KPI.
    Returns a long table: ``by``, ``kpi``, ``n``, ``mean``, ``ci_low``, ``ci_high``,
    ``hedges_g``, ``g_low``, ``g_high`` (g is empty for the reference itself).
    """
    kpis = [k for k in (kpis or list(KPI_LABELS)) if k in runs.columns]
    rng = np.random.default_rng(seed)
    rows = []
    for kpi in kpis:
        values = {name: group[kpi].dropna().to_numpy(dtype=float)
                  for name, group in runs.groupby(by, observed=True)}
        for name, sample in values.items():
            low, high = _bootstrap_mean(sample, confidence, n_resamples, rng)
            g, g_low, g_high = (np.nan,) * 3 if name == reference else \
                _hedges_g(sample, values[reference], confidence)
            rows.append([name, kpi, len(sample), np.mean(sample) if len(sample) else np.nan,
                         low, high, g, g_low, g_high])
    return pd.DataFrame(rows, columns=[by, "kpi", "n", "mean", "ci_low", "ci_high",
                                       "hedges_g", "g_low", "g_high"])


def _bootstrap_mean(
    sample: np.ndarray, confidence: float, n_resamples: int, rng: np.random.Generator
) -> tuple[float, float]:
    if len(sample) < 2:
        return np.nan, np.nan
    if np.ptp(sample) == 0:
        return float(sample[0]), float(sample[0])
    result = sps.bootstrap((sample,), np.mean, confidence_level=confidence,
                           n_resamples=n_resamples, method="BCa", rng=rng)
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def _hedges_g(
    sample: np.ndarray, reference: np.ndarray, confidence: float
) -> tuple[float, float, float]:
    if len(sample) < 2 or len(reference) < 2:
        return np.nan, np.nan, np.nan
    sd1, sd2 = np.std(sample, ddof=1), np.std(reference, ddof=1)
    if sd1 == 0 and sd2 == 0:
        return np.nan, np.nan, np.nan
    g, variance = effectsize_smd(np.mean(sample), sd1, len(sample),
                                 np.mean(reference), sd2, len(reference))
    half = sps.norm.ppf(0.5 + confidence / 2) * np.sqrt(variance)
    return float(g), float(g - half), float(g + half)


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
    needs for very small counts.
    """
    targets = [t for t in (rate + difference, rate - difference) if 0 <= t <= 1]
    needed = [NormalIndPower().solve_power(effect_size=abs(proportion_effectsize(t, rate)),
                                           alpha=alpha, power=power, ratio=1.0,
                                           alternative="two-sided") for t in targets]
    return int(np.ceil(max(needed)))


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
