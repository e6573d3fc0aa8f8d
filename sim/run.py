"""Run one replication: parameters + seed in, KPIs and weekly metrics out.

This is the whole interface between the model and the experiment engine. The
engine derives ``seed`` from (base seed, scenario point, replicate) with numpy's
``SeedSequence``; everything random inside the run flows from it, so the result
of a replication never depends on what else ran, or where.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from sim.labels import classify
from sim.metrics import run_kpis
from sim.model import SilosimModel
from sim.params import SimParams


@dataclass
class Replication:
    """What one run leaves behind: one row of KPIs (with its label) and its weekly series."""

    kpis: dict[str, Any]
    timeseries: pd.DataFrame


def run_replication(params: SimParams, seed: int) -> Replication:
    """Simulate ``params.horizon_weeks`` weeks from ``seed`` and label the run."""
    model = SilosimModel(params=params, rng=seed)
    model.run()
    weekly = model.weekly_frame()
    return Replication(kpis=run_outcome(model, weekly), timeseries=weekly)


def run_outcome(model: SilosimModel, weekly: pd.DataFrame) -> dict[str, Any]:
    """The run's KPIs with its label and success flag, from its weekly series so far."""
    kpis = run_kpis(model, weekly)
    kpis["label"] = classify(kpis, weekly, model.params)
    kpis["success"] = kpis["label"] == "success"
    return kpis
