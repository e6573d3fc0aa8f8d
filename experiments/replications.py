"""Run one scenario point N times, or until its success rate is known precisely enough.

Rows are tidy: one ``runs`` row per replication (identity, seeds, label, every
parameter flattened, every KPI) and the replication's weekly series, handed on as each
replication ends with the ``run_id`` and point identity that tag its rows (the job
streams it to disk and adds the tags there, once per row group).

With ``replications=auto`` replications are added in batches until the Wilson 95%
interval of the success rate has a half-width at most ``precision``, or the cap is
reached; the stopping rule looks only at this point's own results, so
the count needed is as reproducible as the results.

A replication that raises is recorded (replicate, seed, error) and the point goes on
with the next; with ``replications=auto`` no further batch is added, since the rule
cannot be judged on missing runs. Replications a previous attempt finished (``kept``)
are taken back instead of being run again, so a resumed point ends exactly as an
uninterrupted one would.
"""

from __future__ import annotations

import math
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa
from tqdm import tqdm

from experiments.job_files import KeptRuns
from experiments.point import ScenarioPoint
from experiments.seeds import replicate_seed
from experiments.settings import RunSettings
from sim.run import run_replication

Z_95 = 1.959963984540054
#: receives a replication's weekly frame and the tags for its rows, or a kept, tagged table
Series = Callable[[pd.DataFrame | pa.Table, dict[str, Any] | None], None]


@dataclass
class Failure:
    """A replication that raised: where, with which seed, and why."""

    point_id: str
    point_index: int | None
    replicate: int
    seed: int
    error: str
    traceback: str


@dataclass
class Outcome:
    """What a point's replications produced, and how many were needed.

    ``model_seconds`` is the time spent inside ``run_replication`` (the model's own cost);
    ``seconds`` is the whole loop, so the difference is the engine's per-replication
    bookkeeping. The weekly series is not held here: it goes to the job's ``series``
    callable as each replication ends.
    """

    point: ScenarioPoint
    rows: list[dict[str, Any]]
    failures: list[Failure] = field(default_factory=list)
    half_width: float = math.nan
    precision_reached: bool | None = None
    seconds: float = 0.0
    model_seconds: float = 0.0

    @property
    def runs(self) -> pd.DataFrame:
        """The point's ``runs`` rows (``point_index`` nullable: empty outside designs)."""
        return runs_frame(self.rows)

    def summary(self) -> dict[str, Any]:
        """The point's entry in the job's ``done.json``."""
        return {"identity": self.point.columns(), "replications": len(self.rows),
                "labels": dict(Counter(row["label"] for row in self.rows)),
                "failed": len(self.failures), "half_width": self.half_width,
                "precision_reached": self.precision_reached,
                "replication_seconds": self.seconds, "model_seconds": self.model_seconds}


def runs_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """``runs`` rows as a frame, ``point_index`` nullable."""
    runs = pd.DataFrame(rows)
    if "point_index" in runs:
        runs["point_index"] = runs["point_index"].astype("Int64")
    return runs


def wilson_half_width(successes: int, n: int, z: float = Z_95) -> float:
    """Half-width of the Wilson score interval for ``successes`` out of ``n``."""
    p = successes / n
    return z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)


def replicate(point: ScenarioPoint, settings: RunSettings, series: Series,
              kept: KeptRuns | None = None) -> Outcome:
    """Run the point's replications in index order; collect runs rows, hand on weekly series."""
    flat = point.params.flatten()
    identity = point.columns()
    seed_key = point.point_id if settings.seeding == "independent" else None
    outcome = Outcome(point=point, rows=[])
    target = settings.replications_batch if settings.auto else settings.replications
    attempted = 0
    started = time.perf_counter()
    with tqdm(total=target, desc=point.scenario, unit="run", disable=None, leave=False) as bar:
        while True:
            for index in range(attempted, target):
                run_id = f"{point.point_id}-{settings.seed}-{index}"
                seed = replicate_seed(settings.seed, index, seed_key)
                if kept is not None and run_id in kept:
                    outcome.rows.append(kept.row(run_id))
                    series(kept.series(run_id), None)
                else:
                    _run(outcome, identity, flat, run_id, index, settings.seed, seed, series)
                bar.update()
            attempted = target
            target = _next_target(outcome, settings, attempted)
            if target == attempted:
                break
            bar.total = target
            bar.refresh()
    successes = sum(bool(row["success"]) for row in outcome.rows)
    outcome.half_width = wilson_half_width(successes, len(outcome.rows)) if outcome.rows else math.nan
    outcome.precision_reached = (outcome.half_width <= settings.precision) if settings.auto else None
    outcome.seconds = time.perf_counter() - started
    return outcome


def _run(outcome: Outcome, identity: dict[str, Any], flat: dict[str, Any], run_id: str,
         index: int, base_seed: int, seed: int, series: Series) -> None:
    """One replication into ``outcome``: its row and weekly series, or its failure."""
    point = outcome.point
    model_started = time.perf_counter()
    try:
        result = run_replication(point.params, seed)
    except Exception as error:  # one replication's failure must not cost the others
        outcome.failures.append(Failure(point.point_id, point.point_index, index, seed,
                                        f"{type(error).__name__}: {error}",
                                        "".join(traceback.format_exception(error))))
        return
    finally:
        outcome.model_seconds += time.perf_counter() - model_started
    outcome.rows.append(_run_row(identity, flat, run_id, index, base_seed, seed, result.kpis))
    series(result.timeseries, {"run_id": run_id, "point_id": point.point_id,
                               "scenario": point.scenario, "replicate": index})


def _next_target(outcome: Outcome, settings: RunSettings, attempted: int) -> int:
    """How many replications the point should have in all: more only while imprecise."""
    if not settings.auto or attempted >= settings.replications_max or outcome.failures:
        return attempted
    rows = outcome.rows
    if wilson_half_width(sum(bool(r["success"]) for r in rows), len(rows)) <= settings.precision:
        return attempted
    return min(attempted + settings.replications_batch, settings.replications_max)


def _run_row(identity: dict[str, Any], flat: dict[str, Any], run_id: str, index: int,
             base_seed: int, seed: int, kpis: dict[str, Any]) -> dict[str, Any]:
    row = {"run_id": run_id, **identity, "replicate": index, "base_seed": base_seed,
           "seed": seed, "label": kpis["label"], "success": bool(kpis["success"]), **flat}
    measures = {k: v for k, v in kpis.items() if k not in ("label", "success")}
    clash = sorted(set(row) & set(measures))
    if clash:
        raise ValueError(f"KPI names clash with runs columns: {', '.join(clash)}")
    return row | measures
