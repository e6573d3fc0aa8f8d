"""Benchmark: one replication of the default organisation and of 4x, 10x and 30x that size,
against a trivial Mesa model of the same number of agents timed in the same process.

Absolute seconds depend on the machine; the ratio of the model's cost per agent-step
to Mesa's floor cost per agent-step (one attribute update under ``shuffle_do``) is
the figure that travels between machines. Sizes are timed round-robin (every repeat
runs every size, with the same seeds) so that a burst of load on a shared machine
falls on all sizes alike rather than on one.

Run: ``make bench`` (``QUICK=1`` for a smoke run), or
``.venv/bin/python benchmarks/bench_model.py [--repeats 5] [--quick]``.
Writes ``benchmarks/results/model.csv`` and ``model.md``.
"""

from __future__ import annotations

import argparse
import time
import warnings
from dataclasses import dataclass, field, replace

import mesa
import pandas as pd
from benchlib import machine, median, scaled, write_table

from sim.model import SilosimModel
from sim.params import SimParams
from sim.run import run_replication

SIZES = {"default (100 reps)": 1, "4x (400 reps)": 4, "10x (1,000 reps)": 10, "30x (3,000 reps)": 30}
NO_PROGRAMME = "default, no programme (no twin)"
LARGE, LARGE_REPEATS = 10, 3      # sizes from 10x on take seconds each: at most 3 repeats
TRIVIAL_AGENT_STEPS = 300_000     # agent-steps per trivial-model timing (~0.25 s)
TARGET_SECONDS, TARGET_RATIO, TARGET_X10 = 0.5, 3.0, 11.0
# Issues 17 and 18: a replication with its counterfactual at most 1.7x the replication measured
# before the counterfactual existed (0.191 s, model.md of 2026-11-22), and at most 0.35 s. Both
# are absolute seconds from the processor of that day; the VM's processor has changed since, so
# docs/performance.md reads them by a paired old-versus-new timing instead.
BEFORE_COUNTERFACTUAL_S, COUNTERFACTUAL_FACTOR, TARGET_WITH_TWIN_S = 0.191, 1.7, 0.35


class TrivialAgent(mesa.Agent):
    """An agent that does one attribute update per step: Mesa's floor cost per agent-step."""

    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.wealth = 0

    def step(self) -> None:
        self.wealth += 1


class TrivialModel(mesa.Model):
    """``n`` trivial agents activated in random order each step, as Mesa models usually are."""

    def __init__(self, n: int, rng: int = 0) -> None:
        super().__init__(rng=rng)
        for _ in range(n):
            TrivialAgent(self)

    def step(self) -> None:
        self.agents.shuffle_do("step")


@dataclass
class Size:
    """One organisation size and what was measured on it."""

    label: str
    scale: int
    params: SimParams
    agents: int
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    trivial: list[float] = field(default_factory=list)
    settling_s: float = 0.0

    @property
    def weeks(self) -> int:
        return self.params.spin_up_weeks + self.params.horizon_weeks


def size(label: str, scale: int, programme: bool = True) -> Size:
    params = scaled(scale)
    if not programme:
        params = replace(params, programme=replace(params.programme, enabled=False))
    start = time.perf_counter()
    agents = count_agents(params)   # the first model of a market pays its settling run
    return Size(label, scale, params, agents, settling_s=time.perf_counter() - start)


def count_agents(params: SimParams) -> int:
    """Agents at the start of a run, counted on a built model (no spin-up needed for that)."""
    with warnings.catch_warnings():  # Mesa warns that a zero-week spin-up advances no time
        warnings.simplefilter("ignore", RuntimeWarning)
        model = SilosimModel(params=replace(params, spin_up_weeks=0), rng=0)
    return len(model.agents)


def trivial_agent_step_seconds(n: int) -> float:
    """Mesa's cost per agent-step with ``n`` trivial agents (construction not timed)."""
    steps = max(3, round(TRIVIAL_AGENT_STEPS / n))
    model = TrivialModel(n)
    start = time.perf_counter()
    model.run_for(steps)
    return (time.perf_counter() - start) / (n * steps)


def replication_seconds(params: SimParams, seed: int) -> tuple[float, float]:
    """One whole replication as the engine runs it (build from the settled market, spin up,
    run with its counterfactual, KPIs and label): wall and CPU seconds."""
    start, cpu = time.perf_counter(), time.process_time()
    run_replication(params, seed)
    return time.perf_counter() - start, time.process_time() - cpu


def measure(sizes: list[Size], repeats: int) -> None:
    """Round-robin over sizes, ``repeats`` times (at most ``LARGE_REPEATS`` for large sizes),
    after one warm-up replication (imports, caches)."""
    replication_seconds(sizes[0].params, repeats)
    for seed in range(repeats):
        for s in sizes:
            if s.scale < LARGE or seed < LARGE_REPEATS:
                wall, cpu = replication_seconds(s.params, seed)
                s.seconds.append(wall)
                s.cpu.append(cpu)
                s.trivial.append(trivial_agent_step_seconds(s.agents))


def table(sizes: list[Size]) -> pd.DataFrame:
    base = median(sizes[0].seconds)
    rows = []
    for s in sizes:
        seconds, trivial = median(s.seconds), median(s.trivial)
        per_step = seconds / (s.agents * s.weeks)
        rows.append({"organisation": s.label, "agents": s.agents, "repeats": len(s.seconds),
                     "median_s_per_replication": round(seconds, 3),
                     "median_cpu_s": round(median(s.cpu), 3),
                     "settling_run_s": round(s.settling_s, 1),
                     "min_s": round(min(s.seconds), 3), "max_s": round(max(s.seconds), 3),
                     "us_per_agent_step": round(per_step * 1e6, 3),
                     "trivial_mesa_us_per_agent_step": round(trivial * 1e6, 3),
                     "ratio_to_trivial": round(per_step / trivial, 2),
                     "size_vs_default": s.scale, "time_vs_default": round(seconds / base, 2)})
    return pd.DataFrame(rows)


def verdicts(result: pd.DataFrame) -> list[str]:
    """The issue's targets for this benchmark, checked on this run's figures."""
    first = result.iloc[0]
    by_scale = result[result.organisation != NO_PROGRAMME].set_index("size_vs_default")
    twin_limit = COUNTERFACTUAL_FACTOR * BEFORE_COUNTERFACTUAL_S
    checks = [(f"default organisation <= {TARGET_SECONDS} s per replication",
               first.median_s_per_replication <= TARGET_SECONDS),
              (f"with its counterfactual <= {COUNTERFACTUAL_FACTOR}x the {BEFORE_COUNTERFACTUAL_S} s "
               f"replication before it (issue 17: <= {twin_limit:.3f} s): "
               f"{first.median_s_per_replication / BEFORE_COUNTERFACTUAL_S:.2f}x",
               first.median_s_per_replication <= twin_limit),
              (f"with its counterfactual <= {TARGET_WITH_TWIN_S} s median (issue 18; both "
               "references are seconds on the processor of 2026-11-22: read the paired ratio "
               "in docs/performance.md)",
               first.median_s_per_replication <= TARGET_WITH_TWIN_S),
              (f"cost per agent-step <= {TARGET_RATIO}x the trivial Mesa agent-step (every size)",
               bool((result.ratio_to_trivial <= TARGET_RATIO).all()))]
    if 10 in by_scale.index:
        checks.append((f"10x organisation costs <= {TARGET_X10}x time",
                       by_scale.loc[10, "time_vs_default"] <= TARGET_X10))
    return [f"target: {text}: {'met' if ok else 'NOT met'}" for text, ok in checks]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="one repeat: a smoke test of the benchmark")
    args = parser.parse_args()
    about = machine()
    sizes = [size(label, scale) for label, scale in SIZES.items()]
    sizes.insert(1, size(NO_PROGRAMME, 1, programme=False))
    measure(sizes, 1 if args.quick else args.repeats)
    result = table(sizes)
    weeks = sizes[0].weeks
    notes = [f"Seconds are whole replications with their counterfactual (build from the settled "
             f"market, {sizes[0].params.spin_up_weeks} spin-up + {sizes[0].params.horizon_weeks} "
             f"weeks, the twin's weeks from its first release, KPIs); per agent-step divides by "
             f"agents x {weeks} weeks. The settling run is paid once per market and process, by "
             f"its first model (timed with that model's build). '{NO_PROGRAMME}' is the same "
             "organisation with model.programme.enabled=false: no programme, so no twin. The "
             "trivial model has as many agents as the organisation.",
             *verdicts(result)]
    write_table("model", result, about, notes)


if __name__ == "__main__":
    main()
