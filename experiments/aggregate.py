"""One tidy results dataset per sweep, built by reading the job directories back from disk.

Hydra's callbacks never see what jobs computed under joblib, submitit or Ray, so
aggregation reads the jobs' files. It streams them one job at a time into a single
``runs.parquet`` and ``timeseries.parquet`` at the top of the sweep directory
(memory stays flat however many jobs there are) and writes ``sweep.json``: the
experiment, the keys that vary, the reference, the design, and which points failed.
Run it at the end of every sweep (``silosim`` does) or on demand:
``silosim-aggregate DIR``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from experiments import job_files
from experiments.model_keys import MODEL_PREFIX
from sim.errors import ConfigError
from sim.params import SimParams

LABELS = ("success", "stalled", "low_adoption", "not_sustained")
#: What each job adds (benchmark VM, docs/performance.md: 0.085-0.094 s measured): Hydra
#: composing its config ~0.012 s and its own bookkeeping ~0.025 s, the job's files written and
#: read back ~0.03 s, its checks and launch ~0.02 s
JOB_OVERHEAD_SECONDS = 0.09
#: below this much model time per job that overhead exceeds 5% (0.09 / 0.05, rounded up)
SHORT_JOB_SECONDS = 2.0


@dataclass
class PointResult:
    """One completed point: where it ran, what identifies it, and how its runs ended."""

    job: str
    values: dict[str, Any]
    labels: Counter[str]
    marker: dict[str, Any]

    @property
    def runs(self) -> int:
        """Replications the point has."""
        return sum(self.labels.values())

    @property
    def success_rate(self) -> float:
        """Share of the point's runs labelled ``success``."""
        return self.labels["success"] / self.runs

    def summary(self, swept: list[str]) -> dict[str, Any]:
        """The point's entry in ``sweep.json``: identity, swept values, outcome counts."""
        shown = ["scenario", "point_id", "point_index", *swept]
        return {"job": self.job, **{k: self.values[k] for k in shown if k in self.values},
                "runs": self.runs, "success_rate": self.success_rate,
                "labels": dict(self.labels), "half_width": self.marker["half_width"],
                "precision_reached": self.marker["precision_reached"]}


@dataclass
class SweepSummary:
    """The outcome of a sweep (or single run) as recorded in ``sweep.json``."""

    results_dir: Path
    meta: dict[str, Any]
    points: list[PointResult] = field(default_factory=list)

    @property
    def failed(self) -> list[dict[str, Any]]:
        """Points without results: job, overrides and why."""
        return self.meta["failed_points"]

    def text(self) -> str:
        """A short report: per point, the success rate and the label counts."""
        meta = self.meta
        lines = [f"{meta['experiment']}: {meta['completed_points']} of {meta['points']} points, "
                 f"{meta['runs']} runs -> {self.results_dir}"]
        extra = sorted({label for p in self.points for label in p.labels} - set(LABELS))
        labels = [*LABELS, *extra]
        names = [_point_name(p, meta["swept"]) for p in self.points]
        width = max([len(n) for n in names] + [5])
        lines.append(f"  {'point':<{width}}  {'runs':>5}  {'rate':>5}  "
                     + "  ".join(f"{label:>13}" for label in labels))
        for name, point in zip(names, self.points, strict=True):
            lines.append(f"  {name:<{width}}  {point.runs:>5}  {point.success_rate:>5.2f}  "
                         + "  ".join(f"{point.labels[label]:>13}" for label in labels))
        lines += [f"  FAILED {f['job']}: {f['error']}" for f in self.failed]
        return "\n".join(lines + self._short_job_note())

    def _short_job_note(self) -> list[str]:
        seconds = [p.marker.get("replication_seconds", 0.0) for p in self.points]
        if self.meta["mode"] != "sweep" or not seconds:
            return []
        mean = sum(seconds) / len(seconds)
        if mean >= SHORT_JOB_SECONDS:
            return []
        return [f"  note: jobs average {mean:.1f} s of model time; Hydra and job files add about "
                f"{JOB_OVERHEAD_SECONDS} s per job, so raise replications= to keep their "
                "overhead under 5%"]


def aggregate(results_dir: Path, timing: dict[str, float] | None = None) -> SweepSummary:
    """Gather the jobs of ``results_dir`` into one dataset and ``sweep.json``; return a summary."""
    plan = job_files.read_json(results_dir / job_files.PLAN)
    if not isinstance(plan, dict):
        raise ConfigError("results directory", str(results_dir),
                          f"a directory written by silosim (it has no {job_files.PLAN})")
    sweep = plan["mode"] == "sweep"
    jobs = [results_dir / "jobs" / str(n) for n in range(len(plan["jobs"]))] if sweep else [
        results_dir]
    done = [job for job in jobs if job_files.is_complete(job)]
    points = [_point_result(job, results_dir) for job in done]
    if sweep and done:
        _concatenate(done, job_files.RUNS, results_dir / job_files.RUNS)
        _concatenate(done, job_files.TIMESERIES, results_dir / job_files.TIMESERIES)
    meta = _sweep_meta(plan, jobs, done, points, results_dir, timing)
    job_files.write_json(results_dir / job_files.SWEEP, meta)
    return SweepSummary(results_dir, meta, points)


def _sweep_meta(plan: dict[str, Any], jobs: list[Path], done: list[Path],
                points: list[PointResult], results_dir: Path,
                timing: dict[str, float] | None) -> dict[str, Any]:
    varying = _varying(points)
    swept = [c for c in _declared_columns(plan) if c in varying]
    finished = set(done)
    return {
        "experiment": plan["experiment"],
        "mode": plan["mode"],
        "swept": swept,
        "varying": varying,
        "reference": plan["reference"],
        "design": plan["design"],
        "points": len(jobs),
        "completed_points": len(done),
        "failed_points": [
            {"job": _relative(job, results_dir), "overrides": overrides,
             "error": job_files.error_line(job)}
            for job, overrides in zip(jobs, plan["jobs"], strict=True) if job not in finished
        ],
        "runs": sum(p.runs for p in points),
        "settings": plan["settings"],
        "sweep": plan["sweep"],
        "point_summary": [p.summary(swept) for p in points],
        "timing": timing,
        "aggregated": job_files.now(),
        **job_files.provenance(),
    }


def _point_result(job: Path, results_dir: Path) -> PointResult:
    with pq.ParquetFile(job / job_files.RUNS) as runs:
        first = next(runs.iter_batches(batch_size=1, use_threads=False)).to_pylist()[0]
        labels = runs.read(columns=["label"], use_threads=False).column("label")
    return PointResult(job=_relative(job, results_dir), values=first,
                       labels=Counter(labels.to_pylist()),
                       marker=job_files.read_json(job / job_files.DONE))


def _declared_columns(plan: dict[str, Any]) -> list[str]:
    """The ``runs`` columns of what the sweep declares it varies (keys, groups, design)."""
    columns = [_column(key) for key in plan["sweep"] if not key.lstrip("+~").startswith("hydra")]
    if plan["design"]:
        columns += [_column(key) for key in plan["design"]["factors"]]
    return list(dict.fromkeys(columns))


def _column(key: str) -> str:
    key = key.lstrip("+~").removeprefix(MODEL_PREFIX)
    return "base_seed" if key == "seed" else key


def _varying(points: list[PointResult]) -> list[str]:
    """Identity and parameter columns whose value differs between points."""
    if not points:
        return []
    identity = [k for k in points[0].marker["identity"]["point"]
                if k not in ("point_id", "point_index")]
    candidates = ["base_seed", *identity, *SimParams().flatten()]
    return [c for c in candidates
            if len({repr(p.values.get(c)) for p in points}) > 1]


def _concatenate(jobs: list[Path], name: str, target: Path) -> None:
    """Stream every job's file into ``target`` under one unified schema, a batch at a time."""
    schema = pa.unify_schemas([pq.read_schema(job / name) for job in jobs],
                              promote_options="permissive")
    with job_files.table_stream(target, schema=schema) as stream:
        for job in jobs:
            with pq.ParquetFile(job / name) as source:
                for batch in source.iter_batches(batch_size=job_files.ROW_GROUP_ROWS,
                                                 use_threads=False):
                    stream.write(_conform(pa.Table.from_batches([batch]), schema))


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with ``schema``'s columns and types (nulls for columns it lacks)."""
    if table.schema.equals(schema):
        return table
    present = set(table.column_names)
    columns = [table.column(f.name).cast(f.type) if f.name in present
               else pa.nulls(table.num_rows, f.type) for f in schema]
    return pa.Table.from_arrays(columns, schema=schema)


def _point_name(point: PointResult, swept: list[str]) -> str:
    shown = [f"{k}={point.values[k]}" for k in swept if k != "scenario"]
    return " ".join([str(point.values["scenario"]), *shown])


def _relative(job: Path, results_dir: Path) -> str:
    return str(job.relative_to(results_dir)) if job != results_dir else "."


def main(argv: list[str] | None = None) -> None:
    """``silosim-aggregate DIR``: (re)build a results directory's dataset and summary."""
    parser = argparse.ArgumentParser(prog="silosim-aggregate", description=__doc__.split("\n")[0])
    parser.add_argument("results_dir", type=Path, help="a sweep or run directory of silosim")
    args = parser.parse_args(argv)
    try:
        summary = aggregate(args.results_dir)
    except ConfigError as error:
        print(f"silosim-aggregate: error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    print(summary.text())
    raise SystemExit(1 if summary.failed else 0)
