"""Benchmark: one replication of the default organisation and larger ones, against a
trivial Mesa model timed in the same process (the ratio is what travels between machines).

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_model.py --repeats 5``).
Writes ``benchmarks/results/model.csv`` and prints a table with the machine described.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

import mesa
import pandas as pd

from sim.params import SimParams
from sim.run import run_replication

RESULTS = Path(__file__).resolve().parent / "results"
SIZES = {"default (100 reps)": 1, "4x (400 reps)": 4, "10x (1,000 reps)": 10}


class TrivialAgent(mesa.Agent):
    """An agent that does one attribute update per step: Mesa's floor cost per agent-step."""

    def step(self) -> None:
        self.wealth += 1


class TrivialModel(mesa.Model):
    def __init__(self, n: int, rng: int = 0) -> None:
        super().__init__(rng=rng)
        for _ in range(n):
            TrivialAgent(self).wealth = 0

    def step(self) -> None:
        self.agents.shuffle_do("step")


def trivial_agent_step_seconds(n: int = 2000, steps: int = 100) -> float:
    model = TrivialModel(n)
    start = time.perf_counter()
    model.run_for(steps)
    return (time.perf_counter() - start) / (n * steps)


def replication_seconds(scale: int, repeats: int) -> tuple[float, int]:
    params = SimParams.from_dict({"org": {"n_reps": 100 * scale, "n_marketers": 12 * scale}})
    agents = params.org.n_reps + round(params.org.n_reps * params.org.customers_per_rep) + \
        params.org.n_marketers + -(-params.org.n_reps // params.org.reps_per_manager)
    times = []
    for seed in range(repeats):
        start = time.perf_counter()
        run_replication(params, seed)
        times.append(time.perf_counter() - start)
    return statistics.median(times), agents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    trivial = statistics.median(trivial_agent_step_seconds() for _ in range(3))
    rows = []
    for label, scale in SIZES.items():
        seconds, agents = replication_seconds(scale, args.repeats if scale < 10 else 3)
        weeks = SimParams().horizon_weeks + SimParams().spin_up_weeks
        per_agent_step = seconds / (agents * weeks)
        rows.append({"organisation": label, "agents": agents,
                     "median_s_per_replication": round(seconds, 3),
                     "us_per_agent_step": round(per_agent_step * 1e6, 3),
                     "ratio_to_trivial_mesa_step": round(per_agent_step / trivial, 2)})
    table = pd.DataFrame(rows)
    table["time_vs_default"] = (table.median_s_per_replication
                                / table.median_s_per_replication.iloc[0]).round(2)
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, " \
              f"Python {platform.python_version()}, mesa {mesa.__version__}"
    RESULTS.mkdir(exist_ok=True)
    table.assign(machine=machine).to_csv(RESULTS / "model.csv", index=False)
    print(f"machine: {machine}; trivial Mesa agent-step: {trivial * 1e6:.3f} us")
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
