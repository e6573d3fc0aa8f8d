"""Synthetic results directories with a known truth, in the engine's exact file layout.

They let the statistics be checked against what was put in (a point built with
``success_share=0.3`` and 10 replications has exactly 3 successes), let the
report and notebook be exercised without running the model, and give a
consultant something to try the report on. Success counts are exact
(``round(share × replications)``); the KPIs and weekly series follow each run's label
plus seeded noise (adoption, leads, revenue, attrition, churn); weekly series the
analysis does not read are seeded placeholders.

Seeding follows the engine's: under ``seeding="common"`` (the default) replicate *r* has
the same seed and the same company "luck" at every point, and a point's successes are the
replicates with the most luck, so outcomes are positively correlated across points as
common random numbers make them; under ``"independent"`` every run has its own seed and
successes are shuffled. Optional columns mimic what newer engines and models write:
``title`` and ``point`` labels, company traits (``company.culture`` follows the luck,
``company.tool_fit`` is noise), the programme's value against its counterfactual, and
economics.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.results import CONFIG_FILE, RUNS_FILE, SWEEP_FILE, TIMESERIES_FILE
from analysis.words import NAME_PARTS, setting_words

BASE_PARAMETERS: dict[str, Any] = {
    "horizon_weeks": 156,
    "org.n_reps": 100,
    "silo.level": 0.65,
    "silo.mitigations": "",
    "incentives.rep_pay": "individual_bookings",
    "incentives.marketing_pay": "lead_volume",
    "incentives.pay_transition": "none",
    "lead_handoff.policy": "none",
    "leader.name": "it_led",
    "programme.kpis": False,
    "delivery.name": "waterfall",
}
FIVE_ACTIONS = {"leader.name": "boundary_spanner", "programme.kpis": True,
                "delivery.name": "agile", "incentives.pay_transition": "hold_harmless"}
FAILURE_MIX = (0.5, 0.3, 0.2)
COUPLING_NOISE = 0.15  # sd of a point's own noise on the shared luck (which is uniform 0-1)


TITLES = {"baseline": "Typical company", "five_actions": "Five key actions"}
TRAITS = ("company.culture", "company.tool_fit")


@dataclass(frozen=True)
class SyntheticPoint:
    """One scenario point: its parameters and the exact share of runs that succeed."""

    scenario: str
    success_share: float
    parameters: dict[str, Any] = field(default_factory=dict)
    failure_mix: tuple[float, float, float] = FAILURE_MIX

    @property
    def title(self) -> str:
        """The scenario's human title, as a scenario file's ``title:`` gives it."""
        return TITLES.get(self.scenario, self.scenario.replace("_", " ").capitalize())

    @property
    def label(self) -> str:
        """The point in words, as the engine's ``point`` column spells it."""
        changes = [setting_words(k, v) for k, v in self.parameters.items()
                   if self.scenario == "baseline" or k not in FIVE_ACTIONS]
        return NAME_PARTS.join([self.title, *changes])

    @property
    def values(self) -> dict[str, Any]:
        """Every parameter of the point: the base values with this point's changes."""
        return {**BASE_PARAMETERS, **self.parameters}

    @property
    def point_id(self) -> str:
        """A stable hash of scenario and parameters, as the engine makes one."""
        text = json.dumps([self.scenario, sorted(self.values.items())], default=str)
        return hashlib.sha1(text.encode()).hexdigest()[:12]


def scenario_comparison(baseline: float = 0.2, five_actions: float = 0.5) -> list[SyntheticPoint]:
    """Two named scenarios, as in the default what-if comparison."""
    return [SyntheticPoint("baseline", baseline),
            SyntheticPoint("five_actions", five_actions, FIVE_ACTIONS)]


def silo_incentive_factorial(
    shares: dict[tuple[float, str], float] | None = None,
) -> list[SyntheticPoint]:
    """A 2×2 factorial of ``silo.level`` × ``incentives.marketing_pay`` in the baseline scenario.

    Default truth: aligned silos and revenue-based marketing pay both help, and
    help most together (an interaction).
    """
    shares = shares or {(0.2, "lead_volume"): 0.3, (0.2, "closed_revenue"): 0.6,
                        (0.8, "lead_volume"): 0.15, (0.8, "closed_revenue"): 0.25}
    return [SyntheticPoint("baseline", share, {"silo.level": silo,
                                               "incentives.marketing_pay": pay})
            for (silo, pay), share in shares.items()]


@dataclass(frozen=True)
class Extras:
    """Which optional columns to write (see the module note)."""

    titles: bool = False         # ``title`` column from the scenario
    labels: bool = False         # the engine's ``point`` label column
    traits: bool = False         # ``company.culture`` (follows the luck), ``company.tool_fit``
    counterfactual: bool = False  # ``value_vs_no_programme`` and its siblings
    economics: bool = False      # ``programme_cost``, ``value_added``, ``net_value``, ``roi``,
    #                              ``payback_week``; weekly ``net_value_cumulative``


def write_results(
    directory: Path | str,
    points: list[SyntheticPoint],
    replications: int,
    *,
    weeks: int = 52,
    seed: int = 0,
    experiment: str | None = "synthetic",
    reference: str | None = "baseline",
    design: dict[str, Any] | None = None,
    seeding: str = "common",
    extras: Extras = Extras(),
) -> Path:
    """Write runs, weekly series, ``sweep.json`` and ``config.yaml`` for ``points``."""
    if seeding not in ("common", "independent"):
        raise ValueError(f"seeding={seeding!r}: expected common or independent")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    shared = _Replicates.draw(replications, seed, rng) if seeding == "common" else None
    runs = pd.concat([_point_runs(p, i, replications, rng, shared or
                                  _Replicates.draw(replications, seed + 1 + i, rng, own=True))
                      for i, p in enumerate(points)], ignore_index=True)
    runs = _with_extras(runs, points, extras, rng)
    runs.to_parquet(directory / RUNS_FILE, index=False)
    _weekly(runs, weeks, rng).to_parquet(directory / TIMESERIES_FILE, index=False)
    swept = [k for k in BASE_PARAMETERS if runs[k].nunique() > 1]
    sweep = {"experiment": experiment, "swept": swept, "reference": reference,
             "design": design, "points": len(points), "failed_points": [],
             "settings": {"seed": seed, "seeding": seeding, "replications": replications}}
    (directory / SWEEP_FILE).write_text(json.dumps(sweep, indent=2), encoding="utf-8")
    (directory / CONFIG_FILE).write_text(
        f"experiment: {experiment}\nreplications: {replications}\nseed: {seed}\n",
        encoding="utf-8",
    )
    return directory


@dataclass(frozen=True)
class _Replicates:
    """Per replicate: its seed and its luck (a point's successes are its luckiest replicates)."""

    seeds: np.ndarray
    luck: np.ndarray

    @classmethod
    def draw(cls, replications: int, seed: int, rng: np.random.Generator,
             own: bool = False) -> _Replicates:
        seeds = np.random.SeedSequence(seed).generate_state(replications, dtype=np.uint32)
        return cls(seeds.astype(np.int64) + (2**32 if own else 0), rng.random(replications))


def _point_runs(
    point: SyntheticPoint, index: int, replications: int, rng: np.random.Generator,
    replicates: _Replicates,
) -> pd.DataFrame:
    successes = round(point.success_share * replications)
    failures = rng.choice(["stalled", "low_adoption", "not_sustained"],
                          size=replications - successes, p=point.failure_mix)
    # CRN couples the points' outcomes closely, not perfectly: each point reads the shared
    # luck with a little noise of its own
    luckiest = np.argsort(-(replicates.luck + COUPLING_NOISE * rng.normal(size=replications)),
                          kind="stable")
    labels = np.empty(replications, dtype=object)
    labels[luckiest[:successes]] = "success"
    labels[luckiest[successes:]] = failures
    labels = labels.astype(str)
    runs = pd.DataFrame({
        "run_id": [f"{point.point_id}-{r:03d}" for r in range(replications)],
        "scenario": point.scenario,
        "point_id": point.point_id,
        "point_index": index,
        "replicate": np.arange(replications),
        "seed": replicates.seeds,
        "label": labels,
        "success": labels == "success",
        **{key: [value] * replications for key, value in point.values.items()},
    })
    runs["_luck"] = replicates.luck
    return pd.concat([runs, _kpis(labels, rng)], axis=1)


def _with_extras(runs: pd.DataFrame, points: list[SyntheticPoint], extras: Extras,
                 rng: np.random.Generator) -> pd.DataFrame:
    """Add the optional columns ``extras`` asks for; drop the luck it is built from."""
    by_id = {p.point_id: p for p in points}
    n, success = len(runs), runs["success"].to_numpy()
    if extras.titles:
        runs["title"] = runs["point_id"].map(lambda pid: by_id[pid].title)
    if extras.labels:
        runs["point"] = runs["point_id"].map(lambda pid: by_id[pid].label)
    if extras.traits:
        replicate = runs["replicate"].to_numpy()  # one company per replicate, as under CRN
        noise, fit = rng.normal(0, 0.1, replicate.max() + 1), rng.random(replicate.max() + 1)
        runs["company.culture"] = np.clip(runs["_luck"] + noise[replicate], 0, 1)
        runs["company.tool_fit"] = fit[replicate]
    if extras.counterfactual:
        runs["value_vs_no_programme"] = np.where(success, 1.08, 0.99) + 0.02 * rng.normal(size=n)
        runs["recurring_revenue_final_without"] = runs["revenue_final"] / runs[
            "value_vs_no_programme"]
        runs["bookings_vs_no_programme"] = np.where(success, 1.1, 0.98) + 0.03 * rng.normal(size=n)
        runs["customer_hours_vs_no_programme"] = 1 + 0.3 * runs["adoption_final"]
    if extras.economics:
        runs["programme_cost"] = 900 + 100 * rng.normal(size=n)
        runs["value_added"] = np.where(success, 1800, -200) + 300 * rng.normal(size=n)
        runs["net_value"] = runs["value_added"] - runs["programme_cost"]
        runs["roi"] = runs["value_added"] / runs["programme_cost"] - 1
        runs["payback_week"] = pd.array([int(w) if ok else pd.NA for w, ok in
                                         zip(rng.integers(60, 150, n), success, strict=True)],
                                        dtype="Int64")
    return runs.drop(columns="_luck")


def _kpis(labels: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    n = len(labels)
    success = labels == "success"
    stalled = labels == "stalled"
    noise = rng.normal(0.0, 1.0, size=(12, n))
    adoption = np.clip(np.where(success, 0.75, np.where(stalled, 0.1, 0.35)) + 0.06 * noise[0],
                       0, 1)
    created = np.round(480 + 40 * noise[1])
    followed = np.round(created * np.clip(np.where(success, 0.8, 0.55) + 0.05 * noise[2], 0, 1))
    qualified = np.round(followed * np.clip(0.3 + 0.04 * noise[3], 0, 1))
    won = np.round(qualified * np.clip(np.where(success, 0.3, 0.22) + 0.03 * noise[4], 0, 1))
    revenue_baseline = 6000 + 300 * noise[5]
    value_ratio = np.where(success, 1.15, 0.98) + 0.04 * noise[6]
    released = ~stalled | (rng.random(n) < 0.5)
    return pd.DataFrame({
        "released": released,
        "first_release_week": _week_or_missing(40, released),
        "rollout_week": _week_or_missing(52, released),
        "cancel_week": _week_or_missing(70, stalled),
        "cancelled": stalled,
        "final_phase": np.where(stalled, "cancelled", "operate"),
        "adoption_final": adoption,
        "active_share_final": np.clip(adoption + 0.05, 0, 1),
        "genuine_share_final": np.clip(adoption - 0.05, 0, 1),
        "adoption_peak_genuine": np.clip(adoption + 0.08, 0, 1),
        "attitude_final": np.clip(0.3 + 0.5 * adoption + 0.05 * noise[7], 0, 1),
        "confidence_final": np.where(stalled, 0.25, 0.6),
        "revenue_baseline": revenue_baseline,
        "revenue_final": revenue_baseline * value_ratio,
        "value_ratio": value_ratio,
        "bookings_baseline": revenue_baseline / 10,
        "bookings_final": revenue_baseline * value_ratio / 10,
        "customer_hours_baseline": 2000.0,
        "customer_hours_final": 2000.0 * (1 + 0.4 * adoption),
        "customer_time_ratio": 1 + 0.4 * adoption,
        "rep_attrition_annual": np.clip(np.where(success, 0.12, 0.18) + 0.03 * noise[8], 0, 1),
        "quits_total": np.round(np.clip(45 + 8 * noise[9], 0, None)),
        "churn_annual": np.clip(np.where(success, 0.1, 0.14) + 0.02 * noise[10], 0, 1),
        "leads_created": created,
        "leads_followed_up": followed,
        "leads_qualified": qualified,
        "leads_won": won,
        "followed_up_share": followed / created,
        "speed_to_lead_days": np.clip(np.where(success, 3.0, 6.0) + noise[11], 0.5, None),
        "win_rate": won / np.maximum(qualified, 1),
        "satisfaction_final": np.clip(0.6 + 0.2 * adoption, 0, 1),
        "rec_quality_final": np.clip(0.1 + 0.25 * adoption, 0, 1),
        "sales_cost_index": 1.0 - 0.1 * adoption,
    })


def _week_or_missing(week: int, happened: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.array([week if flag else pd.NA for flag in happened], dtype="Int64")


def _weekly(runs: pd.DataFrame, weeks: int, rng: np.random.Generator) -> pd.DataFrame:
    """Logistic adoption curves toward each run's final adoption, with the other series."""
    week = np.arange(weeks)
    n = len(runs)
    final = runs["adoption_final"].to_numpy()[:, None]
    curve = final / (1 + np.exp(-(week[None, :] - weeks / 2) / (weeks / 10)))
    curve = np.clip(curve + rng.normal(0, 0.01, size=curve.shape), 0, 1)
    flat = curve.ravel()
    phases = np.select([week < weeks / 8, week < weeks / 3, week < weeks / 2],
                       ["baseline", "build", "pilot"], "operate")
    frame = pd.DataFrame({
        "run_id": np.repeat(runs["run_id"].to_numpy(), weeks),
        "week": np.tile(week, n),
        "phase": np.tile(phases, n),
        "adoption_mean": flat,
        "adoption_enthusiast": np.clip(flat * 1.2, 0, 1),
        "adoption_reluctant": flat,
        "adoption_avoider": flat * 0.6,
        "active_share": np.clip(flat + 0.05, 0, 1),
        "genuine_share": np.clip(flat - 0.05, 0, 1),
        "attitude_mean": 0.4 + 0.4 * flat,
        "confidence": np.full(n * weeks, 0.6),
        "usefulness": 0.5 + 0.3 * flat,
        "ease_of_use": np.full(n * weeks, 0.6),
        "data_quality": 0.3 + 0.5 * flat,
        "rec_quality": 0.1 + 0.2 * flat,
    })
    for column in ("leads_created", "leads_followed_up", "leads_qualified", "leads_won",
                   "speed_to_lead_days", "bookings", "recurring_revenue", "churned", "win_rate",
                   "satisfaction", "quits", "headcount", "customer_hours", "mandate_pressure"):
        frame[column] = rng.random(n * weeks)
    if "net_value" in runs.columns:   # spend first, value later: net value crosses 0 at payback
        share = np.tile(week / max(weeks - 1, 1), n)
        frame["net_value_cumulative"] = (np.repeat(runs["value_added"].to_numpy(), weeks) * share ** 2
                                         - np.repeat(runs["programme_cost"].to_numpy(), weeks) * share)
    return frame
