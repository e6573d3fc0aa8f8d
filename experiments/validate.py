"""``silosim-validate``: the calibration targets as pattern checks, one line each.

Pattern-oriented validation (Grimm et al. 2005): the model is trusted to compare
scenarios only if it reproduces what the sources report. Each check prints its
target, the value reached with its 95% interval, and PASS or FAIL. Interval checks use
Wilson intervals for rates and bootstrap-free normal intervals for means. With
``--strict`` (the full-size run) any FAIL exits 1; the small smoke size used in CI only
shows the machinery works, since its intervals are wide.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from scipy.stats import fisher_exact
from statsmodels.stats.proportion import proportion_confint

from experiments.seeds import replicate_seed
from sim.errors import ConfigError
from sim.params import SimParams
from sim.run import run_replication
from sim.time_budget import admin_hours

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "configs" / "scenario"
MODE_SCENARIOS = {"stalled": "high_silo", "low_adoption": "mandate_only",
                  "not_sustained": "team_disbands"}


@dataclass
class Check:
    """One pattern: what the sources say, what the model gives, and whether they agree."""

    target: str
    value: str
    passed: bool

    def line(self) -> str:
        return f"{'PASS' if self.passed else 'FAIL'}  {self.target:<58} {self.value}"


def scenario_params(name: str) -> SimParams:
    path = SCENARIO_DIR / f"{name}.yaml"
    if not path.exists():
        raise ConfigError("scenario", name, f"a file in {SCENARIO_DIR}")
    return SimParams.from_dict((yaml.safe_load(path.read_text()) or {}).get("model") or {})


def _kpis(args: tuple[str, int]) -> dict:
    name, seed = args
    return run_replication(scenario_params(name), seed).kpis


def run_scenarios(names: list[str], replications: int, seed: int) -> dict[str, list[dict]]:
    """KPIs of every replication of each scenario (common random numbers across scenarios)."""
    jobs = [(name, replicate_seed(seed, r)) for name in names for r in range(replications)]
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(mp_context=context) as pool:
        results = list(pool.map(_kpis, jobs, chunksize=4))
    return {name: results[i * replications:(i + 1) * replications]
            for i, name in enumerate(names)}


def rate(runs: list[dict], label: str = "success") -> tuple[int, int, float, float]:
    hits = sum(r["label"] == label for r in runs)
    low, high = proportion_confint(hits, len(runs), method="wilson")
    return hits, len(runs), low, high


def mean_interval(values: list[float]) -> tuple[float, float, float]:
    arr = np.asarray(values, float)
    half = 1.96 * arr.std(ddof=1) / np.sqrt(len(arr)) if len(arr) > 1 else float("nan")
    return arr.mean(), arr.mean() - half, arr.mean() + half


def baseline_band(runs: dict[str, list[dict]]) -> Check:
    hits, n, low, high = rate(runs["baseline"])
    return Check("baseline success rate within 12.5%-30% (001/004)",
                 f"{hits / n:.1%} [{low:.1%}-{high:.1%}] (n={n})", low >= 0.125 and high <= 0.30)


def five_actions_double(runs: dict[str, list[dict]]) -> Check:
    b, n_b, _, _ = rate(runs["baseline"])
    f, n_f, low, high = rate(runs["five_actions"])
    _, p = fisher_exact([[f, n_f - f], [b, n_b - b]], alternative="greater")
    ok = f / n_f >= 2 * b / n_b and p < 0.01
    return Check("five_actions at least 2x baseline, p < 0.01 (001)",
                 f"{f / n_f:.1%} [{low:.1%}-{high:.1%}] vs {b / n_b:.1%}, p={p:.2g}", ok)


def failure_mode(mode: str, name: str) -> Callable[[dict[str, list[dict]]], Check]:
    def check(runs: dict[str, list[dict]]) -> Check:
        counts = Counter(r["label"] for r in runs[name])
        top = counts.most_common(1)[0][0]
        hits, n, low, high = rate(runs[name], mode)
        return Check(f"'{mode}' is the most common label of {name} (001)",
                     f"{hits / n:.1%} [{low:.1%}-{high:.1%}]; most common: {top}", top == mode)
    return check


def customer_time(_: dict[str, list[dict]]) -> Check:
    params = SimParams()
    week = params.time_budget.hours_per_week
    ratio = (week - admin_hours(np.ones(1), np.ones(1), params)[0]) / \
        (week - admin_hours(np.zeros(1), np.zeros(1), params)[0])
    return Check("full adoption at full skill: +40% +/- 5 customer time (001)",
                 f"+{ratio - 1:.1%}", abs(ratio - 1.40) <= 0.05)


def recommendation_conversion(runs: dict[str, list[dict]]) -> Check:
    own = SimParams().selling.own_conversion
    mature = [r["rec_quality_final"] for r in runs["five_actions_aligned"]
              if r["label"] == "success"]
    mean, low, high = mean_interval(mature) if mature else (0.0, 0.0, 0.0)
    ok = 0.06 <= own <= 0.10 and low >= 0.25 and high <= 0.40
    return Check("recommendation -> opportunity: 6-10% untooled, ~1/3 mature (001)",
                 f"untooled {own:.0%}; mature {mean:.1%} [{low:.1%}-{high:.1%}]", ok)


def turnover(runs: dict[str, list[dict]]) -> Check:
    mean, low, high = mean_interval([r["rep_attrition_annual"] for r in runs["baseline"]])
    return Check("baseline annual rep turnover about 30% (25-35%; Bridge Group)",
                 f"{mean:.1%} [{low:.1%}-{high:.1%}]", low >= 0.25 and high <= 0.35)


CHECKS = [baseline_band, five_actions_double,
          *(failure_mode(mode, name) for mode, name in MODE_SCENARIOS.items()),
          customer_time, recommendation_conversion, turnover]


def validate(replications: int, seed: int) -> list[Check]:
    names = ["baseline", "five_actions", "five_actions_aligned", *MODE_SCENARIOS.values()]
    runs = run_scenarios(names, replications, seed)
    return [check(runs) for check in CHECKS]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="silosim-validate", description=__doc__.split("\n")[0])
    parser.add_argument("--replications", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--strict", action="store_true", help="exit 1 if any check fails")
    args = parser.parse_args(argv)
    if args.replications < 2:
        print(f"silosim-validate: error: --replications={args.replications} is not allowed: "
              "a whole number of at least 2", file=sys.stderr)
        sys.exit(2)
    checks = validate(args.replications, args.seed)
    for check in checks:
        print(check.line())
    failed = sum(not c.passed for c in checks)
    print(f"{len(checks) - failed} of {len(checks)} checks pass")
    if args.strict and failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
