"""The model the dashboard steps, the layout of its reps, and the label its run has so far.

``LiveModel`` is ``SilosimModel`` built from dashboard ``Settings`` exactly as
``sim.run.run_replication`` builds it from the same parameters and seed, so stepping it
to the horizon gives the CLI's weekly frame bit for bit; it only adds a stop at the
horizon (the weekly arrays end there) and a network layout computed once per model.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from dashboard.levers import Settings
from sim.labels import rollout_deadline
from sim.metrics import QUARTER
from sim.model import SilosimModel
from sim.run import run_outcome

TEAM_RADIUS = 0.36      # reps sit on a circle this far from their team's centre (centres 1 apart)
LABEL_MEANINGS = {
    "success": "broad genuine adoption that held through the last quarter, and revenue above "
               "the same company's without the programme",
    "stalled": "cancelled, or no workable tool rolled out by the deadline",
    "low_adoption": "a workable tool rolled out, but too few reps use it without a mandate",
    "not_sustained": "genuine adoption and value reached the bar, then fell back",
}


@dataclass(frozen=True)
class TeamLayout:
    """Where each rep seat and each manager team is drawn, and the peer ties between seats."""

    seats: np.ndarray    # (seats, 2)
    teams: np.ndarray    # (teams, 2) team centres, where the manager is drawn
    ties: np.ndarray     # (ties, 2, 2) line segments between peers


def team_layout(team: np.ndarray, peers: sparse.csr_matrix) -> TeamLayout:
    """Teams on a grid, each team's reps on a circle around its manager; peer ties as segments.

    A fixed geometric layout, not a force-directed one: it costs microseconds, shows the
    team structure the model has (peers mostly within a team) and never moves between frames.
    """
    n_teams = int(team.max()) + 1
    columns = math.ceil(math.sqrt(n_teams * 16 / 9))
    index = np.arange(n_teams)
    centres = np.column_stack([index % columns, -(index // columns)]).astype(float)
    seats = np.empty((len(team), 2))
    for t in index:
        members = np.flatnonzero(team == t)
        angle = 2 * np.pi * np.arange(len(members)) / max(len(members), 1) + np.pi / 2
        seats[members] = centres[t] + TEAM_RADIUS * np.column_stack([np.cos(angle), np.sin(angle)])
    upper = sparse.triu(peers, k=1).tocoo()
    return TeamLayout(seats, centres, np.stack([seats[upper.row], seats[upper.col]], axis=1))


class LiveModel(SilosimModel):
    """One organisation, built from dashboard settings and stepped a week at a time."""

    def __init__(self, *, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        super().__init__(params=self.settings.params, rng=self.settings.run_seed)

    def step(self) -> None:
        """One week; past the horizon the run is over (``running`` turns False at the last week)."""
        if self.week >= self.params.horizon_weeks:
            self.running = False
            return
        super().step()
        self.running = self.week < self.params.horizon_weeks

    @functools.cached_property
    def layout(self) -> TeamLayout:
        """The network view's layout, computed on first use and kept for the model's life."""
        return team_layout(self.force.team, self.peers)


@dataclass(frozen=True)
class Verdict:
    """The label the run would get if it ended this week, and the numbers the label rests on."""

    label: str
    final: bool
    facts: list[str]

    @property
    def meaning(self) -> str:
        return LABEL_MEANINGS[self.label]


def phase_at(model: SilosimModel, week: int) -> str:
    """The programme phase of the last recorded week before ``week`` (the current one at 0)."""
    return model.weekly_phase[week - 1] if week else model.programme.phase


def label_so_far(model: SilosimModel, week: int) -> Verdict | None:
    """Label weeks ``[0, week)`` with the run's own rules (``sim.labels.classify``).

    None before the first recorded week. Until the horizon the label is provisional: it
    is what ``silosim`` would record if the run ended now.
    """
    if week == 0:
        return None
    weekly = model.weekly_frame(until=week)
    kpis = run_outcome(model, weekly)
    return Verdict(kpis["label"], week >= model.params.horizon_weeks, _facts(model, kpis, weekly))


def _facts(model: SilosimModel, kpis: dict, weekly: pd.DataFrame) -> list[str]:
    """The label's inputs beside their thresholds, in the words of ``sim.labels``."""
    lp = model.params.labels
    rollout = kpis["rollout_week"]
    peak = kpis["adoption_peak_genuine"]
    return [
        "roll-out " + ("cancelled in week " + str(kpis["cancel_week"]) if kpis["cancelled"]
                       else f"started in week {rollout}" if rollout is not None
                       else "not started") + f" (deadline week {rollout_deadline(model.params)})",
        f"genuine users: lowest {weekly.genuine_share.iloc[-QUARTER:].min():.0%} in the last "
        f"quarter, best {0.0 if np.isnan(peak) else peak:.0%} held for "
        f"{lp.reach_window_weeks} weeks (bar {lp.adoption_bar:.0%})",
        f"value: last year's recurring revenue ×{kpis['value_vs_no_programme']:.3f} of the same "
        f"company's without the programme (needs ×{1 + lp.value_margin:.2f})",
        money_fact(kpis) + (" (success needs it positive)" if lp.require_positive_roi else ""),
    ]


def money_fact(kpis: dict) -> str:
    """The programme's money so far in one line (sim/economics.py)."""
    cost, added = kpis["programme_cost"], kpis["value_added"]
    if not cost:
        return "money: no programme spend yet"
    paid = kpis["payback_week"]
    return (f"money: spent {cost:,.0f} $k, value added {added:,.0f} $k against no programme, "
            f"return {kpis['roi']:+.0%}; " + (f"paid back in week {paid}" if paid is not None
                                             else "not paid back yet"))
