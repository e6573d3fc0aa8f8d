"""Every run gets exactly one label: stalled, low_adoption, not_sustained or success.

The thresholds are parameters (``labels.*``), documented in docs/ODD.md:
- ``stalled``: cancelled, or roll-out had not started by ``rollout_deadline_week``
  (001 failure mode 1);
- ``success``: the share of genuine (unmandated) active users stayed at or above
  ``adoption_bar`` through the final quarter **and** value was created: final-quarter
  recurring revenue at least ``1 + value_margin`` times the baseline quarter's, or
  customer-facing time at least ``1 + time_margin`` times it (001 measured Microsoft's
  productivity gain as time with customers);
- ``not_sustained``: genuine adoption reached the bar (held for ``reach_window_weeks``)
  at some point, but the run does not end in success (001 failure mode 3);
- ``low_adoption``: rolled out, but genuine adoption never reached the bar —
  including usage held up only by a mandate (001 failure mode 2).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from sim.params import SimParams

LABELS = ("success", "stalled", "low_adoption", "not_sustained")
FINAL_QUARTER = 13


def classify(kpis: dict[str, Any], weekly: pd.DataFrame, params: SimParams) -> str:
    """The run's one label, decided in the order stalled → success → not_sustained → low_adoption."""
    lp = params.labels
    rollout = kpis["rollout_week"]
    if kpis["cancelled"] or rollout is None or rollout > lp.rollout_deadline_week:
        return "stalled"
    genuine = weekly["genuine_share"]
    held_to_the_end = genuine.iloc[-FINAL_QUARTER:].min() >= lp.adoption_bar
    value_created = (kpis["value_ratio"] >= 1.0 + lp.value_margin
                     or kpis["customer_time_ratio"] >= 1.0 + lp.time_margin)
    if held_to_the_end and value_created:
        return "success"
    if kpis["adoption_peak_genuine"] >= lp.adoption_bar:
        return "not_sustained"
    return "low_adoption"
