"""One tidy results dataset per sweep, built by reading the job directories back from disk.

Hydra's callbacks never see what jobs computed under joblib, submitit or Ray, so
aggregation reads the jobs' files. It streams them one job at a time into a single
``runs.parquet`` and ``timeseries.parquet`` at the top of the sweep directory
(memory stays flat however many jobs there are) and writes ``sweep.json``: the
experiment, the keys that vary, the reference, the design and its blocks, which points
have no results and which replications failed. Run it at the end of every sweep
(``silosim`` does) or on demand: ``silosim-aggregate DIR``, which holds the directory
as ``silosim`` does (one command at a time), or ``silosim-aggregate --read-only DIR``,
which writes nothing and may watch a sweep that is still running.

Nothing readable is lost to something unreadable: a job whose files cannot be read
(truncated or corrupt Parquet, a marker from another version, missing columns, a
column whose type clashes with the other jobs', rows missing) is listed with one line
naming the file and what is wrong, and the rest is aggregated. If the dataset cannot be
written (a full disk, a read-only directory) the summary is still written and says so.
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

AGGREGATE = "silosim-aggregate"
LABELS = ("success", "stalled", "low_adoption", "not_sustained")
#: what every job's runs table has (the rest: parameters and KPIs, passed through)
RUNS_COLUMNS = ("run_id", "scenario", "point_id", "label", "success")
#: plan.json's format: this version reads only its own
PLAN_FORMAT = 2
_PLAN_KEYS = ("experiment", "mode", "reference", "design", "sweep", "settings", "jobs")
#: what each job adds on the benchmark VM (docs/performance.md): Hydra composing and
#: checking its config three times (the up-front check, the sweeper's, the launcher's),
#: its bookkeeping, the job's files written and read back
JOB_OVERHEAD_SECONDS = 0.3
#: below this much model time per job that overhead exceeds 5% (0.3 / 0.05)
SHORT_JOB_SECONDS = 6.0
_READ_ERRORS = (OSError, ValueError, KeyError, TypeError, pa.ArrowException)


@dataclass
class PointResult:
    """One point with results: where it ran, what identifies it, and how its runs ended."""

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
        shown = ["scenario", "title", "point", "point_id", "point_index", *swept]
        return {"job": self.job, **{k: self.values[k] for k in shown if k in self.values},
                "runs": self.runs, "success_rate": self.success_rate,
                "labels": dict(self.labels), "failed_runs": self.marker["failed"],
                "half_width": self.marker["half_width"],
                "precision_reached": self.marker["precision_reached"]}


@dataclass
class JobResults:
    """What one job directory holds that aggregation could read."""

    job: Path
    points: list[PointResult]
    failures: list[dict[str, Any]]
    seconds: float


@dataclass
class SweepSummary:
    """The outcome of a sweep (or single run) as recorded in ``sweep.json``."""

    results_dir: Path
    meta: dict[str, Any]
    points: list[PointResult] = field(default_factory=list)

    @property
    def failed(self) -> list[dict[str, Any]]:
        """Everything without results: points' jobs, replications, unreadable or unwritten files."""
        meta = self.meta
        return [*meta["failed_points"], *meta["failed_runs"], *meta["unreadable"],
                *meta["not_written"]]

    def text(self) -> str:
        """A short report: per point, the success rate and the label counts; then what failed."""
        meta = self.meta
        lines = [f"{meta['experiment']}: {meta['completed_points']} of {meta['points']} points, "
                 f"{meta['runs']} runs -> {self.results_dir}"]
        extra = sorted({label for p in self.points for label in p.labels} - set(LABELS))
        labels = [*LABELS, *extra]
        names = [str(p.values.get("point") or _point_name(p, meta["swept"])) for p in self.points]
        width = max([len(n) for n in names] + [5])
        lines.append(f"  {'point':<{width}}  {'runs':>5}  {'rate':>5}  "
                     + "  ".join(f"{label:>13}" for label in labels))
        for name, point in zip(names, self.points, strict=True):
            lines.append(f"  {name:<{width}}  {point.runs:>5}  {point.success_rate:>5.2f}  "
                         + "  ".join(f"{point.labels[label]:>13}" for label in labels))
        lines += [f"  FAILED {f['job']}: {f['error']}" for f in meta["failed_points"]]
        lines += [f"  FAILED run {f['job']} point {f['point_id']} replicate {f['replicate']} "
                  f"(seed {f['seed']}): {f['error']}" for f in meta["failed_runs"]]
        lines += [f"  UNREADABLE {f['file']}: {f['error']}" for f in meta["unreadable"]]
        lines += [f"  NOT WRITTEN {f['file']}: {f['error']}" for f in meta["not_written"]]
        return "\n".join(lines + self._short_job_note())

    def _short_job_note(self) -> list[str]:
        seconds = self.meta["job_seconds"]
        if self.meta["mode"] != "sweep" or not seconds:
            return []
        mean = sum(seconds) / len(seconds)
        if mean >= SHORT_JOB_SECONDS:
            return []
        return [f"  note: jobs average {mean:.1f} s of model time; Hydra and job files add about "
                f"{JOB_OVERHEAD_SECONDS} s per job, so raise replications= to keep their "
                "overhead under 5%"]


def read_plan(results_dir: Path) -> dict[str, Any]:
    """The directory's ``plan.json``, checked to be one this version of silosim wrote."""
    path = results_dir / job_files.PLAN
    plan = job_files.read_json(path)
    if not isinstance(plan, dict):
        raise ConfigError("results directory", str(results_dir),
                          f"a directory written by silosim (it has no readable {job_files.PLAN})")
    if plan.get("format") != PLAN_FORMAT or any(key not in plan for key in _PLAN_KEYS):
        raise ConfigError(str(path), f"format {plan.get('format')}",
                          f"a plan of this version of silosim (format {PLAN_FORMAT}): "
                          "re-run the command into a new directory")
    return plan


def aggregate(results_dir: Path, timing: dict[str, float] | None = None,
              write: bool = True) -> SweepSummary:
    """Gather the jobs of ``results_dir`` into one dataset and ``sweep.json``; return a summary.

    The caller holds the directory (``job_files.command_lock``) unless ``write`` is False:
    then nothing is written anywhere and the summary is of the jobs' files as they are now.
    """
    plan = read_plan(results_dir)
    sweep = plan["mode"] == "sweep"
    jobs = [results_dir / "jobs" / str(n) for n in range(len(plan["jobs"]))] if sweep else [
        results_dir]
    unreadable: list[dict[str, str]] = []
    read = [r for r in (_read_job(job, results_dir, unreadable) for job in jobs) if r is not None]
    not_written: list[dict[str, str]] = []
    if sweep and read:
        read, schemas = _unified(read, results_dir, unreadable)
        if write:
            _write_tables(read, schemas, results_dir, not_written)
    meta = _sweep_meta(plan, jobs, read, results_dir, timing, unreadable, not_written)
    if write:
        try:
            job_files.write_json(results_dir / job_files.SWEEP, meta)
        except OSError as error:
            not_written.append({"file": job_files.SWEEP, "error": _os_error(error)})
    return SweepSummary(results_dir, meta, [p for r in read for p in r.points])


def _read_job(job: Path, results_dir: Path, unreadable: list[dict[str, str]]) -> JobResults | None:
    """The job's points, or None: not finished, or listed in ``unreadable`` if its files are bad."""
    name = _relative(job, results_dir)
    if not (job / job_files.DONE).exists():
        return None
    try:
        marker = _marker(job)
        runs = _read(job, job_files.RUNS, lambda path: pq.read_table(path, use_threads=False))
        _read(job, job_files.TIMESERIES, pq.read_metadata)
    except _Unreadable as bad:
        unreadable.append({"file": f"{name}/{bad.file}", "error": bad.problem})
        return None
    expected = sum(s["replications"] for s in marker["points"])
    missing = [c for c in RUNS_COLUMNS if c not in runs.column_names] if expected else []
    if missing or runs.num_rows != expected:
        problem = (f"missing column(s) {', '.join(missing)}" if missing
                   else f"{runs.num_rows} rows, but {job_files.DONE} records {expected}")
        unreadable.append({"file": f"{name}/{job_files.RUNS}", "error": problem})
        return None
    rows = runs.to_pylist() if expected else []
    points = []
    for summary in marker["points"]:
        mine = [r for r in rows if r["point_id"] == summary["identity"]["point_id"]]
        if mine:
            points.append(PointResult(job=name, values=mine[0],
                                      labels=Counter(r["label"] for r in mine), marker=summary))
    failures = [{"job": name, **{k: f.get(k) for k in ("point_id", "point_index", "replicate",
                                                       "seed", "error")}}
                for f in marker["failures"]]
    return JobResults(job, points, failures, float(marker.get("model_seconds") or 0.0))


class _Unreadable(Exception):
    """One of a job's files, and what is wrong with it."""

    def __init__(self, file: str, problem: str) -> None:
        super().__init__(f"{file}: {problem}")
        self.file, self.problem = file, problem


def _marker(job: Path) -> dict[str, Any]:
    marker = job_files.read_json(job / job_files.DONE)
    try:
        job_files.Status(marker["status"])
        points = marker["points"]
        if not isinstance(marker["failures"], list) or not all(
                isinstance(s["replications"], int) and "point_id" in s["identity"] for s in points):
            raise TypeError
    except (TypeError, KeyError, ValueError):
        raise _Unreadable(job_files.DONE, "not a marker of this version of silosim "
                                          "(re-run the command to redo the job)") from None
    return marker


def _read(job: Path, name: str, reader: Any) -> Any:
    path = job / name
    if not path.is_file():
        raise _Unreadable(name, "missing")
    try:
        return reader(path)
    except _READ_ERRORS as error:
        raise _Unreadable(name, f"not a readable Parquet file ({_one_line(error)})") from None


def _sweep_meta(plan: dict[str, Any], jobs: list[Path], read: list[JobResults],
                results_dir: Path, timing: dict[str, float] | None,
                unreadable: list[dict[str, str]], not_written: list[dict[str, str]]
                ) -> dict[str, Any]:
    points = [p for r in read for p in r.points]
    varying = _varying(points)
    swept = [c for c in _declared_columns(plan) if c in varying]
    finished = {r.job for r in read}
    design = plan["design"]
    return {
        "experiment": plan["experiment"],
        "mode": plan["mode"],
        "swept": swept,
        "varying": varying,
        "reference": plan["reference"],
        "design": design,
        "robustness": plan.get("robustness"),
        "jobs": len(jobs),
        "points": design["points"] * len(jobs) // len(design["blocks"]) if design else len(jobs),
        "completed_points": len(points),
        "failed_points": [
            {"job": _relative(job, results_dir), "overrides": overrides,
             "error": _missing_line(job, unreadable, results_dir)}
            for job, overrides in zip(jobs, plan["jobs"], strict=True) if job not in finished
        ],
        "failed_runs": [f for r in read for f in r.failures],
        "unreadable": unreadable,
        "not_written": not_written,
        "runs": sum(p.runs for p in points),
        "settings": plan["settings"],
        "sweep": plan["sweep"],
        "point_summary": [p.summary(swept) for p in points],
        "job_seconds": [r.seconds for r in read],
        "timing": timing,
        "aggregated": job_files.now(),
        **job_files.provenance(),
    }


def _missing_line(job: Path, unreadable: list[dict[str, str]], results_dir: Path) -> str:
    name = _relative(job, results_dir)
    bad = [u["error"] for u in unreadable if u["file"].startswith(name + "/")]
    return f"unreadable: {bad[0]}" if bad else job_files.error_line(job)


def _declared_columns(plan: dict[str, Any]) -> list[str]:
    """The ``runs`` columns of what the sweep declares it varies (keys, groups, design)."""
    columns = [_column(key) for key in plan["sweep"]
               if not key.lstrip("+~").startswith("hydra") and key != "block"]
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
    identity = [k for k in points[0].marker["identity"]
                if k not in ("point_id", "point_index", "title", "point")]
    candidates = ["base_seed", *identity, *SimParams().flatten()]
    return [c for c in candidates
            if len({repr(p.values.get(c)) for p in points}) > 1]


Schemas = dict[str, pa.Schema | None]


def _unified(read: list[JobResults], results_dir: Path, unreadable: list[dict[str, str]]
             ) -> tuple[list[JobResults], Schemas]:
    """The jobs whose tables fit the others', and the sweep's tables' schemas."""
    schemas: Schemas = dict.fromkeys((job_files.RUNS, job_files.TIMESERIES))
    kept = []
    for result in read:
        if not result.points:  # every replication failed: nothing to add, failures listed
            kept.append(result)
            continue
        try:
            schemas = {name: _unify(schema, result.job, name) for name, schema in schemas.items()}
        except _Unreadable as bad:
            unreadable.append({"file": f"{_relative(result.job, results_dir)}/{bad.file}",
                               "error": bad.problem})
            continue
        kept.append(result)
    return kept, schemas


def _write_tables(read: list[JobResults], schemas: Schemas, results_dir: Path,
                  not_written: list[dict[str, str]]) -> None:
    """Stream the jobs' tables into the sweep's; name each table that could not be written."""
    with_rows = [r for r in read if r.points]
    for name, schema in schemas.items():
        try:
            _stream(with_rows, name, schema, results_dir / name)
        except OSError as error:
            not_written.append({"file": name, "error": _os_error(error)})


def _unify(schema: pa.Schema | None, job: Path, name: str) -> pa.Schema:
    """``schema`` widened by the job's file, or ``_Unreadable`` naming the clashing column."""
    mine = _read(job, name, pq.read_schema)
    if schema is None:
        return mine
    try:
        return pa.unify_schemas([schema, mine], promote_options="permissive")
    except pa.ArrowException as error:
        clash = next((f.name for f in mine if f.name in schema.names
                      and not _compatible(schema.field(f.name).type, f.type)), "a column")
        shown = f"{clash} is {mine.field(clash).type} here, {schema.field(clash).type} " \
            "in the jobs before" if clash in schema.names else _one_line(error)
        raise _Unreadable(name, f"column types clash with the other jobs' ({shown})") from None


def _compatible(one: pa.DataType, other: pa.DataType) -> bool:
    try:
        pa.unify_schemas([pa.schema([("x", one)]), pa.schema([("x", other)])],
                         promote_options="permissive")
    except pa.ArrowException:
        return False
    return True


def _stream(read: list[JobResults], name: str, schema: pa.Schema | None, target: Path) -> None:
    if schema is None:
        return
    with job_files.table_stream(target, schema=schema) as stream:
        for result in read:
            with pq.ParquetFile(result.job / name) as source:
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


def _one_line(error: BaseException) -> str:
    text = next((ln.strip() for ln in str(error).splitlines() if ln.strip()), "")
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _os_error(error: OSError) -> str:
    return f"{error.strerror or type(error).__name__} ({type(error).__name__})"


def main(argv: list[str] | None = None) -> None:
    """``silosim-aggregate [--read-only] DIR``: (re)build a results directory's dataset and summary.

    It holds the directory like ``silosim`` does, so it is refused while another command
    writes there; ``--read-only`` writes nothing and takes no hold, so it may watch a
    sweep that is still running.
    """
    parser = argparse.ArgumentParser(prog=AGGREGATE, description=__doc__.split("\n")[0])
    parser.add_argument("results_dir", type=Path, help="a sweep or run directory of silosim")
    parser.add_argument("--read-only", action="store_true",
                        help="print the summary of the jobs' files as they are now; write "
                             "nothing (safe while a sweep is running)")
    args = parser.parse_args(argv)
    try:
        read_plan(args.results_dir)  # a silosim directory, before anything is written there
        if args.read_only:
            summary = aggregate(args.results_dir, write=False)
        else:
            with job_files.command_lock(args.results_dir, AGGREGATE, "results directory"):
                summary = aggregate(args.results_dir)
    except (ConfigError, OSError) as error:
        line = str(error) if isinstance(error, ConfigError) else _one_line(error)
        print(f"{AGGREGATE}: error: {line}", file=sys.stderr)
        raise SystemExit(2) from None
    print(summary.text())
    if args.read_only:
        print("  read-only: nothing was written")
    raise SystemExit(1 if summary.failed else 0)
