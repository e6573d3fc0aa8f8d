"""Every run gets exactly one label: stalled, low_adoption, not_sustained or success (001).

001 names three ways a sales digitalisation fails; a run that avoids all three succeeds.
The thresholds are parameters (``labels.*``, docs/ODD.md §8). They classify a finished
run and never feed the simulation (leaders' expectations and the KPI plan have their own
``confidence.*`` parameters). Value is always the programme's own: revenue against the
same organisation's no-programme counterfactual, never customer hours alone.

- ``stalled`` (failure mode 1: never really starts, or so slow that leaders lose
  confidence): cancelled, or no workable solution rolled out ``rollout_margin_weeks`` before the end
  — not rolled out at all, or rolled out with a tool whose fit at roll-out is below
  ``workable_fit``. A run without a programme is ``stalled`` too.
- ``success``: the share of genuine (unmandated) active users stays at or above
  ``adoption_bar`` through the final quarter **and** final-year recurring revenue is at
  least ``1 + value_margin`` times the counterfactual's.
- ``not_sustained`` (failure mode 3: a solution that does not become a lasting system that
  keeps being used *and keeps producing value*): genuine adoption held the bar for
  ``reach_window_weeks`` at some point — with value (the rolling revenue ratio at the
  margin) that then fell back, or without the value ever following — but the run does
  not end in success.
- ``low_adoption`` (failure mode 2: a workable solution not broadly adopted, or used only
  under a mandate): a workable tool was rolled out, and genuine adoption never held the
  bar.

With ``require_positive_roi`` (off by default) value is also counted in money: ``success``
needs ``roi > 0`` (the gross-margin value added above the programme's cost,
sim/economics.py); a run adopted at the bar that never pays back is ``not_sustained``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from sim.metrics import QUARTER
from sim.params import SimParams

SUCCESS, STALLED, LOW_ADOPTION, NOT_SUSTAINED = "success", "stalled", "low_adoption", "not_sustained"
LABELS = (SUCCESS, STALLED, LOW_ADOPTION, NOT_SUSTAINED)


def rollout_deadline(params: SimParams) -> int:
    """The last week a roll-out may start and still count."""
    return params.horizon_weeks - params.labels.rollout_margin_weeks


def workable_rollout(kpis: dict[str, Any], params: SimParams) -> bool:
    """A solution was rolled out by the deadline, with a fit that reps can work with."""
    lp = params.labels
    rollout, fit = kpis["rollout_week"], kpis["fit_at_rollout"]
    return (not kpis["cancelled"] and rollout is not None and rollout <= rollout_deadline(params)
            and fit is not None and fit >= lp.workable_fit)


def classify(kpis: dict[str, Any], weekly: pd.DataFrame, params: SimParams) -> str:
    """The run's one label, decided in the order stalled → success → not_sustained → low_adoption."""
    lp = params.labels
    if not workable_rollout(kpis, params):
        return STALLED
    genuine = weekly["genuine_share"]
    adopted_to_the_end = genuine.iloc[-QUARTER:].min() >= lp.adoption_bar
    pays = not lp.require_positive_roi or (kpis["roi"] is not None and kpis["roi"] > 0)
    if adopted_to_the_end and kpis["value_vs_no_programme"] >= 1.0 + lp.value_margin and pays:
        return SUCCESS
    if (genuine.rolling(lp.reach_window_weeks).min() >= lp.adoption_bar).any():
        return NOT_SUSTAINED
    return LOW_ADOPTION
