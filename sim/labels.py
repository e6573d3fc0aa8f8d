"""Every run gets exactly one label: stalled, low_adoption, not_sustained or success (001).

001 names three ways a sales digitalisation fails; a run that avoids all three succeeds.
The thresholds are parameters (``labels.*``, docs/ODD.md §8). They classify a finished
run and never feed the simulation (leaders' expectations and the KPI plan have their own
``confidence.*`` parameters). Value is always the programme's own: revenue against the
same organisation's no-programme counterfactual, never customer hours alone.

- ``stalled`` (failure mode 1: never really starts, or so slow that leaders lose
  confidence): cancelled, or not rolled out ``rollout_margin_weeks`` before the end, or
  rolled out without ever becoming a working solution — a tool whose fit at roll-out was
  below ``workable_fit`` that nobody then used at the bar, even under a mandate. A run
  without a programme is ``stalled`` too.
- ``success``: the share of genuine (unmandated) active users stays at or above
  ``adoption_bar`` through the final quarter **and** final-year recurring revenue is at
  least ``1 + value_margin`` times the counterfactual's. A tool that started unworkable
  and was fixed in use counts: the labels judge the outcome, the workability test only
  which failure a failure was.
- ``not_sustained`` (failure mode 3: a solution that does not become a lasting system that
  keeps being used *and keeps producing value*): genuine adoption held the bar for
  ``reach_window_weeks`` at some point, but the run does not end with both adoption and
  value at the bar.
- ``low_adoption`` (failure mode 2: a workable solution not broadly adopted, or used only
  under a mandate): genuine adoption never held the bar, and either the tool was workable
  at roll-out or usage held the bar only because it was mandated.

With ``require_positive_roi`` (off by default) value is also counted in money: ``success``
needs ``roi > 0`` (the gross-margin value added above the programme's cost,
sim/economics.py); a run adopted at the bar that never pays back is ``not_sustained``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from sim.params import SimParams
from sim.weeks import QUARTER

SUCCESS, STALLED, LOW_ADOPTION, NOT_SUSTAINED = "success", "stalled", "low_adoption", "not_sustained"
LABELS = (SUCCESS, STALLED, LOW_ADOPTION, NOT_SUSTAINED)


def rollout_deadline(params: SimParams) -> int:
    """The last week a roll-out may start and still count."""
    return params.horizon_weeks - params.labels.rollout_margin_weeks


def rolled_out(kpis: dict[str, Any], params: SimParams) -> bool:
    """A solution reached the sales force by the deadline and was not withdrawn."""
    rollout = kpis["rollout_week"]
    return not kpis["cancelled"] and rollout is not None and rollout <= rollout_deadline(params)


def workable(kpis: dict[str, Any], params: SimParams) -> bool:
    """The tool fitted reps' needs well enough to work with when it was rolled out."""
    fit = kpis["fit_at_rollout"]
    return fit is not None and fit >= params.labels.workable_fit


def held(share: pd.Series, params: SimParams) -> bool:
    """The share held the adoption bar for ``reach_window_weeks`` at some point."""
    lp = params.labels
    return bool((share.rolling(lp.reach_window_weeks).min() >= lp.adoption_bar).any())


def classify(kpis: dict[str, Any], weekly: pd.DataFrame, params: SimParams) -> str:
    """The run's one label, decided in the order stalled → success → not_sustained →
    low_adoption → stalled (rolled out, but never a working solution)."""
    lp = params.labels
    if not rolled_out(kpis, params):
        return STALLED
    genuine = weekly["genuine_share"]
    adopted_to_the_end = genuine.iloc[-QUARTER:].min() >= lp.adoption_bar
    pays = not lp.require_positive_roi or (kpis["roi"] is not None and kpis["roi"] > 0)
    if adopted_to_the_end and kpis["value_vs_no_programme"] >= 1.0 + lp.value_margin and pays:
        return SUCCESS
    if held(genuine, params):
        return NOT_SUSTAINED
    if workable(kpis, params) or held(weekly["active_share"], params):
        return LOW_ADOPTION
    return STALLED
