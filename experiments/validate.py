"""``silosim-validate``: the calibration targets and the levers' directions, one line each.

Pattern-oriented validation (Grimm et al. 2005): the model is trusted to compare
scenarios only if it reproduces what the sources report. Three kinds of checks:

- calibration targets (DESIGN §2, issue 17): the typical company's success band, the five
  actions' lift, each failure mode dominant somewhere, +40% customer time, recommendation
  conversion, rep turnover;
- a market at steady state: with no programme, every named scenario's recurring revenue
  over weeks 143-155 within ±3% of weeks 0-12 and bookings over weeks 0-12 within ±5% of
  weeks 13-155 (means over the replications);
- directions (``experiments.directions``): each lever moves its measure the way its source
  says, in paired runs under common seeds, and the five actions' ablation.

Every line prints the target, the value reached with its 95% interval (n and base seed in
the header), and PASS or FAIL. With ``--strict`` any FAIL exits 1; ``--markdown FILE``
writes the tables for docs/calibration.md.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from statsmodels.stats.proportion import proportion_confint

from experiments.config_tree import compose_model, scenario_names
from experiments.directions import (
    DIRECTIONS,
    FIVE,
    OFF,
    Direction,
    Variant,
    ablation,
)
from experiments.seeds import replicate_seed
from sim.labels import LOW_ADOPTION, NOT_SUSTAINED, STALLED
from sim.metrics import QUARTER
from sim.params import SimParams
from sim.run import run_replication
from sim.time_budget import admin_hours

#: a plausible named scenario where each failure mode should be the most common label
MODE_SCENARIOS = {STALLED: "sales_led", LOW_ADOPTION: "mandate_only",
                  NOT_SUSTAINED: "team_disbands"}
ACTIONS = ("action_boundary_spanner", "action_kpis", "action_cross_functional", "action_agile",
           "action_change_management")
STEADY_REVENUE, STEADY_BOOKINGS = 0.03, 0.05


@dataclass
class Check:
    """One pattern: what the sources say, what the model gives, and whether they agree."""

    target: str
    value: str
    passed: bool
    source: str = ""

    def line(self) -> str:
        return f"{'PASS' if self.passed else 'FAIL'}  {self.target:<66} {self.value}"

    def row(self) -> str:
        return f"| {self.target} | {self.source} | {self.value} | {'pass' if self.passed else 'FAIL'} |"


def variant_params(variant: Variant) -> SimParams:
    """The variant's parameters, composed as ``silosim scenario=<name> <overrides>`` composes them."""
    return compose_model(variant.scenario, variant.overrides)


def _replicate(args: tuple[Variant, int]) -> dict:
    variant, seed = args
    result = run_replication(variant_params(variant), seed)
    weekly = result.timeseries
    return result.kpis | {
        "revenue_first_quarter": float(weekly.recurring_revenue.iloc[:QUARTER].mean()),
        "revenue_last_quarter": float(weekly.recurring_revenue.iloc[-QUARTER:].mean()),
        "bookings_first_quarter": float(weekly.bookings.iloc[:QUARTER].mean()),
        "bookings_rest": float(weekly.bookings.iloc[QUARTER:].mean()),
    }


def run_variants(variants: Iterable[Variant], replications: int, seed: int
                 ) -> dict[Variant, list[dict]]:
    """KPIs of every replication of each variant (common random numbers across variants)."""
    variants = list(dict.fromkeys(variants))
    jobs = [(v, replicate_seed(seed, r)) for v in variants for r in range(replications)]
    with ProcessPoolExecutor(mp_context=multiprocessing.get_context("forkserver")) as pool:
        results = list(pool.map(_replicate, jobs, chunksize=4))
    return {v: results[i * replications:(i + 1) * replications] for i, v in enumerate(variants)}


def rate(runs: list[dict], label: str = "success") -> tuple[int, int, float, float]:
    hits = sum(r["label"] == label for r in runs)
    low, high = proportion_confint(hits, len(runs), method="wilson")
    return hits, len(runs), low, high


def mean_interval(values: list[float]) -> tuple[float, float, float]:
    arr = np.asarray(values, float)
    half = 1.96 * arr.std(ddof=1) / np.sqrt(len(arr)) if len(arr) > 1 else float("nan")
    return arr.mean(), arr.mean() - half, arr.mean() + half


Runs = dict[Variant, list[dict]]
BASELINE, FIVE_V, ALIGNED = Variant("baseline"), Variant(FIVE), Variant("five_actions_aligned")


def baseline_band(runs: Runs) -> Check:
    hits, n, low, high = rate(runs[BASELINE])
    return Check("baseline success rate within 12.5%-30%, interval inside",
                 f"{hits / n:.1%} [{low:.1%}-{high:.1%}]", low >= 0.125 and high <= 0.30,
                 "001: 87.5% fail; 004: 70% miss their goals")


def five_actions_double(runs: Runs) -> Check:
    b, n_b, _, _ = rate(runs[BASELINE])
    f, n_f, low, high = rate(runs[FIVE_V])
    return Check("five_actions at least 2x baseline",
                 f"{f / n_f:.1%} [{low:.1%}-{high:.1%}] vs {b / n_b:.1%}",
                 f / n_f >= 2 * b / n_b and low > b / n_b, "001: the five actions")


def failure_mode(mode: str, name: str) -> Callable[[Runs], Check]:
    def check(runs: Runs) -> Check:
        counts = Counter(r["label"] for r in runs[Variant(name)])
        top = counts.most_common(1)[0][0]
        hits, n, low, high = rate(runs[Variant(name)], mode)
        return Check(f"'{mode}' is the most common label of {name}",
                     f"{hits / n:.1%} [{low:.1%}-{high:.1%}]; most common: {top}", top == mode,
                     "001: three failure modes")
    return check


def customer_time(_: Runs) -> Check:
    params = SimParams()
    week = params.time_budget.hours_per_week
    ratio = (week - admin_hours(np.ones(1), np.ones(1), params)[0]) / \
        (week - admin_hours(np.zeros(1), np.zeros(1), params)[0])
    return Check("full adoption at full skill: +40% +/- 5 customer time", f"+{ratio - 1:.1%}",
                 abs(ratio - 1.40) <= 0.05, "001: Microsoft, up to 40%")


def recommendation_conversion(runs: Runs) -> Check:
    own = SimParams().selling.own_conversion
    mature = [r["rec_quality_final"] for r in runs[ALIGNED] if r["label"] == "success"]
    mean, low, high = mean_interval(mature) if len(mature) > 1 else (0.0, 0.0, 0.0)
    return Check("recommendation -> opportunity: 6-10% untooled, ~1/3 mature",
                 f"untooled {own:.0%}; mature {mean:.1%} [{low:.1%}-{high:.1%}]",
                 0.06 <= own <= 0.10 and low >= 0.25 and high <= 0.40,
                 "001: one third vs the industry's 6-10%")


def turnover(runs: Runs) -> Check:
    mean, low, high = mean_interval([r["rep_attrition_annual"] for r in runs[BASELINE]])
    return Check("baseline annual rep turnover about 30% (25-35%)", f"{mean:.1%} [{low:.1%}-{high:.1%}]",
                 low >= 0.25 and high <= 0.35, "Bridge Group 2015/2017; AMA 2019")


CALIBRATION = [baseline_band, five_actions_double,
               *(failure_mode(mode, name) for mode, name in MODE_SCENARIOS.items()),
               customer_time, recommendation_conversion, turnover]


def steady_state(name: str, runs: list[dict]) -> Check:
    """No programme: recurring revenue and bookings do not drift over the horizon."""
    def mean(key: str) -> float:
        return float(np.mean([r[key] for r in runs]))
    revenue = mean("revenue_last_quarter") / mean("revenue_first_quarter") - 1.0
    bookings = mean("bookings_first_quarter") / mean("bookings_rest") - 1.0
    return Check(f"steady state without a programme: {name}",
                 f"revenue {revenue:+.1%}, bookings {bookings:+.1%}",
                 abs(revenue) <= STEADY_REVENUE and abs(bookings) <= STEADY_BOOKINGS,
                 "DESIGN §5: a market at steady state")


def direction_check(direction: Direction, runs: Runs) -> Check:
    reference = runs[direction.reference] if direction.reference else None
    effect = direction.verdict(runs[direction.treated], reference)
    return Check(f"{direction.lever} [{direction.expect}]", effect.text(direction), effect.passed,
                 direction.source)


def directions() -> tuple[Direction, ...]:
    return (*DIRECTIONS, *ablation(ACTIONS))


KINDS = ("calibration", "steady", "directions")


def validate(replications: int, seed: int, kinds: Iterable[str] = KINDS, lever: str = ""
             ) -> dict[str, list[Check]]:
    """The checks of the chosen kinds (directions whose lever contains ``lever``); the model
    runs once for all of them."""
    kinds = set(kinds)
    calibration = [BASELINE, FIVE_V, ALIGNED, *(Variant(n) for n in MODE_SCENARIOS.values())]
    steady = [Variant(name, OFF) for name in scenario_names()]
    chosen = [d for d in directions() if lever in d.lever]
    wanted = [*(calibration if "calibration" in kinds else []),
              *(steady if "steady" in kinds else []),
              *(v for d in chosen if "directions" in kinds for v in (d.treated, d.reference) if v)]
    runs = run_variants(wanted, replications, seed)
    groups = {
        "calibration": lambda: [check(runs) for check in CALIBRATION],
        "steady": lambda: [steady_state(v.scenario, runs[v]) for v in steady],
        "directions": lambda: [direction_check(d, runs) for d in chosen],
    }
    return {kind: groups[kind]() for kind in KINDS if kind in kinds}


def markdown(groups: dict[str, list[Check]], replications: int, seed: int) -> str:
    lines = [f"`silosim-validate --replications {replications} --seed {seed}` "
             f"(paired under common seeds: replicate r uses one seed in every variant)", ""]
    for kind, checks in groups.items():
        lines += [f"### {kind.capitalize()}", "",
                  "| check | source | measured [95% CI] | verdict |", "|---|---|---|---|",
                  *(c.row() for c in checks), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="silosim-validate", description=__doc__.split("\n")[0])
    parser.add_argument("--replications", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--strict", action="store_true", help="exit 1 if any check fails")
    parser.add_argument("--kind", action="append", choices=KINDS,
                        help="run only these kinds of checks (repeatable; default: all)")
    parser.add_argument("--lever", default="",
                        help="run only the directions whose lever contains this text")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    args = parser.parse_args(argv)
    if args.replications < 2:
        print(f"silosim-validate: error: --replications={args.replications} is not allowed: "
              "a whole number of at least 2", file=sys.stderr)
        sys.exit(2)
    print(f"silosim-validate: {args.replications} paired replications per variant, base seed "
          f"{args.seed}")
    groups = validate(args.replications, args.seed, args.kind or KINDS, args.lever)
    checks = [c for group in groups.values() for c in group]
    for kind, group in groups.items():
        print(f"-- {kind}")
        for check in group:
            print(check.line())
    failed = sum(not c.passed for c in checks)
    print(f"{len(checks) - failed} of {len(checks)} checks pass")
    if args.markdown:
        args.markdown.write_text(markdown(groups, args.replications, args.seed), encoding="utf-8")
    if args.strict and failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
