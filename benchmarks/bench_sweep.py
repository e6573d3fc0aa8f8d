"""Benchmark the experiment engine: its overhead, its memory, and that results never change.

Four figures, each for something the engine promises (docs/performance.md):

- **overhead of a sweep** — ``silosim -m seed=0,1,2,3 replications=50 scenario=baseline
  report=false``: four default jobs of 50 replications, serial (Hydra's basic launcher).
  Overhead = wall time / the sum of its replications' own time - 1, where that sum is what
  the engine records per job (``model_seconds`` in ``done.json``), measured in the same
  process at the same time (this VM's speed drifts by tens of percent between processes);
- **overhead per job** — sweeps of ``JOBS_SHORT`` and ``JOBS_LONG`` jobs of one tiny
  replication each: the extra wall time per extra job, less the extra model time, is
  what the engine adds per job (composing and checking it, Hydra's bookkeeping, its files,
  aggregating it). The target: at most 5% of a default 50-replication job's model time;
- **memory** — peak RSS of the command (``os.wait4``) for 1, 2 and 4 jobs of 50 and for one
  job of 200 and of 400: flat (within 10%) as runs are added;
- **determinism** — one small sweep with the basic, joblib, submitit (local) and, if the
  ``ray`` extra is installed, Ray launcher, and the basic one killed (SIGKILL) after its
  first job and resumed: every ``runs.parquet`` and ``timeseries.parquet`` must equal the
  uninterrupted basic run's, cell for cell.

Each sweep runs in a fresh child process, timed from launch to exit; repeats are
interleaved and figures are medians. Run: ``make bench`` (``QUICK=1`` for a smoke run),
or ``.venv/bin/python benchmarks/bench_sweep.py [--repeats 3] [--quick]``.
Writes ``benchmarks/results/sweep*.csv`` and ``sweep*.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pandas as pd
from benchlib import machine, median, run_child, write_table

SILOSIM = str(Path(sys.executable).with_name("silosim"))
TARGET_OVERHEAD, TARGET_MEMORY_GROWTH = 0.05, 0.10
DEFAULT_JOB = 50  # replications of the job size docs/experiments.md recommends
JOBS_SHORT, JOBS_LONG = 2, 10
TINY = ["model.org.n_reps=8", "model.org.n_marketers=2", "model.horizon_weeks=40",
        "model.delivery.build_weeks=13"]
LAUNCHERS = {
    "basic": [],
    "joblib": ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"],
    "submitit_local": ["hydra/launcher=submitit_local", "hydra.launcher.timeout_min=30",
                       "hydra.sweeper.max_batch_size=2"],
    "ray": ["hydra/launcher=ray", "+hydra.launcher.ray.init.num_cpus=2"],
}


@contextmanager
def scratch() -> Iterator[Path]:
    """A scratch directory per run (a sweep must never resume another), kept if the run fails."""
    out = Path(tempfile.mkdtemp(prefix="silosim-bench-"))
    yield out
    shutil.rmtree(out)


@dataclass
class Sweep:
    """One ``silosim`` sweep as the benchmark runs it, and what its own records say."""

    jobs: int
    replications: int
    extra: tuple[str, ...] = ()

    def argv(self, out: Path) -> list[str]:
        return [SILOSIM, "-m", "seed=" + ",".join(map(str, range(self.jobs))),
                f"replications={self.replications}", "scenario=baseline", "report=false",
                f"out={out}", *self.extra]

    def run(self, out: Path) -> dict[str, Any]:
        """Run it in a child process; its wall, CPU, peak RSS and summed model seconds."""
        done = run_child(self.argv(out / "sweep"), out / "stderr.log")
        markers = [json.loads(p.read_text()) for p in sorted(out.glob("sweep/jobs/*/done.json"))]
        if len(markers) != self.jobs:
            raise RuntimeError(f"silosim finished {len(markers)} of {self.jobs} jobs; see {out}")
        return {"wall": done.seconds, "cpu": done.cpu_seconds, "rss": done.peak_rss_mib,
                "model": sum(m["model_seconds"] for m in markers)}


def overhead_figures(runs: int, jobs: int, repeats: int) -> tuple[pd.DataFrame, dict[str, float]]:
    """The serial sweep's overhead and the per-job overhead, ``repeats`` interleaved repeats."""
    main = Sweep(jobs, runs // jobs)
    short, long = (Sweep(n, 1, tuple(TINY)) for n in (JOBS_SHORT, JOBS_LONG))
    measured: dict[str, list[dict[str, Any]]] = {"main": [], "short": [], "long": []}
    for repeat in range(repeats):
        for key, sweep in (("main", main), ("short", short), ("long", long)):
            with scratch() as out:
                measured[key].append(sweep.run(out))
            print(f"repeat {repeat + 1}/{repeats}: {key}: {measured[key][-1]['wall']:.1f} s",
                  file=sys.stderr)
    sweep_overhead = median([m["wall"] / m["model"] - 1 for m in measured["main"]])
    per_job = median([((lg["wall"] - lg["model"]) - (sh["wall"] - sh["model"])) / (JOBS_LONG - JOBS_SHORT)
                      for sh, lg in zip(measured["short"], measured["long"], strict=True)])
    replication = median([m["model"] / runs for m in measured["main"]])
    fixed = median([m["wall"] - m["model"] for m in measured["main"]]) - per_job * jobs
    table = pd.DataFrame([
        {"sweep": f"{jobs} jobs x {runs // jobs} default replications, basic launcher",
         "repeats": repeats, "median_wall_s": median([m["wall"] for m in measured["main"]]),
         "sum_of_its_replications_s": median([m["model"] for m in measured["main"]]),
         "overhead": f"{sweep_overhead:+.1%}",
         "median_cpu_s": median([m["cpu"] for m in measured["main"]]),
         "peak_rss_mib": round(median([m["rss"] for m in measured["main"]]))},
        *({"sweep": f"{n} jobs x 1 tiny replication", "repeats": repeats,
           "median_wall_s": median([m["wall"] for m in measured[key]]),
           "sum_of_its_replications_s": median([m["model"] for m in measured[key]]),
           "overhead": "", "median_cpu_s": median([m["cpu"] for m in measured[key]]),
           "peak_rss_mib": round(median([m["rss"] for m in measured[key]]))}
          for key, n in (("short", JOBS_SHORT), ("long", JOBS_LONG)))])
    return table, {"sweep_overhead": sweep_overhead, "per_job": per_job, "fixed": fixed,
                   "default_job": replication * DEFAULT_JOB}


def memory_table(runs: int, jobs: int) -> pd.DataFrame:
    """Peak RSS as jobs of a fixed size are added, and as one job grows."""
    per_job = runs // jobs
    shapes = [*sorted({(n, per_job) for n in (1, max(jobs // 2, 1), jobs)}), (1, runs),
              (1, 2 * runs)]
    rows = []
    for count, size in shapes:
        with scratch() as out:
            rss = Sweep(count, size).run(out)["rss"]
        rows.append({"runs": count * size, "jobs": count, "replications_per_job": size,
                     "peak_rss_mib": round(rss)})
    return pd.DataFrame(rows)


def memory_growth(memory: pd.DataFrame, per_job: int) -> tuple[float, float]:
    """Peak RSS growth as jobs are added, and as one job grows (largest over the smallest)."""
    alike = memory[memory.replications_per_job == per_job].peak_rss_mib
    single = memory[memory.jobs == 1].peak_rss_mib
    return alike.max() / alike.min() - 1, single.max() / single.min() - 1


def tables_of(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.read_parquet(out / "runs.parquet"), pd.read_parquet(out / "timeseries.parquet")


def identical(out: Path, reference: Path) -> bool:
    return all(got.equals(expected)
               for got, expected in zip(tables_of(out), tables_of(reference), strict=True))


def killed_and_resumed(sweep: Sweep, out: Path) -> float:
    """Run ``sweep``, SIGKILL it once its first job is done, run it again; the total seconds."""
    started = time.perf_counter()
    process = subprocess.Popen(sweep.argv(out), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    while not list(out.glob("jobs/*/done.json")) and process.poll() is None:
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    subprocess.run(sweep.argv(out), capture_output=True, check=True)
    return time.perf_counter() - started


def determinism_table(jobs: int, replications: int) -> pd.DataFrame:
    """One small sweep under every launcher, and killed then resumed, against the basic run."""
    rows = []
    with scratch() as root:
        runs = {}
        for name, extra in LAUNCHERS.items():
            if name == "ray" and find_spec("hydra_plugins.hydra_ray_launcher") is None:
                continue
            sweep = Sweep(jobs, replications, (*TINY, *extra))
            started = time.perf_counter()
            subprocess.run(sweep.argv(root / name), capture_output=True, check=True)
            runs[name] = time.perf_counter() - started
        resumed = killed_and_resumed(Sweep(jobs, replications, tuple(TINY)), root / "killed")
        reference = root / "basic"
        for name, seconds in runs.items():
            rows.append({"run": f"{name} launcher", "wall_s": seconds,
                         "identical_to_basic": identical(root / name, reference)})
        rows.append({"run": "basic launcher, SIGKILL after the first job, then resumed",
                     "wall_s": resumed, "identical_to_basic": identical(root / "killed", reference)})
    return pd.DataFrame(rows)


def verdicts(figures: dict[str, float], memory: pd.DataFrame, jobs: int, per_job: int,
             determinism: pd.DataFrame) -> list[str]:
    """The engine's targets, checked on this run's figures."""
    share = figures["per_job"] / figures["default_job"]
    across_jobs, within_job = memory_growth(memory, per_job)
    flat = f"flat = within {TARGET_MEMORY_GROWTH:.0%}"
    checks = [
        (f"engine overhead per job <= {TARGET_OVERHEAD:.0%} of a default {DEFAULT_JOB}-replication "
         f"job ({figures['per_job']:.3f} s of {figures['default_job']:.1f} s: {share:.1%})",
         share <= TARGET_OVERHEAD),
        (f"peak memory flat as jobs of {per_job} are added ({across_jobs:+.1%}; {flat})",
         across_jobs <= TARGET_MEMORY_GROWTH),
        (f"peak memory flat as one job grows ({within_job:+.1%}; {flat})",
         within_job <= TARGET_MEMORY_GROWTH),
        ("every launcher, and a killed and resumed sweep, give the basic launcher's tables "
         f"({', '.join(determinism['run'])})", bool(determinism["identical_to_basic"].all())),
    ]
    return [*(f"target: {text}: {'met' if ok else 'NOT met'}" for text, ok in checks),
            f"the {jobs}-job sweep's overhead: {figures['sweep_overhead']:+.1%} (a fixed "
            f"{figures['fixed']:.2f} s: interpreter start, imports, the first composition and "
            "the checks, aggregation)"]


def benchmark(runs: int, jobs: int, repeats: int, small: tuple[int, int]) -> None:
    about = machine()
    overhead, figures = overhead_figures(runs, jobs, repeats)
    memory = memory_table(runs, jobs)
    determinism = determinism_table(*small)
    notes = ["Overhead = wall / the sum of the run's own replications (done.json model_seconds) "
             "- 1, per repeat, median. Per job: the wall time a sweep of "
             f"{JOBS_LONG} tiny jobs takes beyond one of {JOBS_SHORT}, less their extra model "
             "time, per extra job (median of the paired repeats). CPU = user + system of the "
             "command and the children it reaped. Peak RSS: largest single process (os.wait4).",
             *verdicts(figures, memory, jobs, runs // jobs, determinism)]
    write_table("sweep", overhead, about, notes)
    write_table("sweep_memory", memory, about)
    write_table("sweep_determinism", determinism, about)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="20 runs in 2 jobs, one repeat")
    args = parser.parse_args()
    if args.quick:
        benchmark(runs=20, jobs=2, repeats=1, small=(2, 2))
    else:
        benchmark(args.runs, args.jobs, args.repeats, small=(4, 4))


if __name__ == "__main__":
    main()
