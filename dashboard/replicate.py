"""Replicate the levers on screen: N runs in background processes, and what they say.

A single live run is one possible future; a success rate needs many. ``replicate`` runs
replicates 0…N−1 of the on-screen ``Settings`` — the same seeds as
``silosim <settings.overrides()> replications=N`` under the default ``seeding=common``,
so the result is the CLI's result and is paired, replicate by replicate, with a saved
sweep made with the same base seed. The runs go to a pool of worker processes (started
by ``forkserver``, so the server's threads are never forked; they run
``dashboard.worker.one_run``) and come back as they finish, reported to ``progress``;
``stop`` cancels what has not started.

``Replication`` turns the runs into what the page shows, with the analysis package's own
statistics: the success rate with its Wilson interval, the label mix, the programme's return
on its cost with its interval and how often it pays back, and — beside a saved
sweep — the sweep's figures for the same parameters and a test against its reference.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass

import pandas as pd

from analysis.economics import PAYBACK, ROI
from analysis.findings import comparison, percent, percent_interval
from analysis.measures import measure
from analysis.results import LABELS, POINT
from analysis.stats import failure_modes, kpi_effects, pairwise_vs_reference, success_rates
from dashboard.comparison import Sweep, live_point
from dashboard.levers import Settings
from dashboard.worker import KEPT, one_run
from experiments.seeds import replicate_seed
from sim.errors import ConfigError

ON_SCREEN = "on screen"
MAX_REPLICATIONS = 1000
MAX_WORKERS = 2            # this machine's cores; more processes only queue

type Progress = Callable[[int, int], None]


def workers() -> int:
    """Worker processes for a replication: the machine's cores, at most ``MAX_WORKERS``."""
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def replicate(settings: Settings, n: int, progress: Progress | None = None,
              stop: Callable[[], bool] | None = None) -> pd.DataFrame:
    """Replicates 0…n−1 of ``settings`` in worker processes; one row per finished run.

    Rows carry ``replicate``, ``seed`` and the run's ``label``, ``success`` and value
    measures, in replicate order. ``progress(done, n)`` is called as runs finish;
    when ``stop()`` turns true the runs not yet started are cancelled and those done
    are returned.
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_REPLICATIONS:
        raise ConfigError("replications", n, f"a whole number from 1 to {MAX_REPLICATIONS}")
    params = settings.params
    seeds = [replicate_seed(settings.seed, r) for r in range(n)]
    rows: list[dict[str, object]] = []
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=min(workers(), n), mp_context=context) as pool:
        pending: dict[Future, int] = {pool.submit(one_run, params, seed): r
                                      for r, seed in enumerate(seeds)}
        while pending:
            done, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                replicate_number = pending.pop(future)
                if not future.cancelled():
                    rows.append({"replicate": replicate_number, "seed": seeds[replicate_number],
                                 **future.result()})
            if progress is not None and done:
                progress(len(rows), n)
            if stop is not None and stop():
                for future in pending:
                    future.cancel()
                pending = {f: r for f, r in pending.items() if not f.cancelled()}
    return pd.DataFrame(rows).sort_values("replicate").reset_index(drop=True) if rows else \
        pd.DataFrame(columns=["replicate", "seed", *KEPT])


@dataclass(frozen=True)
class Replication:
    """Finished replications of one set of levers and what the page says about them."""

    settings: Settings
    runs: pd.DataFrame

    @property
    def table(self) -> pd.DataFrame:
        """The runs as the analysis package reads them: one point, ``ON_SCREEN``."""
        return self.runs.assign(**{POINT: ON_SCREEN})

    def rate_text(self) -> str:
        """``Success: 35% [22–50] of 20 runs (95% Wilson interval)``."""
        row = success_rates(self.table).iloc[0]
        return (f"Success: {percent_interval(row['rate'], row['ci_low'], row['ci_high'])} of "
                f"{int(row['n'])} runs (95% Wilson interval)")

    def money_text(self) -> str | None:
        """``Return on the programme's cost: +36% [15 to 54]; 78% of runs pay back (median
        week 127)``; None when the runs carry no economics or no programme spent anything."""
        if ROI not in self.runs.columns or self.runs[ROI].isna().all():
            return None
        effects = kpi_effects(self.table, ON_SCREEN, kpis=[ROI])
        row = effects.iloc[0]
        weeks = pd.to_numeric(self.runs[PAYBACK], errors="coerce")
        paid = weeks.notna().mean()
        when = f" (median week {weeks.median():.0f})" if paid else "; median payback: never"
        roi = measure(ROI)
        interval = roi.interval(row["mean"], row["ci_low"], row["ci_high"])
        return (f"{roi.label}: {interval} (95% bootstrap interval); {percent(paid)} of runs pay "
                f"back within the horizon{when}")

    def label_mix(self) -> dict[str, float]:
        """Share of runs with each label, in the report's order."""
        shares = failure_modes(self.table).iloc[0]
        return {label: float(shares[label]) for label in LABELS}

    def against_sweep(self, sweep: Sweep) -> list[str]:
        """Sentences setting these runs beside a saved sweep: the same point, its reference."""
        lines = []
        point = live_point(sweep, self.settings)
        runs = sweep.results.runs
        if point is not None:
            mine = runs[runs[POINT] == point]
            shared = mine.merge(self.runs, on=["replicate", "seed"], suffixes=("", "_here"))
            same = int((shared["label"] == shared["label_here"]).sum())
            row = sweep.league.set_index(POINT).loc[point]
            lines.append(f"The sweep ran these exact levers as point {point}: "
                         f"{percent_interval(row['rate'], row['ci_low'], row['ci_high'])} of "
                         f"{int(row['n'])} runs."
                         + (f" {same} of the {len(shared)} runs both made (same seed) ended "
                            "alike." if len(shared) else ""))
        reference = sweep.results.reference
        if point != reference:
            lines.append(self._against_reference(sweep, reference))
        return lines

    def _against_reference(self, sweep: Sweep, reference: str) -> str:
        theirs = sweep.results.runs[sweep.results.runs[POINT] == reference]
        columns = ["replicate", "seed", "label", "success"]
        both = pd.concat([theirs[columns].assign(**{POINT: reference}),
                          self.runs[columns].assign(**{POINT: ON_SCREEN})], ignore_index=True)
        shared = set(zip(theirs["replicate"], theirs["seed"], strict=True)) & set(
            zip(self.runs["replicate"], self.runs["seed"], strict=True))
        paired = sweep.results.paired and len(shared) >= 2
        test = pairwise_vs_reference(both, reference, paired=paired)
        rates = success_rates(both).set_index(POINT)
        row = test.iloc[0].copy()
        row["ci_low"], row["ci_high"] = rates.loc[ON_SCREEN, ["ci_low", "ci_high"]]
        how = (f"paired on {len(shared)} shared seeds, McNemar's exact test" if paired
               else "independent runs, Fisher's exact test")
        return (f"Against the sweep's reference: {comparison(row, rates.loc[reference])} "
                f"({how}).")

    def summary(self) -> str:
        """One line for a screen reader or a log: the rate and the commonest label."""
        mix = self.label_mix()
        commonest = max((k for k in LABELS if k != "success"), key=mix.get)
        return f"{self.rate_text()}; commonest failure: {commonest} ({percent(mix[commonest])})."
