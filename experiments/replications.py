"""Run one scenario point N times, or until its success rate is known precisely enough.

Rows are tidy: one ``runs`` row per replication (identity, seeds, label, every
parameter flattened, every KPI) and the replication's weekly series, handed on as each
replication ends with the ``run_id`` and point identity that tag its rows (the job
streams it to disk and adds the tags there, once per row group).

With ``replications=auto`` replications are added in batches until the Wilson 95%
interval of the success rate has a half-width at most ``precision``, or the cap is
reached; the stopping rule looks only at this point's own results, so
the count needed is as reproducible as the results.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from tqdm import tqdm

from experiments.point import ScenarioPoint
from experiments.seeds import replicate_seed
from experiments.settings import RunSettings
from sim.run import run_replication

Z_95 = 1.959963984540054


@dataclass
class Outcome:
    """What a job's replications produced, and how many were needed.

    ``model_seconds`` is the time spent inside ``run_replication`` (the model's own cost);
    ``seconds`` is the whole loop, so the difference is the engine's per-replication
    bookkeeping. The weekly series is not held here: it goes to the job's ``series``
    callable as each replication ends.
    """

    runs: pd.DataFrame
    replications: int
    half_width: float
    precision_reached: bool | None
    seconds: float
    model_seconds: float


def wilson_half_width(successes: int, n: int, z: float = Z_95) -> float:
    """Half-width of the Wilson score interval for ``successes`` out of ``n``."""
    p = successes / n
    return z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)


def replicate(point: ScenarioPoint, settings: RunSettings,
              series: Callable[[pd.DataFrame, dict[str, Any]], None]) -> Outcome:
    """Run the point's replications in index order; collect runs rows, hand on weekly series.

    ``series`` receives each replication's weekly frame with the identity that tags its
    rows (``run_id``, ``point_id``, ``scenario``, ``replicate``), to be put in front.
    """
    flat = point.params.flatten()
    identity = point.columns()
    seed_key = point.point_id if settings.seeding == "independent" else None
    target = settings.replications_batch if settings.auto else settings.replications
    rows: list[dict[str, Any]] = []
    model_seconds = 0.0
    started = time.perf_counter()
    with tqdm(total=target, desc=point.scenario, unit="run", disable=None, leave=False) as bar:
        while True:
            for index in range(len(rows), target):
                seed = replicate_seed(settings.seed, index, seed_key)
                model_started = time.perf_counter()
                result = run_replication(point.params, seed)
                model_seconds += time.perf_counter() - model_started
                run_id = f"{point.point_id}-{settings.seed}-{index}"
                rows.append(_run_row(identity, flat, run_id, index, settings.seed, seed,
                                     result.kpis))
                series(result.timeseries, {"run_id": run_id, "point_id": point.point_id,
                                           "scenario": point.scenario, "replicate": index})
                bar.update()
            target = _next_target(rows, settings)
            if target == len(rows):
                break
            bar.total = target
            bar.refresh()
    successes = sum(bool(row["success"]) for row in rows)
    half_width = wilson_half_width(successes, len(rows))
    runs = pd.DataFrame(rows)
    # nullable: empty outside designs; converting one column, not copying the whole frame
    runs["point_index"] = runs["point_index"].astype("Int64")
    return Outcome(
        runs=runs,
        replications=len(rows), half_width=half_width,
        precision_reached=half_width <= settings.precision if settings.auto else None,
        seconds=time.perf_counter() - started, model_seconds=model_seconds,
    )


def _next_target(rows: list[dict[str, Any]], settings: RunSettings) -> int:
    """How many replications the point should have in all: more only while imprecise."""
    done = len(rows)
    if not settings.auto or done >= settings.replications_max:
        return done
    if wilson_half_width(sum(bool(r["success"]) for r in rows), done) <= settings.precision:
        return done
    return min(done + settings.replications_batch, settings.replications_max)


def _run_row(identity: dict[str, Any], flat: dict[str, Any], run_id: str, index: int,
             base_seed: int, seed: int, kpis: dict[str, Any]) -> dict[str, Any]:
    row = {"run_id": run_id, **identity, "replicate": index, "base_seed": base_seed,
           "seed": seed, "label": kpis["label"], "success": bool(kpis["success"]), **flat}
    measures = {k: v for k, v in kpis.items() if k not in ("label", "success")}
    clash = sorted(set(row) & set(measures))
    if clash:
        raise ValueError(f"KPI names clash with runs columns: {', '.join(clash)}")
    return row | measures
