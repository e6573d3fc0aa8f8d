"""Benchmark: a sweep of 200 replications of the default organisation through the engine,
against the sum of its replications, against Mesa's ``batch_run`` on the same runs, and
the engine's peak memory as the number of runs grows.

The sweep is ``silosim -m seed=0,1,2,3 replications=50 scenario=baseline report=false``:
four jobs of 50 replications (the engine's recommended job size), every job the
default organisation, so the 200 replications are fixed (base seed x replicate) and
every method below runs exactly those 200. Each runs in a fresh child process, timed
from launch to exit, its CPU time and peak RSS read from the kernel (``os.wait4``):

- ``loop``: ``run_replication`` called back to back on the 200 seeds; the sum of the
  per-call times is **the sum of the replications** (the model's own cost, nothing around it);
- ``silosim``: the real command with Hydra's basic launcher (serial), and with the joblib
  launcher on 2 processes; engine overhead = wall time / sum of replications - 1, which
  counts interpreter start, imports, command-line checks, Hydra, job files and aggregation;
- ``batch_run``: ``mesa.batch_run`` with ``number_processes=1`` and ``2`` on the same
  model, parameters and seeds (``BatchSilosim`` below: spin-up in the constructor as in
  ``run_replication``, stop after the horizon, KPIs and label through a DataCollector),
  ending, like the engine, with the runs and weekly tables written as Parquet.

Methods are interleaved within each repeat so that load on a shared machine hits all
of them alike; figures are medians over the repeats. CPU times are reported next to
wall times because a busy machine disturbs them less (for a smoke run under load, read
the CPU columns). The report is left out of the sweep (``report=false``): it is
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


# ------------------------------------------------------------- the sweep's replications


def seeds(runs: int, jobs: int) -> list[int]:
    """The sweep's replication seeds, exactly as the engine derives them (common seeding)."""
    per_job = runs // jobs
    return [replicate_seed(base, index) for base in range(jobs) for index in range(per_job)]


def engine_params() -> SimParams:
    """The scenario's parameters resolved the way a ``silosim`` job resolves them."""
    from experiments.config_tree import compose_config, config_tree
    from experiments.point import resolve_point

    with config_tree():
        cfg = compose_config([f"scenario={SCENARIO}"], with_hydra=True)
    return resolve_point(cfg, dict(cfg.hydra.runtime.choices)).params


# ------------------------------------------------------------------ child: the loop


def loop(runs: int, jobs: int) -> dict[str, Any]:
    """Time ``run_replication`` on each of the sweep's seeds: the sum of the replications."""
    from sim.run import run_replication

    params = engine_params()
    wall, cpu = [], []
    for seed in seeds(runs, jobs):
        start, start_cpu = time.perf_counter(), time.process_time()
        run_replication(params, seed)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return {"sum_seconds": sum(wall), "sum_cpu_seconds": sum(cpu)}


# -------------------------------------------------------------- child: Mesa's batch_run


class BatchSilosim(SilosimModel):
    """``SilosimModel`` as ``batch_run`` drives it: the same construction (with spin-up),
    stopped after the horizon, with the run's KPIs, label and weekly table collected by a
    Mesa ``DataCollector`` at the last step, as ``run_replication`` computes them."""

    def __init__(self, params: SimParams, rng: int) -> None:
        super().__init__(params=params, rng=rng)
        self.kpis: dict[str, Any] = {}
        self.weekly_table = pd.DataFrame()
        self.datacollector = mesa.DataCollector(
            model_reporters={"kpis": "kpis", "weekly": "weekly_table"})

    def step(self) -> None:
        super().step()
        if self.week == self.params.horizon_weeks:
            self.running = False
            self.weekly_table = self.weekly_frame()
            self.kpis = run_outcome(self, self.weekly_table)
            self.datacollector.collect(self)


def batch(runs: int, jobs: int, processes: int, out: Path) -> None:
    """The sweep's replications through ``mesa.batch_run``; tables written like the engine's."""
    params = engine_params()
    results = mesa.batch_run(BatchSilosim, parameters={"params": params}, rng=seeds(runs, jobs),
                             number_processes=processes, data_collection_period=-1,
                             max_steps=params.spin_up_weeks + params.horizon_weeks,
                             display_progress=False)
    runs_table = pd.DataFrame([{"seed": r["rng"], **r["kpis"]} for r in results])
    weekly = pd.concat([r["weekly"].assign(seed=r["rng"]) for r in results], ignore_index=True)
    runs_table.to_parquet(out / "runs.parquet", index=False)
    weekly.to_parquet(out / "timeseries.parquet", index=False)


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
            "engine_parallel": Method(f"silosim -m, joblib launcher n_jobs={PARALLEL}", PARALLEL,
                                      measure_engine(runs, jobs, PARALLEL)),
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
        done = child([sys.executable, __file__, "loop", f"--runs={runs}", f"--jobs={jobs}"], out)
        return {**measured(done), **json.loads(done.stdout)}
    return run


def measure_engine(runs: int, jobs: int, processes: int = 1) -> Callable[[Path], dict[str, Any]]:
    """``silosim`` itself; its own records (``sweep.json``, ``done.json``) split its wall time."""
    launcher = ["hydra/launcher=local", f"hydra.launcher.n_jobs={processes}"] if processes > 1 else []

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
                "labels": pd.read_parquet(sweep / "runs.parquet", columns=["seed", "label"])}
    return run


def measure_batch_run(runs: int, jobs: int, processes: int) -> Callable[[Path], dict[str, Any]]:
    def run(out: Path) -> dict[str, Any]:
        done = child([sys.executable, __file__, "batch-run", f"--runs={runs}", f"--jobs={jobs}",
                      f"--processes={processes}", f"--out={out}"], out)
        return {**measured(done),
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


def sweep_table(every: dict[str, Method], runs: int) -> pd.DataFrame:
    """Per method: wall and CPU time against the sum of the replications, and peak memory."""
    total, total_cpu = every["loop"].median("sum_seconds"), every["loop"].median("sum_cpu_seconds")
    return pd.DataFrame([
        {"method": m.name, "processes": m.processes, "runs": runs, "repeats": len(m.measured),
         "median_wall_s": round(m.median("wall"), 2),
         "min_wall_s": round(min(x["wall"] for x in m.measured), 2),
         "max_wall_s": round(max(x["wall"] for x in m.measured), 2),
         "sum_of_replications_s": round(total, 2),
         "overhead_wall": f"{m.median('wall') * m.processes / total - 1:+.1%}",
         "median_cpu_s": round(m.median("cpu"), 2),
         "sum_of_replications_cpu_s": round(total_cpu, 2),
         "overhead_cpu": f"{m.median('cpu') / total_cpu - 1:+.1%}",
         "peak_rss_mib": round(m.median("rss"))}
        for m in every.values()])


def overhead_table(engine: Method, total: float) -> pd.DataFrame:
    """Where the serial engine's wall time goes beyond the model, from its own records."""
    wall, hydra, in_jobs = engine.median("wall"), engine.median("hydra"), engine.median("in_jobs")
    stages = [("outside Hydra: interpreter start, imports, command-line checks, aggregation",
               wall - hydra),
              ("Hydra: launching and composing jobs, the model's import (first job), job files",
               hydra - in_jobs),
              ("replication loop bookkeeping: rows, weekly series, progress bar", in_jobs - total),
              ("all engine overhead", wall - total)]
    return pd.DataFrame([{"stage": stage, "median_s": round(seconds, 2),
                          "share_of_sum_of_replications": f"{seconds / total:+.1%}"}
                         for stage, seconds in stages])


def memory_table(runs: int, jobs: int, every: dict[str, Method]) -> pd.DataFrame:
    """Peak RSS as jobs of a fixed size are added, as one job grows, and for the other methods."""
    per_job = runs // jobs
    rows = []
    for count in sorted({1, jobs // 2} - {jobs}):
        with scratch() as out:
            rows.append(("silosim", count, per_job, measure_engine(per_job * count, count)(out)["rss"]))
    rows.append(("silosim", jobs, per_job, every["engine"].median("rss")))
    with scratch() as out:
        rows.append(("silosim", 1, runs, measure_engine(runs, 1)(out)["rss"]))
    rows.append(("mesa.batch_run, 1 process", 1, runs, every["batch_run"].median("rss")))
    rows.append(("run_replication loop, nothing kept", 1, runs, every["loop"].median("rss")))
    return pd.DataFrame([{"method": method, "runs": count * size, "jobs": count,
                          "replications_per_job": size, "peak_rss_mib": round(rss)}
                         for method, count, size, rss in rows])


def memory_growth(memory: pd.DataFrame, per_job: int) -> tuple[float, float]:
    """Engine peak RSS growth as jobs are added, and as a single job grows, from 1 job x per_job."""
    engine = memory[memory.method == "silosim"]
    alike = engine[engine.replications_per_job == per_job].peak_rss_mib
    single = engine[engine.jobs == 1].set_index("replications_per_job").peak_rss_mib
    return alike.max() / alike.min() - 1, single.max() / single.loc[per_job] - 1


def verdicts(every: dict[str, Method], memory: pd.DataFrame, per_job: int, same: bool) -> list[str]:
    """The issue's targets for the sweep, checked on this run's (wall-time) figures."""
    wall = {key: m.median("wall") for key, m in every.items()}
    overhead = wall["engine"] / every["loop"].median("sum_seconds") - 1
    across_jobs, within_job = memory_growth(memory, per_job)
    flat = f"flat = within {TARGET_MEMORY_GROWTH:.0%}"
    checks = [(f"engine overhead <= {TARGET_OVERHEAD:.0%} of the sweep ({overhead:+.1%})",
               overhead <= TARGET_OVERHEAD),
              (f"peak memory flat as jobs of {per_job} are added ({across_jobs:+.1%}; {flat})",
               across_jobs <= TARGET_MEMORY_GROWTH),
              (f"peak memory flat as one job grows from {per_job} replications ({within_job:+.1%}; {flat})",
               within_job <= TARGET_MEMORY_GROWTH),
              ("not slower than batch_run, 1 process", wall["engine"] <= wall["batch_run"]),
              (f"not slower than batch_run, {PARALLEL} processes",
               wall["engine_parallel"] <= wall["batch_run_parallel"])]
    return [*(f"target: {text}: {'met' if ok else 'NOT met'}" for text, ok in checks),
            f"same label for every seed on every engine and batch_run run: {'yes' if same else 'NO'}"]


def benchmark(runs: int, jobs: int, repeats: int) -> None:
    about = machine()
    every = methods(runs, jobs)
    run_repeats(every, repeats)
    memory = memory_table(runs, jobs, every)
    notes = [f"Sum of replications: run_replication timed call by call on the same {runs} seeds, back "
             "to back in one process. Overhead = wall x processes / sum - 1 (for 2 processes: against "
             "a perfect 2-way split); CPU = user + system of the process and the children it reaped. "
             "Peak RSS: largest single process (os.wait4 ru_maxrss).",
             *verdicts(every, memory, runs // jobs, same_labels(every))]
    write_table("sweep", sweep_table(every, runs), about, notes)
    write_table("sweep_overhead", overhead_table(every["engine"], every["loop"].median("sum_seconds")),
                about)
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
    parser.add_argument("--quick", action="store_true", help="20 runs in 2 jobs, one repeat: a smoke test")
    args = parser.parse_args()
    if args.role == "loop":
        print(json.dumps(loop(args.runs, args.jobs)))
    elif args.role == "batch-run":
        batch(args.runs, args.jobs, args.processes, args.out)
    elif args.quick:
        benchmark(runs=20, jobs=2, repeats=1)
    else:
        benchmark(args.runs, args.jobs, args.repeats)


if __name__ == "__main__":
    main()
