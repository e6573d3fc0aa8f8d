"""The money in a sweep: ROI per point, payback over time, and each action's value in money.

The model prices every run (``sim/economics.py``; docs/economics.md): ``programme_cost``,
``value_added`` against the run's own no-programme counterfactual, ``net_value`` (their
difference), ``roi``, ``payback_week`` and ``contribution`` (the organisation's gross
margin less its operating and programme costs). This module turns them into what the
report's *Economics* section shows:

- ``payback_curves``: per point and week, the share of runs whose programme has paid back
  (from ``payback_week``; a run that never pays back never counts);
- ``action_values``: the value in money of each of the five key actions where the sweep
  holds the pair that isolates it — an ``action_*`` scenario or an ablation's
  ``<reference>+<action>`` point against the reference (the action added alone), or a
  ``<scenario>-<action>`` point against ``<scenario>`` (the action removed from all five) —
  as the mean paired difference in net value with its 95% interval (``analysis.stats``
  ``kpi_effects``, paired under common random numbers, independent otherwise), and its
  p-value Holm-adjusted over all the actions valued. An action is named in words: an
  ``action_*`` scenario by its title, an ablation's action by ``analysis.words``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from analysis.results import POINT, TITLE
from analysis.stats import kpi_effects
from analysis.words import action_words, value_words

NET, ROI, PAYBACK = "net_value", "roi", "payback_week"
CANCELLATION = "cancellation_cost"
ACTION_PREFIX, ADDED, REMOVED = "action_", "+", "-"


def payback_curves(runs: pd.DataFrame, weeks: int) -> pd.DataFrame:
    """Share of each point's runs that have paid back by each week ``0 … weeks - 1``:
    ``point``, ``week``, ``share``."""
    rows = []
    for name, group in runs.groupby(POINT, observed=True):
        paid = pd.to_numeric(group[PAYBACK], errors="coerce").dropna().to_numpy()
        counts = np.searchsorted(np.sort(paid), np.arange(weeks), side="right")
        rows.append(pd.DataFrame({POINT: name, "week": np.arange(weeks),
                                  "share": counts / len(group)}))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=[POINT, "week", "share"])


def _pairs(runs: pd.DataFrame, reference: str) -> list[tuple[str, str, str, str, int]]:
    """``(action, action point, base point, words, sign)``: the point whose net value minus
    the base's, times ``sign``, is the action's value."""
    scenarios = runs.groupby(POINT, observed=True)["scenario"].agg(lambda s: set(s))
    single = {point: next(iter(s)) for point, s in scenarios.items() if len(s) == 1}
    point_of: dict[str, str] = {}
    for point, scenario in single.items():
        point_of.setdefault(scenario, point)
    base = single.get(reference)
    titles = runs.groupby(POINT, observed=True)[TITLE].first() if TITLE in runs.columns else {}
    pairs = []
    for point, scenario in single.items():
        if point == reference:
            continue
        if base is not None and scenario.startswith(ACTION_PREFIX):
            name = titles.get(point) or value_words(scenario.removeprefix(ACTION_PREFIX))
            pairs.append((str(name), point, reference, f"added alone to {reference}", 1))
        elif base is not None and scenario.startswith(base + ADDED):
            action = action_words(scenario.removeprefix(base + ADDED))
            pairs.append((action, point, reference, f"added alone to {reference}", 1))
        elif REMOVED in scenario and scenario.rsplit(REMOVED, 1)[0] in point_of:
            whole_scenario, action = scenario.rsplit(REMOVED, 1)
            whole = point_of[whole_scenario]
            pairs.append((action_words(action), point, whole,
                          f"within {whole} (what removing it loses)", -1))
    return pairs


def action_values(runs: pd.DataFrame, reference: str, paired: bool) -> pd.DataFrame:
    """Each isolated action's value in money (net value, $k over the run): ``action`` (in
    words), ``point`` (the point that isolates it), ``against`` (in words), ``n``, ``value``,
    ``low``, ``high``, ``p_value`` and ``p_holm`` (Holm over the actions valued). Empty when
    the sweep holds no such pair or its runs carry no economics."""
    columns = ["action", POINT, "against", "n", "value", "low", "high", "p_value", "p_holm"]
    if NET not in runs.columns or runs[NET].isna().all():
        return pd.DataFrame(columns=columns)
    rows = []
    for action, point, base, words, sign in _pairs(runs, reference):
        subset = runs[runs[POINT].isin([point, base])]
        effects = kpi_effects(subset, base, kpis=[NET], paired=paired)
        row = effects[effects[POINT] == point].iloc[0]
        low, high = sorted((sign * row["diff_low"], sign * row["diff_high"]))
        rows.append([action, point, words, int(row["n"]), sign * row["difference"], low, high,
                     row["p_value"], np.nan])
    values = pd.DataFrame(rows, columns=columns)
    tested = values["p_value"].notna()
    if tested.any():
        values.loc[tested, "p_holm"] = multipletests(values.loc[tested, "p_value"],
                                                     method="holm")[1]
    return values
