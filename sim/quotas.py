"""Quarterly quotas: each rep's quota, their attainment, and pay that can use them (issue 23).

Quarters are 13 weeks from week 0, so weeks 0-12 are the baseline quarter. In the first
week of a quarter every seat gets a quota: ``(1 + quotas.uplift)`` times 13 weeks of the
weekly credit the quota policy sets it from (``scenarios/quotas/``: the territory's own
history, or the book the rep holds against their role's). A seat's history is a moving
average of its weekly booking credit over ``quotas.history_weeks``; a seat keeps its
territory, and its history, when its rep changes, and a market's settled state carries it
(``sim/steady_state.py``), so quotas are at rest from week 0. A rep hired during a quarter
gets the rest of the quarter's quota pro rata and starts from nothing booked.

Attainment is the credit a rep booked in the quarter over their quota. The weekly
``quota_attained_share`` is the share of reps who have held their seat since the quarter
began and are at or above their quota to date (pro rata to the weeks gone); in a quarter's
last week it is that quarter's share of reps at or above quota. A seat without a quota (no
history yet) is not counted, and its pay follows its credit.

A pay scheme that uses quotas (``rep_pay: quota_accelerated``) pays each $ of credit at the
base rate up to quota, at ``quotas.accelerator`` times it above quota, and nothing above
``quotas.cap`` times quota (``accelerated_pay``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from scenarios.registry import lookup
from sim.attrition import moving_mean
from sim.organisation import SUBSCRIBER, mean_or_zero
from sim.weeks import QUARTER

if TYPE_CHECKING:
    from sim.model import SilosimModel

class QuotaBook:
    """Every seat's quota for the current quarter, what it has booked against it, and the
    quarter's start; stepped once a week, after selling and before pay (``count_week``)."""

    def __init__(self, model: SilosimModel) -> None:
        p = model.params.quotas
        self.p = p
        self.policy = lookup("quota", p.policy, "quotas.policy")
        n = model.force.size
        self.quota = np.full(n, np.inf)       # this quarter's quota (inf: none)
        self.opening = self.quota.copy()      # each seat's full quota at the quarter's start
        self.to_date = np.zeros(n)            # credit booked in the quarter so far
        self.counted = np.zeros(n, bool)      # held the seat since the quarter began
        self.start: int | None = None         # first week of the current quarter

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "policy"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.policy = lookup("quota", self.p.policy, "quotas.policy")

    def count_week(self, model: SilosimModel, week: int) -> None:
        """Open a quarter when one starts, start this week's new hires on a pro-rata quota,
        add this week's credit to the quarter and to every seat's history."""
        force = model.force
        if week % QUARTER == 0 or self.start is None:
            self.open_quarter(model, week)
        else:
            self.start_new_hires(model, week)
        self.to_date += force.credit
        history = force.credit_history   # corrected for its length when a quota is set from it
        force.credit_history = history + (force.credit - history) / self.p.history_weeks

    def history(self, model: SilosimModel, week: int) -> np.ndarray:
        """Each seat's mean weekly credit over its history (corrected for a short one)."""
        weeks = week - model.pay_since
        if weeks <= 0:
            return np.zeros(model.force.size)
        return moving_mean(model.force.credit_history, weeks, self.p.history_weeks)

    def open_quarter(self, model: SilosimModel, week: int) -> None:
        force, book, p = model.force, model.book, self.p
        subs = book.stage == SUBSCRIBER
        held = np.bincount(book.owner[subs], weights=book.contract[subs], minlength=force.size)
        base = self.policy.base(self.history(model, week), held, force.role, force.occupied,
                                p.book_weight)
        quota = (1.0 + p.uplift) * QUARTER * base
        self.quota = np.where(quota > 0, quota, np.inf)
        self.opening = self.quota.copy()
        self.to_date = np.zeros(force.size)
        self.counted = force.occupied & np.isfinite(self.quota)
        self.start = week - week % QUARTER

    def start_new_hires(self, model: SilosimModel, week: int) -> None:
        """Reps hired at the end of last week: the rest of the quarter's quota (pro rata to the
        seat's quota at the quarter's start, however many reps held it since), nothing booked."""
        force = model.force
        new = force.occupied & (force.hired_week == week - 1)
        if new.any():
            left = (QUARTER - (week - self.start)) / QUARTER
            self.quota = np.where(new, self.opening * left, self.quota)
            self.to_date = np.where(new, 0.0, self.to_date)
            self.counted &= ~new

    def attained_share(self, model: SilosimModel) -> float:
        """Share of the counted reps at or above their quota to date (pro rata to the weeks
        gone); in a quarter's last week, the share at or above quota. 0 when none is counted."""
        counted = self.counted & model.force.occupied
        if self.start is None or not counted.any():
            return 0.0
        gone = (model.week - self.start + 1) / QUARTER
        return mean_or_zero(self.to_date[counted] >= gone * self.quota[counted])

    def accelerated_pay(self, credit: np.ndarray) -> np.ndarray:
        """This week's pay basis under a quota plan with accelerators and a cap: the pay on the
        quarter's credit to date, less the pay on it before this week."""
        return self.paid_on(self.to_date) - self.paid_on(self.to_date - credit)

    def paid_on(self, booked: np.ndarray) -> np.ndarray:
        """Pay basis earned by ``booked`` credit in the quarter: at par up to quota, at the
        accelerator above it, nothing above the cap."""
        q, p = self.quota, self.p
        capped = np.isfinite(q)
        finite_q = np.where(capped, q, 0.0)
        above = np.where(capped, (booked - finite_q).clip(0.0, (p.cap - 1.0) * finite_q), 0.0)
        return np.minimum(booked, q) + p.accelerator * above


def quarter_end_weeks(weeks: int) -> np.ndarray:
    """The last week of every complete quarter within ``weeks`` recorded weeks."""
    return np.arange(QUARTER - 1, weeks, QUARTER)
