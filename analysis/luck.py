"""Luck versus levers: how much of success the company's own traits decide, next to the levers.

A run's company is drawn at random (its culture, the fit of its tools at the start…);
the model records those draws as ``company.<trait>`` columns of runs.parquet. A lever a
consultant can pull is only worth quoting beside how much the draw of the company
decides. Two views:

- **deviance shares**: four logistic models of success (statsmodels ``GLM``, binomial) —
  none, the levers (the scenario point as a categorical factor, so every lever and every
  interaction of the swept levers is in it), the traits (linear in each trait), and
  both. The share of the null model's deviance each explains is McFadden's pseudo-R²;
  what the levers add beyond the traits, and the traits beyond the levers, are the
  differences. A point with 0% or 100% success is predicted perfectly by its own
  factor level (its deviance contribution is 0 in every model with the levers), so the
  models with levers are fitted on the other points, exactly and without separation.
- **terciles**: each trait cut into thirds of all runs, and each point's success rate
  with its Wilson interval in each third.

These are descriptive shares of this sweep's variation: they depend on the levers' swept
ranges and the traits' drawn ranges, so they compare causes only within one design. They
are only as good as the models: with fewer than ``MIN_EVENTS_PER_TERM`` (10) of the rarer
outcome per model term (Peduzzi et al. 1996) the deviances are noise, and a model that
separates (a trait or lever that predicts every run's outcome in this sample; statsmodels'
``PerfectSeparationWarning``) explains all it can fit, not what holds beyond these runs. The
result says so (``reliable``, ``separated``), and the words say which they are.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

from analysis.measures import trait_columns, trait_name
from analysis.results import POINT
from analysis.stats import success_rates

TERCILES = ("lowest third", "middle third", "top third")
MODELS = ("levers", "traits", "levers and traits")
MIN_EVENTS_PER_TERM = 10
CLEARLY_MORE = 1.5   # one share this many times the other "matters more"; else "about equally"


@dataclass(frozen=True)
class LuckVersusLevers:
    """Deviance shares of the four models and success per tercile of each trait per point."""

    traits: list[str]
    null_deviance: float
    explained: dict[str, float]   # model → share of the null deviance it explains
    terciles: pd.DataFrame        # point, trait, tercile, low, high, n, successes, rate, CI
    events: int = 0               # runs with the rarer outcome (success or failure)
    terms: int = 1                # coefficients of the largest model (levers and traits)
    separated: tuple[str, ...] = ()  # the models that separate

    @property
    def enough_runs(self) -> bool:
        """At least ``MIN_EVENTS_PER_TERM`` runs of the rarer outcome per model term."""
        return self.events >= MIN_EVENTS_PER_TERM * self.terms

    @property
    def reliable(self) -> bool:
        """Enough runs and no model that separates: the shares can be quoted."""
        return self.enough_runs and not self.separated

    @property
    def levers_beyond_traits(self) -> float:
        """What the levers explain that the traits do not."""
        return self.explained["levers and traits"] - self.explained["traits"]

    @property
    def traits_beyond_levers(self) -> float:
        """What the traits explain that the levers do not."""
        return self.explained["levers and traits"] - self.explained["levers"]

    @property
    def unexplained(self) -> float:
        """The rest of each run's luck: what neither the levers nor the traits explain."""
        return 1.0 - self.explained["levers and traits"]


def luck_versus_levers(runs: pd.DataFrame, by: str = POINT) -> LuckVersusLevers | None:
    """The analysis, or None when runs.parquet has no company trait or success never varies."""
    traits = trait_columns(runs)
    if not traits:
        return None
    frame = runs[[by, "success", *traits]].dropna()
    y = frame["success"].astype(float).to_numpy()
    if len(frame) < 3 or y.min() == y.max():
        return None
    null, _ = _deviance(y, np.ones((len(y), 1)))
    fits = {"levers": _lever_deviance(frame, by, []),
            "traits": _deviance(y, _design(frame, traits)),
            "levers and traits": _lever_deviance(frame, by, traits)}
    explained = {model: 1 - deviance / null for model, (deviance, _) in fits.items()}
    events = int(min(y.sum(), len(y) - y.sum()))
    terms = frame[by].nunique() + len(traits)
    return LuckVersusLevers(traits, null, explained, tercile_table(frame, by, traits), events,
                            terms, tuple(model for model, (_, apart) in fits.items() if apart))


def _design(frame: pd.DataFrame, traits: list[str]) -> np.ndarray:
    return sm.add_constant(frame[traits].to_numpy(dtype=float), has_constant="add")


def _lever_deviance(frame: pd.DataFrame, by: str, traits: list[str]) -> tuple[float, bool]:
    """Deviance of the model with the point factor (and ``traits``), fitted on the points
    whose runs do not all end alike (those points add exactly 0), and whether it separates."""
    rates = frame.groupby(by, observed=True)["success"].transform("mean")
    mixed = frame[(rates > 0) & (rates < 1)]
    if mixed.empty:
        return 0.0, False
    dummies = pd.get_dummies(mixed[by].astype(str), drop_first=True, dtype=float)
    columns = [dummies.to_numpy(), *([mixed[traits].to_numpy(dtype=float)] if traits else [])]
    design = sm.add_constant(np.column_stack(columns), has_constant="add")
    return _deviance(mixed["success"].astype(float).to_numpy(), design)


def _deviance(y: np.ndarray, design: np.ndarray) -> tuple[float, bool]:
    """Residual deviance of a binomial GLM, and whether it separates (then the deviance is
    near its infimum: the model predicts these runs' outcomes perfectly)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PerfectSeparationWarning)
        for category in (ConvergenceWarning, RuntimeWarning):
            warnings.simplefilter("ignore", category)
        fit = sm.GLM(y, design, family=sm.families.Binomial()).fit()
        deviance = float(max(fit.deviance, 0.0))  # computed lazily: inside the filter too
    return deviance, any(issubclass(w.category, PerfectSeparationWarning) for w in caught)


def tercile_table(frame: pd.DataFrame, by: str, traits: list[str]) -> pd.DataFrame:
    """Per trait, thirds of all runs; per point and third, the success rate and its interval."""
    parts = []
    for trait in traits:
        thirds = pd.qcut(frame[trait], 3, duplicates="drop")
        names = list(TERCILES) if len(thirds.cat.categories) == 3 else [
            f"group {i + 1}" for i in range(len(thirds.cat.categories))]
        labelled = frame.assign(tercile=thirds.cat.rename_categories(names))
        rates = success_rates(labelled.assign(_cell=list(zip(labelled[by], labelled["tercile"],
                                                             strict=True))), "_cell")
        rates[[by, "tercile"]] = pd.DataFrame(rates["_cell"].tolist(), index=rates.index)
        spans = labelled.groupby("tercile", observed=True)[trait].agg(["min", "max"])
        rates["low"] = rates["tercile"].map(spans["min"]).astype(float)
        rates["high"] = rates["tercile"].map(spans["max"]).astype(float)
        rates["trait"] = trait
        parts.append(rates.drop(columns="_cell"))
    table = pd.concat(parts, ignore_index=True)
    if isinstance(frame[by].dtype, pd.CategoricalDtype):  # points in sweep order
        table[by] = pd.Categorical(table[by], categories=frame[by].cat.categories, ordered=True)
    table["_third"] = table["tercile"].map({t: i for i, t in enumerate(TERCILES)})
    table = table.sort_values(["trait", by, "_third", "low"], kind="stable")
    return table[[by, "trait", "tercile", "low", "high", "n", "successes", "rate", "ci_low",
                  "ci_high"]].reset_index(drop=True)


def sentences(result: LuckVersusLevers, reference: str) -> list[str]:
    """The section in plain words: the shares and the verdict (or why they cannot be
    quoted), then each trait's thirds at the reference."""
    lines = [*_share_sentences(result)]
    table = result.terciles
    for trait in result.traits:
        rows = table[(table["trait"] == trait) & (table[POINT] == reference)]
        if len(rows) < 2:
            continue
        first, last = rows.iloc[0], rows.iloc[-1]
        lines.append(
            f"In {reference}, companies in the {first['tercile']} of {trait_name(trait)} "
            f"({first['low']:.2g} to {first['high']:.2g}) succeed in {_rate(first)} of runs, "
            f"those in the {last['tercile']} ({last['low']:.2g} to {last['high']:.2g}) "
            f"in {_rate(last)}.")
    return lines


def _share_sentences(result: LuckVersusLevers) -> list[str]:
    if not result.enough_runs:
        return [f"Too few runs to split success between the levers and the company's traits: "
                f"{result.events} runs of the rarer outcome for {result.terms} model terms, "
                f"where about {MIN_EVENTS_PER_TERM} per term are needed; the thirds below "
                "describe these runs only."]
    shares = {model: max(share, 0.0) for model, share in result.explained.items()}
    traits = ", ".join(trait_name(t) for t in result.traits)
    lines = [
        f"Of the variation in success between runs, the swept levers explain "
        f"{shares['levers']:.0%} and the company's own traits ({traits}) "
        f"{shares['traits']:.0%}; together {shares['levers and traits']:.0%}, which leaves "
        f"{max(result.unexplained, 0.0):.0%} to the rest of each run's luck (deviance of "
        "logistic models)."]
    if result.separated:
        lines.append("Read these shares as upper limits: the model of "
                     f"{' and the model of '.join(result.separated)} separates (it predicts "
                     "every run's outcome in this sample), so it explains all it can fit here, "
                     "more than would hold in more runs.")
        return lines
    return [*lines, _verdict(result)]


def _verdict(result: LuckVersusLevers) -> str:
    """Which matters more, on the two shares the first sentence quotes."""
    levers, traits = (max(result.explained[m], 0.0) for m in ("levers", "traits"))
    numbers = f"({traits:.0%} of the variation against {levers:.0%})"
    if traits >= CLEARLY_MORE * levers and traits > levers:
        return (f"The draw of the company matters more than the levers swept here {numbers}: "
                "read a lever's effect as a shift of the odds for a given kind of company.")
    numbers = f"({levers:.0%} of the variation against {traits:.0%})"
    if levers >= CLEARLY_MORE * traits and levers > traits:
        return f"The levers matter more than the draw of the company in this sweep {numbers}."
    return (f"The levers and the draw of the company matter about equally in this sweep "
            f"({levers:.0%} and {traits:.0%} of the variation).")


def _rate(row: pd.Series) -> str:
    return f"{100 * row['rate']:.0f}% [{100 * row['ci_low']:.0f}–{100 * row['ci_high']:.0f}]"
