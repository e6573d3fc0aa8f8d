"""Plain-language findings a consultant can read aloud, and the number formats they share.

Sentences follow one pattern — what changes, from what to what, by how much,
how sure — e.g. "five_actions raises success from 18% [14–22] to 47% [42–52],
+29 points, p < 0.001". The bracketed ranges are 95% intervals; p-values are
Fisher's exact test, Holm-adjusted for the number of comparisons.
"""

from __future__ import annotations

import pandas as pd

from analysis.results import POINT
from analysis.stats import KPI_LABELS, OmnibusResult

ALPHA = 0.05
MAX_COMPARISONS_SPOKEN = 8
LABEL_MEANINGS = {
    "stalled": "stall (cancelled, or never rolled out)",
    "low_adoption": "roll out but too few reps genuinely use the tools",
    "not_sustained": "reach the adoption bar but fall back by the end",
}


def percent(rate: float) -> str:
    """``0.183`` → ``18%``."""
    return f"{100 * rate:.0f}%"


def percent_interval(rate: float, low: float, high: float) -> str:
    """``18% [14–22]``: a rate and its interval in whole percent."""
    return f"{percent(rate)} [{100 * low:.0f}–{100 * high:.0f}]"


def points_change(difference: float) -> str:
    """A difference of rates in percentage points with its sign: ``+29 points``."""
    return f"{100 * difference:+.0f} points"


def p_text(p: float) -> str:
    """``p < 0.001``, ``p = 0.0043``, ``p = 0.64``: two significant figures."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}"


def ratio_interval(value: float, low: float, high: float) -> str:
    """An odds ratio and its interval: ``4.0 [1.8–9.0]``, ``0.41 [0.14–1.2]``."""

    def ratio(v: float) -> str:
        return f"{v:.1f}" if v >= 1 else f"{v:.2f}"

    return f"{ratio(value)} [{ratio(low)}–{ratio(high)}]"


def number(value: float) -> str:
    """A KPI value: thousands with separators, smaller values to three significant figures."""
    if pd.isna(value):
        return "–"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def number_interval(value: float, low: float, high: float) -> str:
    """A KPI value and its interval: ``0.752 [0.73–0.77]``, ``6,110 [5,930–6,300]``."""
    return f"{number(value)} [{number(low)}–{number(high)}]"


def overview(rates: pd.DataFrame, omnibus: OmnibusResult | None) -> str:
    """How many points and runs, the range of success rates, and whether they differ at all."""
    best, worst = rates.loc[rates["rate"].idxmax()], rates.loc[rates["rate"].idxmin()]
    text = f"Across {len(rates)} scenario point(s) and {int(rates['n'].sum())} runs, success "
    if best["rate"] == worst["rate"]:
        text += f"is {percent(best['rate'])} everywhere."
    else:
        text += (f"ranges from {percent(worst['rate'])} ({worst[POINT]}) "
                 f"to {percent(best['rate'])} ({best[POINT]}).")
    if omnibus is None:
        return text
    stats = f"χ² = {omnibus.statistic:.1f}, df = {omnibus.dof}, {p_text(omnibus.p_value)}"
    if omnibus.p_value < ALPHA:
        return text + f" The points differ by more than chance would explain ({stats})."
    return text + f" The differences are within what chance alone produces ({stats})."


def comparison(row: pd.Series, reference: pd.Series) -> str:
    """One point against the reference, in the house pattern."""
    ref = percent_interval(reference["rate"], reference["ci_low"], reference["ci_high"])
    this = percent_interval(row["rate"], row["ci_low"], row["ci_high"])
    change = f"{points_change(row['risk_difference'])}, {p_text(row['p_holm'])}"
    if row["p_holm"] >= ALPHA:
        return f"{row[POINT]} is at {this} against {ref} for the reference, {change}"
    verb = "raises" if row["risk_difference"] > 0 else "lowers"
    return f"{row[POINT]} {verb} success from {ref} to {this}, {change}"


def comparisons(rates: pd.DataFrame, pairwise: pd.DataFrame, reference: str) -> list[str]:
    """The clear differences from the reference, largest first; then one sentence for the rest."""
    indexed = rates.set_index(POINT)
    ref = indexed.loc[reference]
    merged = pairwise.join(indexed[["ci_low", "ci_high"]], on=POINT)
    merged = merged.reindex(merged["risk_difference"].abs().sort_values(ascending=False).index)
    clear, unclear = merged[merged["p_holm"] < ALPHA], merged[merged["p_holm"] >= ALPHA]
    sentences = [comparison(row, ref) + "." for _, row in
                 clear.head(MAX_COMPARISONS_SPOKEN).iterrows()]
    if len(clear) > MAX_COMPARISONS_SPOKEN:
        sentences.append(f"{len(clear) - MAX_COMPARISONS_SPOKEN} more point(s) differ clearly; "
                         "see the tests table.")
    if len(unclear):
        runs = int(unclear["n"].median())
        others = "point is" if len(unclear) == 1 else "points are"
        sentences.append(
            f"{len(unclear)} {'' if clear.empty else 'other '}{others} not distinguishable from "
            f"the reference with {runs} runs each (Holm-adjusted p ≥ {ALPHA}); the largest gap: "
            + comparison(unclear.iloc[0], ref) + ".")
    return sentences


def failure_story(modes: pd.DataFrame, name: str) -> str:
    """The commonest way runs of one point fail."""
    failures = modes.loc[name, list(LABEL_MEANINGS)]
    if failures.sum() == 0:
        return f"Every run of {name} succeeds."
    mode = failures.idxmax()
    return (f"In {name}, the commonest failure is to {LABEL_MEANINGS[mode]}: "
            f"{percent(failures[mode])} of runs.")


def factor_effects(effects: pd.DataFrame) -> list[str]:
    """Sentences for the average marginal effects whose interval excludes zero."""
    clear = effects[(effects["ci_low_pp"] > 0) | (effects["ci_high_pp"] < 0)]
    return [f"Averaged over the other factors, {row['term']} changes success by "
            f"{row['ame_pp']:+.0f} points [{row['ci_low_pp']:.0f} to {row['ci_high_pp']:.0f}], "
            f"{p_text(row['p_value'])}."
            for _, row in clear.sort_values("ame_pp", key=abs, ascending=False).iterrows()]


def kpi_story(effects: pd.DataFrame, name: str, reference: str) -> str | None:
    """Up to three KPIs of one point that clearly differ from the reference (g's CI excludes 0)."""
    mine = effects[(effects[POINT] == name) & ((effects["g_low"] > 0) | (effects["g_high"] < 0))]
    if mine.empty:
        return None
    base = effects[effects[POINT] == reference].set_index("kpi")["mean"]
    mine = mine.reindex(mine["hedges_g"].abs().sort_values(ascending=False).index)
    moves = [f"{KPI_LABELS.get(r.kpi, r.kpi).lower()} from {number(base[r.kpi])} to "
             f"{number(r.mean)} (g = {r.hedges_g:+.1f})" for r in mine.head(3).itertuples()]
    return f"{name} also moves " + "; ".join(moves) + "."


def replication_story(
    plan: pd.DataFrame, reference: str, difference: float, power: float
) -> str:
    """How precise the intervals are now, and what a given detectable difference would cost."""
    half = 100 * plan["ci_width"].median() / 2
    runs = int(plan["n"].median())
    needed = int(plan.set_index(POINT).loc[reference, "n_to_detect"])
    return (f"With {runs} runs per point, success-rate intervals are about ±{half:.0f} points; "
            f"detecting a {100 * difference:.0f}-point change from the reference with "
            f"{power:.0%} power "
            f"needs about {needed} runs per point.")
