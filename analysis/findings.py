"""Plain-language findings a consultant can read aloud, and the number formats they share.

Sentences follow one pattern — what changes, from what to what, by how much, how sure —
e.g. "Five key actions raises success from 18% [15–22] to 47% [42–52], +29 points
[23 to 35], p < 0.001". Bracketed ranges are 95% intervals; p-values are the report's
test against the reference (McNemar's exact test for paired runs, Fisher's otherwise),
Holm-adjusted for the number of comparisons.

One rule keeps the findings honest: **no sentence claims more than the tests allow**.
A point is said to differ from the reference only when its Holm-adjusted p is below
``ALPHA`` *and* the omnibus test across all points agrees that the points differ at all;
a factor's average effect is spoken only under the same omnibus and with a Holm-adjusted
p; a KPI only with its Holm-adjusted p over the whole KPI table. Otherwise the sentence
says the difference is within chance.
"""

from __future__ import annotations

import pandas as pd

from analysis.measures import measure
from analysis.results import POINT
from analysis.stats import OmnibusResult
from analysis.words import term_words

ALPHA = 0.05
MAX_COMPARISONS_SPOKEN = 8
LABEL_MEANINGS = {
    "stalled": "stall (cancelled, or never rolled out)",
    "low_adoption": "roll out but too few reps genuinely use the tools",
    "not_sustained": "reach the adoption bar but fall back by the end",
}
LABEL_RISKS = {
    "stalled": "the programme stalls, cancelled or never rolled out",
    "low_adoption": "the tools roll out but too few reps genuinely use them",
    "not_sustained": "adoption reaches the bar, then falls back",
}


def counted(n: int, noun: str) -> str:
    """``1 run``, ``12 runs``, ``1 scenario point``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def listed(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def percent(rate: float) -> str:
    """``0.183`` → ``18%``."""
    return f"{100 * rate:.0f}%"


def percent_interval(rate: float, low: float, high: float) -> str:
    """``18% [14–22]``: a rate and its interval in whole percent."""
    return f"{percent(rate)} [{100 * low:.0f}–{100 * high:.0f}]"


def points_change(difference: float) -> str:
    """A difference of rates in percentage points with its sign: ``+29 points``."""
    return f"{100 * difference:+.0f} points"


def points_interval(difference: float, low: float, high: float) -> str:
    """``+29 points [23 to 35]``: a difference of rates and its interval."""
    return f"{points_change(difference)} [{100 * low:+.0f} to {100 * high:+.0f}]"


def p_text(p: float) -> str:
    """``p < 0.001``, ``p = 0.0043``, ``p = 0.64``: two significant figures."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}"


def ratio_interval(value: float, low: float, high: float) -> str:
    """An odds ratio and its interval: ``4.0 [1.8–9.0]``, ``0.41 [0.14–1.2]``, ``– [0–∞]``."""

    def ratio(v: float) -> str:
        if pd.isna(v):
            return "–"
        if v == float("inf"):
            return "∞"
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


def points_differ(omnibus: OmnibusResult | None) -> bool:
    """Whether the omnibus test lets any difference be claimed (a lone pair has none)."""
    return omnibus is None or omnibus.p_value < ALPHA


def overview(rates: pd.DataFrame, omnibus: OmnibusResult | None) -> str:
    """How many points and runs, the range of success rates, and whether they differ at all."""
    best, worst = rates.loc[rates["rate"].idxmax()], rates.loc[rates["rate"].idxmin()]
    text = (f"Across {counted(len(rates), 'scenario point')} and "
            f"{counted(int(rates['n'].sum()), 'run')}, success ")
    if best["rate"] == worst["rate"]:
        text += f"is {percent(best['rate'])} everywhere."
    else:
        text += (f"ranges from {percent(worst['rate'])} ({worst[POINT]}) "
                 f"to {percent(best['rate'])} ({best[POINT]}).")
    if omnibus is None:
        return text
    stats = f"{omnibus.method}: χ² = {omnibus.statistic:.1f}, df = {omnibus.dof}, " \
            f"{p_text(omnibus.p_value)}"
    if omnibus.p_value < ALPHA:
        return text + f" The points differ by more than chance would explain ({stats})."
    return text + f" The differences are within what chance alone produces ({stats})."


def comparison(row: pd.Series, reference: pd.Series, claim: bool = True) -> str:
    """One point against the reference, in the house pattern; a difference only if ``claim``."""
    ref = percent_interval(reference["rate"], reference["ci_low"], reference["ci_high"])
    this = percent_interval(row["rate"], row["ci_low"], row["ci_high"])
    change = (f"{points_interval(row['risk_difference'], row['rd_low'], row['rd_high'])}, "
              f"{p_text(row['p_holm'])}")
    if row["p_holm"] >= ALPHA or not claim:
        return f"{row[POINT]} is at {this} against {ref} for the reference, {change}"
    verb = "raises" if row["risk_difference"] > 0 else "lowers"
    return f"{row[POINT]} {verb} success from {ref} to {this}, {change}"


def comparisons(rates: pd.DataFrame, pairwise: pd.DataFrame, reference: str,
                omnibus: OmnibusResult | None = None) -> list[str]:
    """The clear differences from the reference, largest first; then one sentence for the rest.

    A difference is clear when its Holm-adjusted p is below ``ALPHA`` and the omnibus test
    (if there is one) says the points differ at all.
    """
    indexed = rates.set_index(POINT)
    ref = indexed.loc[reference]
    merged = pairwise.join(indexed[["ci_low", "ci_high"]], on=POINT)
    merged = merged.reindex(merged["risk_difference"].abs().sort_values(ascending=False).index)
    claimable = points_differ(omnibus)
    clear_rows = (merged["p_holm"] < ALPHA) & claimable
    clear, unclear = merged[clear_rows], merged[~clear_rows]
    sentences = [comparison(row, ref) + "." for _, row in
                 clear.head(MAX_COMPARISONS_SPOKEN).iterrows()]
    if len(clear) > MAX_COMPARISONS_SPOKEN:
        more = len(clear) - MAX_COMPARISONS_SPOKEN
        sentences.append(f"{counted(more, 'more point')} differ{'s' if more == 1 else ''} "
                         "clearly; see the tests table.")
    if len(unclear):
        runs = int(unclear["n"].median())
        others = "point is" if len(unclear) == 1 else "points are"
        why = (f"Holm-adjusted p ≥ {ALPHA}" if claimable
               else "the test across all points finds no difference beyond chance")
        sentences.append(
            f"{len(unclear)} {'' if clear.empty else 'other '}{others} not distinguishable from "
            f"the reference with {counted(runs, 'run')} each ({why}); the largest gap: "
            + comparison(unclear.iloc[0], ref, claim=False) + ".")
    return sentences


def commonest_failure(modes: pd.DataFrame, name: str) -> str | None:
    """The label of the commonest way runs of ``name`` fail, or None if none fail."""
    failures = modes.loc[name, list(LABEL_MEANINGS)]
    return None if failures.sum() == 0 else str(failures.idxmax())


def failure_story(modes: pd.DataFrame, name: str) -> str:
    """The commonest way runs of one point fail."""
    mode = commonest_failure(modes, name)
    if mode is None:
        return f"Every run of {name} succeeds."
    return (f"In {name}, the commonest failure is to {LABEL_MEANINGS[mode]}: "
            f"{percent(modes.loc[name, mode])} of runs.")


def main_risk(modes: pd.DataFrame, name: str) -> str:
    """The best option's main risk, its commonest failure mode, as a clause."""
    mode = commonest_failure(modes, name)
    if mode is None:
        return "no run of it failed"
    return f"{LABEL_RISKS[mode]} ({percent(modes.loc[name, mode])} of its runs)"


def factor_effects(effects: pd.DataFrame, omnibus: OmnibusResult | None = None) -> list[str]:
    """Sentences for the average marginal effects that are clear after Holm, when the
    omnibus test lets any difference be claimed."""
    if not points_differ(omnibus):
        return []
    clear = effects[effects["p_holm"] < ALPHA]
    return [f"Averaged over the other factors, {term_words(row['term'])} changes success by "
            f"{row['ame_pp']:+.0f} points [{row['ci_low_pp']:+.0f} to {row['ci_high_pp']:+.0f}], "
            f"Holm-adjusted {p_text(row['p_holm'])}."
            for _, row in clear.sort_values("ame_pp", key=abs, ascending=False).iterrows()]


def kpi_story(effects: pd.DataFrame, name: str, reference: str) -> str | None:
    """Up to three KPIs of one point that clearly differ from the reference (Holm over the
    KPI table), in each KPI's own unit, largest relative change first."""
    mine = effects[(effects[POINT] == name) & (effects["p_holm"] < ALPHA)]
    if mine.empty:
        return None
    base = effects[effects[POINT] == reference].set_index("kpi")["mean"]
    relative = (mine["difference"] / mine["kpi"].map(base).abs()).abs()
    mine = mine.loc[relative.sort_values(ascending=False).index]
    moves = [f"{measure(r.kpi).label.lower()} from {measure(r.kpi).value(base[r.kpi])} to "
             f"{measure(r.kpi).value(r.mean)} "
             f"({measure(r.kpi).change_interval(r.difference, r.diff_low, r.diff_high)})"
             for r in mine.head(3).itertuples()]
    return f"{name} also moves " + "; ".join(moves) + "."


def replication_story(
    plan: pd.DataFrame, reference: str, difference: float, power: float
) -> str:
    """How precise the intervals are now, and what a given detectable difference would cost."""
    half = 100 * plan["ci_width"].median() / 2
    runs = int(plan["n"].median())
    needed = int(plan.set_index(POINT).loc[reference, "n_to_detect"])
    return (f"With {counted(runs, 'run')} per point, success-rate intervals are "
            f"about ±{half:.0f} points; "
            f"detecting a {100 * difference:.0f}-point change from the reference with "
            f"{power:.0%} power needs about {needed} runs per point (fewer when the runs are "
            "paired, as under common random numbers).")
