"""Benchmark: a sweep of 200 replications of the default organisation through the engine,
against the sum of its replications, against Mesa's ``batch_run`` on the same runs, and
the engine's peak memory as the number of runs grows.

The sweep is ``silosim -m seed=0,1,2,3 replications=50 scenario=baseline report=false``:
four jobs of 50 replications (the engine's recommended job size), every job the
default organisation, so the 200 replications are fixed (base seed x replicate) and
every method below runs exactly those 200. Each runs in a fresh child process, timed
from launch to exit, its CPU time and peak RSS read from the kernel (``os.wait4``):

- ``loop``: ``run_replication`` called back to back on the 200 seeds, nothing kept: the
  model's own cost with nothing around it;
- ``silosim``: the real command with Hydra's basic launcher (serial), and on 2 processes
  with its ``local`` launcher (workers forked from the command) and with Hydra's joblib
  launcher (loky: fresh interpreters);
- ``batch_run``: ``mesa.batch_run`` with ``number_processes=1`` and ``2`` on the same
  model, parameters and seeds (``BatchSilosim`` below: spin-up in the constructor as in
  ``run_replication``, stop after the horizon, KPIs and label through a DataCollector),
  ending, like the engine, with the runs and weekly tables written as Parquet.

The loop and ``batch_run`` receive the scenario's parameters as JSON, resolved once by
this script the way a job resolves them: their users build parameters in Python, so
neither pays Hydra's imports or a composition.

Every method times each of its replications inside its own process (the engine records
``model_seconds`` in each ``done.json``), so **overhead = wall time x processes / the sum
of its own replications - 1** compares figures taken at the same moment on the same
machine: everything else (interpreter start, imports, command-line checks, Hydra, job
files, aggregation) is overhead. This matters on a VM whose speed drifts by tens of
percent from one minute to the next: a sum taken in another process would carry that
drift into the overhead. The loop's sum is kept as a cross-check that replications cost
the same inside the engine as alone.

Methods are interleaved within each repeat so that load on a shared machine hits all
of them alike; figures are medians over the repeats, and the comparison with
``batch_run`` is the median of the paired ratios (engine / batch_run in the same repeat),
of wall times and, drift-free, of wall time per second of each run's own replications:
the targets use the drift-free ratio, because the same replications' speed drifts between
two processes by more than the engine and ``batch_run`` differ.
The report is left out of the sweep (``report=false``): it is
analysis, not engine. Memory is also measured for fewer jobs and for one job of 200.

Run: ``make bench`` (``QUICK=1`` for a smoke run: 20 replications, one repeat), or
``.venv/bin/python benchmarks/bench_sweep.py [--repeats 3] [--runs 200] [--jobs 4] [--quick]``.
Writes ``benchmarks/results/sweep*.csv`` and ``sweep*.md``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import mesa
import pandas as pd
from benchlib import ChildRun, machine, median, run_child, write_table

from experiments.seeds import replicate_seed
from sim.model import SilosimModel
from sim.params import SimParams
from sim.run import run_outcome

SILOSIM = str(Path(sys.executable).with_name("silosim"))
SCENARIO = "baseline"
PARALLEL = 2
TARGET_OVERHEAD, TARGET_MEMORY_GROWTH = 0.05, 0.10
#: each engine method and the batch_run method with as many processes, its comparison
AGAINST = {"engine": "batch_run", "engine_parallel": "batch_run_parallel",
           "engine_joblib": "batch_run_parallel"}


# ------------------------------------------------------------- the sweep's replications


def seeds(runs: int, jobs: int) -> list[int]:
    """The sweep's replication seeds, exactly as the engine derives them (common seeding)."""
    per_job = runs // jobs
    return [replicate_seed(base, index) for base in range(jobs) for index in range(per_job)]


@cache
def engine_params() -> SimParams:
    """The scenario's parameters resolved the way a ``silosim`` job resolves them."""
    from experiments.config_tree import compose_config, config_tree
    from experiments.point import resolve_point

    with config_tree():
        cfg = compose_config([f"scenario={SCENARIO}"], with_hydra=True)
    return resolve_point(cfg, dict(cfg.hydra.runtime.choices)).params


def params_argument(out: Path) -> str:
    """The scenario's parameters for a loop or ``batch_run`` child, resolved here, once.

    A ``batch_run`` user builds them in Python; resolving them through Hydra in the child
    would charge Hydra's imports and a composition (~0.3 s) to the method being measured.
    """
    path = out / "params.json"
    path.write_text(json.dumps(engine_params().to_dict()))
    return f"--params={path}"


def read_params(path: Path) -> SimParams:
    return SimParams.from_dict(json.loads(path.read_text()))


# ------------------------------------------------------------------ child: the loop


def loop(runs: int, jobs: int, params: SimParams) -> dict[str, Any]:
    """Time ``run_replication`` on each of the sweep's seeds: the sum of the replications."""
    from sim.run import run_replication

    wall = []
    for seed in seeds(runs, jobs):
        start = time.perf_counter()
        run_replication(params, seed)
        wall.append(time.perf_counter() - start)
    return {"sum_seconds": sum(wall)}


# -------------------------------------------------------------- child: Mesa's batch_run


class BatchSilosim(SilosimModel):
    """``SilosimModel`` as ``batch_run`` drives it: the same construction (with spin-up),
    stopped after the horizon, with the run's KPIs, label and weekly table collected by a
    Mesa ``DataCollector`` at the last step, as ``run_replication`` computes them."""

    def __init__(self, params: SimParams, rng: int) -> None:
        self.started = time.perf_counter()
        super().__init__(params=params, rng=rng)
        self.kpis: dict[str, Any] = {}
        self.weekly_table = pd.DataFrame()
        self.replication_seconds = 0.0
        self.datacollector = mesa.DataCollector(model_reporters={
            "kpis": "kpis", "weekly": "weekly_table", "seconds": "replication_seconds"})

    def step(self) -> None:
        super().step()
        if self.week == self.params.horizon_weeks:
            self.running = False
            self.weekly_table = self.weekly_frame()
            self.kpis = run_outcome(self, self.weekly_table)
            # the span run_replication times in the engine: construction (with spin-up) to KPIs
            self.replication_seconds = time.perf_counter() - self.started
            self.datacollector.collect(self)


def batch(runs: int, jobs: int, processes: int, out: Path, params: SimParams) -> dict[str, float]:
    """The sweep's replications through ``mesa.batch_run``; tables written like the engine's."""
    results = mesa.batch_run(BatchSilosim, parameters={"params": params}, rng=seeds(runs, jobs),
                             number_processes=processes, data_collection_period=-1,
                             max_steps=params.spin_up_weeks + params.horizon_weeks,
                             display_progress=False)
    runs_table = pd.DataFrame([{"seed": r["rng"], **r["kpis"]} for r in results])
    weekly = pd.concat([r["weekly"].assign(seed=r["rng"]) for r in results], ignore_index=True)
    runs_table.to_parquet(out / "runs.parquet", index=False)
    weekly.to_parquet(out / "timeseries.parquet", index=False)
    return {"sum_seconds": sum(r["seconds"] for r in results)}


# ---------------------------------------------------------------- the parent: methods


@dataclass
class Method:
    """One way of running the sweep's replications, and what each repeat measured."""

    name: str
    processes: int
    run: Callable[[Path], dict[str, Any]]
    measured: list[dict[str, Any]] = field(default_factory=list)

    def median(self, key: str) -> float:
        return median([m[key] for m in self.measured])


def methods(runs: int, jobs: int) -> dict[str, Method]:
    """The loop (the sum of the replications) first, then each engine next to batch_run."""
    return {"loop": Method("run_replication loop (sum of replications)", 1, measure_loop(runs, jobs)),
            "engine": Method("silosim -m, basic launcher", 1, measure_engine(runs, jobs)),
            "batch_run": Method("mesa.batch_run, number_processes=1", 1, measure_batch_run(runs, jobs, 1)),
            "engine_parallel": Method(f"silosim -m, local launcher (forked workers) n_jobs={PARALLEL}",
                                      PARALLEL, measure_engine(runs, jobs, "local")),
            "engine_joblib": Method(f"silosim -m, joblib launcher (loky) n_jobs={PARALLEL}", PARALLEL,
                                    measure_engine(runs, jobs, "joblib")),
            "batch_run_parallel": Method(f"mesa.batch_run, number_processes={PARALLEL}", PARALLEL,
                                         measure_batch_run(runs, jobs, PARALLEL))}


@contextmanager
def scratch() -> Iterator[Path]:
    """A scratch directory per run (a sweep must never resume another), kept if the run fails."""
    out = Path(tempfile.mkdtemp(prefix="silosim-bench-"))
    yield out
    shutil.rmtree(out)


def child(argv: list[str], out: Path) -> ChildRun:
    return run_child(argv, out / "stderr.log")


def measured(done: ChildRun) -> dict[str, float]:
    return {"wall": done.seconds, "cpu": done.cpu_seconds, "rss": done.peak_rss_mib}


def measure_loop(runs: int, jobs: int) -> Callable[[Path], dict[str, Any]]:
    def run(out: Path) -> dict[str, Any]:
        done = child([sys.executable, __file__, "loop", f"--runs={runs}", f"--jobs={jobs}",
                      params_argument(out)], out)
        return {**measured(done), **json.loads(done.stdout)}
    return run


def measure_engine(runs: int, jobs: int,
                   pool: str | None = None) -> Callable[[Path], dict[str, Any]]:
    """``silosim`` itself, serial or with launcher ``pool`` on ``PARALLEL`` processes; its own
    records (``sweep.json``, ``done.json``) split its wall time."""
    launcher = [f"hydra/launcher={pool}", f"hydra.launcher.n_jobs={PARALLEL}"] if pool else []

    def run(out: Path) -> dict[str, Any]:
        sweep = out / "sweep"
        done = child([SILOSIM, "-m", "seed=" + ",".join(map(str, range(jobs))),
                      f"replications={runs // jobs}", f"scenario={SCENARIO}", "report=false",
                      f"out={sweep}", *launcher], out)
        markers = [json.loads(p.read_text()) for p in sorted(sweep.glob("jobs/*/done.json"))]
        if len(markers) != jobs:
            raise RuntimeError(f"silosim finished {len(markers)} of {jobs} jobs; see {out}")
        timing = json.loads((sweep / "sweep.json").read_text())["timing"]
        return {**measured(done), "hydra": timing["wall_seconds"],
                "in_jobs": sum(m["replication_seconds"] for m in markers),
                "sum_seconds": sum(m["model_seconds"] for m in markers),
                "labels": pd.read_parquet(sweep / "runs.parquet", columns=["seed", "label"])}
    return run


def measure_batch_run(runs: int, jobs: int, processes: int) -> Callable[[Path], dict[str, Any]]:
    def run(out: Path) -> dict[str, Any]:
        done = child([sys.executable, __file__, "batch-run", f"--runs={runs}", f"--jobs={jobs}",
                      f"--processes={processes}", f"--out={out}", params_argument(out)], out)
        return {**measured(done), **json.loads(done.stdout),
                "labels": pd.read_parquet(out / "runs.parquet", columns=["seed", "label"])}
    return run


def run_repeats(every: dict[str, Method], repeats: int) -> None:
    """Every method once per repeat, in turn, each in its own scratch directory."""
    for repeat in range(repeats):
        for method in every.values():
            with scratch() as out:
                method.measured.append(method.run(out))
            print(f"repeat {repeat + 1}/{repeats}: {method.name}: {method.measured[-1]['wall']:.1f} s",
                  file=sys.stderr)


def same_labels(every: dict[str, Method]) -> bool:
    """Every engine and batch_run method labelled every seed alike (first repeat)."""
    tables = [m.measured[0]["labels"].sort_values("seed", ignore_index=True)
              for m in every.values() if "labels" in m.measured[0]]
    return all(t.equals(tables[0]) for t in tables[1:])


# ----------------------------------------------------------------- the parent: tables


def overhead(m: Method) -> float:
    """Median over repeats of wall x processes / the sum of the run's own replications - 1."""
    return median([x["wall"] * m.processes / x["sum_seconds"] - 1 for x in m.measured])


def paired_ratio(m: Method, reference: Method, drift_free: bool = False) -> float:
    """Median over repeats of this method's wall time / the reference's in the same repeat.

    ``drift_free``: each wall time per second of the method's own replications instead, i.e.
    (1 + overhead) / (1 + the reference's overhead). Both ran the same replications, so this
    is the ratio of their wall times had the machine run them equally fast: on this VM the
    speed of the same replications drifts by several percent between two processes a minute
    apart, more than the difference being measured.
    """
    def wall(x: dict[str, Any]) -> float:
        return x["wall"] / x["sum_seconds"] if drift_free else x["wall"]
    return median([wall(x) / wall(y) for x, y in zip(m.measured, reference.measured, strict=True)])


def sweep_table(every: dict[str, Method], runs: int) -> pd.DataFrame:
    """Per method: wall time against the sum of its own replications, CPU time, peak memory."""
    loop = every["loop"].median("sum_seconds")

    def versus_batch_run(key: str, drift_free: bool) -> float:
        return (round(paired_ratio(every[key], every[AGAINST[key]], drift_free), 3)
                if key in AGAINST else float("nan"))
    return pd.DataFrame([
        {"method": m.name, "processes": m.processes, "runs": runs, "repeats": len(m.measured),
         "median_wall_s": round(m.median("wall"), 2),
         "min_wall_s": round(min(x["wall"] for x in m.measured), 2),
         "max_wall_s": round(max(x["wall"] for x in m.measured), 2),
         "sum_of_its_replications_s": round(m.median("sum_seconds"), 2),
         "overhead": f"{overhead(m):+.1%}",
         "replications_vs_loop": round(m.median("sum_seconds") / loop, 3),
         "wall_vs_batch_run": versus_batch_run(key, drift_free=False),
         "drift_free_vs_batch_run": versus_batch_run(key, drift_free=True),
         "median_cpu_s": round(m.median("cpu"), 2),
         "peak_rss_mib": round(m.median("rss"))}
        for key, m in every.items()])


def overhead_table(engine: Method) -> pd.DataFrame:
    """Where the serial engine's wall time goes beyond its replications, from its own records
    (each stage per repeat, then the median over repeats)."""
    stages = [("outside Hydra: interpreter start, imports (the model's too), command-line checks, "
               "aggregation", lambda x: x["wall"] - x["hydra"]),
              ("Hydra: composing and launching jobs, job files", lambda x: x["hydra"] - x["in_jobs"]),
              ("replication loop bookkeeping: rows, weekly series, progress bar",
               lambda x: x["in_jobs"] - x["sum_seconds"]),
              ("all engine overhead", lambda x: x["wall"] - x["sum_seconds"])]
    total = engine.median("sum_seconds")
    rows = []
    for stage, seconds in stages:
        spent = median([seconds(x) for x in engine.measured])
        rows.append({"stage": stage, "median_s": round(spent, 2),
                     "share_of_sum_of_replications": f"{spent / total:+.1%}"})
    return pd.DataFrame(rows)


def memory_table(runs: int, jobs: int, every: dict[str, Method]) -> pd.DataFrame:
    """Peak RSS as jobs of a fixed size are added, as one job grows, and for the other methods."""
    per_job = runs // jobs
    rows = []
    for count in sorted({1, jobs // 2} - {jobs}):
        with scratch() as out:
            rows.append(("silosim", count, per_job, measure_engine(per_job * count, count)(out)["rss"]))
    rows.append(("silosim", jobs, per_job, every["engine"].median("rss")))
    for size in (runs, 2 * runs):  # one job growing: does memory level off or keep rising?
        with scratch() as out:
            rows.append(("silosim", 1, size, measure_engine(size, 1)(out)["rss"]))
    rows.append(("mesa.batch_run, 1 process", 1, runs, every["batch_run"].median("rss")))
    rows.append(("run_replication loop, nothing kept", 1, runs, every["loop"].median("rss")))
    return pd.DataFrame([{"method": method, "runs": count * size, "jobs": count,
                          "replications_per_job": size, "peak_rss_mib": round(rss)}
                         for method, count, size, rss in rows])


def memory_growth(memory: pd.DataFrame, per_job: int) -> tuple[float, float, int]:
    """Engine peak RSS growth as jobs are added, and as a single job grows (largest over the
    smallest single job)."""
    engine = memory[memory.method == "silosim"]
    alike = engine[engine.replications_per_job == per_job].peak_rss_mib
    single = engine[engine.jobs == 1].set_index("replications_per_job").peak_rss_mib
    return alike.max() / alike.min() - 1, single.max() / single.loc[per_job] - 1, single.index.max()


def verdicts(every: dict[str, Method], memory: pd.DataFrame, per_job: int, same: bool) -> list[str]:
    """The issue's targets for the sweep, checked on this run's figures."""
    engine_overhead = overhead(every["engine"])
    across_jobs, within_job, largest = memory_growth(memory, per_job)
    flat = f"flat = within {TARGET_MEMORY_GROWTH:.0%}"
    serial, parallel = (paired_ratio(every[key], every[AGAINST[key]], drift_free=True)
                        for key in ("engine", "engine_parallel"))
    serial_raw, parallel_raw = (paired_ratio(every[key], every[AGAINST[key]])
                                for key in ("engine", "engine_parallel"))
    checks = [(f"engine overhead <= {TARGET_OVERHEAD:.0%} of the sweep ({engine_overhead:+.1%})",
               engine_overhead <= TARGET_OVERHEAD),
              (f"peak memory flat as jobs of {per_job} are added ({across_jobs:+.1%}; {flat})",
               across_jobs <= TARGET_MEMORY_GROWTH),
              (f"peak memory flat as one job grows from {per_job} to {largest} replications "
               f"({within_job:+.1%}; {flat})",
               within_job <= TARGET_MEMORY_GROWTH),
              (f"not slower than batch_run, 1 process (drift-free ratio {serial:.3f}; "
               f"raw wall ratio {serial_raw:.3f})", serial <= 1),
              (f"not slower than batch_run, {PARALLEL} processes (drift-free ratio {parallel:.3f}; "
               f"raw wall ratio {parallel_raw:.3f})", parallel <= 1)]
    return [*(f"target: {text}: {'met' if ok else 'NOT met'}" for text, ok in checks),
            f"same label for every seed on every engine and batch_run run: {'yes' if same else 'NO'}"]


def benchmark(runs: int, jobs: int, repeats: int) -> None:
    about = machine()
    every = methods(runs, jobs)
    run_repeats(every, repeats)
    memory = memory_table(runs, jobs, every)
    notes = [f"Sum of its replications: each of the {runs} replications timed inside the run itself, "
             "from the model's construction (with spin-up) to its KPIs (silosim: done.json "
             "model_seconds; batch_run: timed by the model; loop: around run_replication). "
             "Overhead = wall x processes / that sum - 1, per repeat, median (for 2 processes: "
             "against a perfect 2-way split). replications_vs_loop = that sum / the loop's: above 1 "
             "when replications ran slower than alone (machine drift between processes included). "
             "wall_vs_batch_run = wall / batch_run's wall in the same repeat, median; "
             "drift_free_vs_batch_run = the same for wall per second of each run's own "
             "replications, (1 + overhead) / (1 + batch_run's overhead): the targets use it, as "
             "the machine's speed drifts between the two runs by more than they differ. CPU = user + "
             "system of the process and the children it reaped. Peak RSS: largest single process "
             "(os.wait4 ru_maxrss).",
             *verdicts(every, memory, runs // jobs, same_labels(every))]
    write_table("sweep", sweep_table(every, runs), about, notes)
    write_table("sweep_overhead", overhead_table(every["engine"]), about)
    write_table("sweep_memory", memory, about)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("role", nargs="?", default="benchmark", choices=["benchmark", "loop", "batch-run"],
                        help="internal: the child processes the benchmark starts")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--params", type=Path, help="internal: a child's parameters (JSON)")
    parser.add_argument("--quick", action="store_true", help="20 runs in 2 jobs, one repeat: a smoke test")
    args = parser.parse_args()
    if args.role == "loop":
        print(json.dumps(loop(args.runs, args.jobs, read_params(args.params))))
    elif args.role == "batch-run":
        print(json.dumps(batch(args.runs, args.jobs, args.processes, args.out,
                               read_params(args.params))))
    elif args.quick:
        benchmark(runs=20, jobs=2, repeats=1)
    else:
        benchmark(args.runs, args.jobs, args.repeats)


if __name__ == "__main__":
    main()
