"""Run one replication: parameters + seed in, KPIs and weekly metrics out.

This is the whole interface between the model and the experiment engine. The
engine derives ``seed`` from (base seed, scenario point, replicate) with numpy's
``SeedSequence``; everything random inside the run flows from it, so the result
of a replication never depends on what else ran, or where.

Every replication is paired with its counterfactual (DESIGN §5): at the launch week the
model copies itself, random state included, and the copy runs on beside it without the
programme (``SilosimModel.without_programme``). Both share the spin-up and the baseline
quarter, computed once; the run's value is measured against the copy
(``*_vs_no_programme``), and so is its money (``value_added``, ``roi``, sim/economics.py).
With the programme disabled the run is its own counterfactual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from sim.economics import economics_kpis
from sim.labels import SUCCESS, classify
from sim.metrics import counterfactual_kpis, run_kpis
from sim.model import SilosimModel
from sim.params import SimParams


@dataclass
class Replication:
    """What one run leaves behind: one row of KPIs (with its label) and its weekly series."""

    kpis: dict[str, Any]
    timeseries: pd.DataFrame


def run_replication(params: SimParams, seed: int) -> Replication:
    """Simulate ``params.horizon_weeks`` weeks from ``seed``, with its counterfactual, and label it."""
    model = SilosimModel(params=params, rng=seed)
    model.run()
    weekly = model.weekly_frame()
    return Replication(kpis=run_outcome(model, weekly), timeseries=weekly)


def run_outcome(model: SilosimModel, weekly: pd.DataFrame) -> dict[str, Any]:
    """The run's KPIs with its label and success flag, from its weekly series so far and its
    counterfactual's over the same weeks."""
    without = model.counterfactual_frame(until=len(weekly))
    kpis = run_kpis(model, weekly) | counterfactual_kpis(weekly, without,
                                                         model.programme.rollout_week) | \
        economics_kpis(weekly, model.params, model.programme.cancel_week)
    kpis["label"] = classify(kpis, weekly, model.params)
    kpis["success"] = kpis["label"] == SUCCESS
    return kpis
