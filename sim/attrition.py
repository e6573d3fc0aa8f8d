"""Variable pay, morale, quitting and hiring (001; Bridge Group; ZS via SHRM 2016).

A rep's variable pay follows the booking credit the pay scheme counts for them.
They feel their pay over a quarter and compare it with what they are used to (a
year's memory). When the learning-curve dip pushes pay below that, the income gap
lowers morale and raises the weekly quit hazard — most for top performers, who read
a change as a pay cut — unless a hold-harmless transition floors their income. An
adoption bonus pays part of the variable pay for using the tools. A leaving rep's
accounts and deals move to teammates (knowledge loss, churn risk, 001); the seat is
filled again after a vacancy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.accounts import LeaversBooks
from sim.organisation import prior_attitudes

if TYPE_CHECKING:
    from sim.model import SilosimModel

REFERENCE_MEMORY_WEEKS = 52.0   # pay a rep is used to: a year's memory
MORALE_NEUTRAL = 0.6


def feel_pay(model: SilosimModel, week: int) -> None:
    """Update felt pay, reference pay and the income ratio from this week's credit.

    Both are bias-corrected moving averages started with the run (spin-up included), and
    no income gap is felt until a quarter of pay history exists.
    """
    force, p = model.force, model.params
    inc = p.incentives
    basis = model.rep_pay.basis(force.credit, force.team)
    force.pay_felt += (basis - force.pay_felt) / p.attrition.pay_memory_weeks
    force.pay_reference += (basis - force.pay_reference) / REFERENCE_MEMORY_WEEKS
    weeks_paid = week + p.spin_up_weeks + 1
    if weeks_paid < p.attrition.pay_memory_weeks:
        return
    felt = force.pay_felt / (1.0 - (1.0 - 1.0 / p.attrition.pay_memory_weeks) ** weeks_paid)
    used_to = force.pay_reference / (1.0 - (1.0 - 1.0 / REFERENCE_MEMORY_WEEKS) ** weeks_paid)
    variable = felt / np.maximum(used_to, 1e-9)
    if model.programme.rollout_week is not None and inc.adoption_bonus > 0:
        used = np.minimum(1.0, force.adoption / p.attitude.active_use)
        variable = (1.0 - inc.adoption_bonus) * variable + inc.adoption_bonus * used
    ratio = (1.0 - inc.rep_variable_share) + inc.rep_variable_share * variable
    since = week - model.programme.rollout_week if model.programme.rollout_week is not None else -1
    if model.pay_transition.floors_income(since, inc.hold_harmless_months):
        ratio = np.maximum(ratio, 1.0)
    force.income_ratio = ratio


def update_morale(model: SilosimModel) -> None:
    """Morale follows income against expectations and resented mandates."""
    force = model.force
    target = np.clip(MORALE_NEUTRAL + 0.8 * (force.income_ratio - 1.0)
                     - 0.2 * force.pressure * force.autonomy, 0.0, 1.0)
    force.morale += 0.1 * (target - force.morale)


def quit_hazard(model: SilosimModel) -> np.ndarray:
    """Weekly chance each rep leaves: base rate, raised by an income gap and low morale."""
    force, a = model.force, model.params.attrition
    gap = np.clip(1.0 - force.income_ratio, 0.0, 1.0)
    present = force.pay_reference[force.occupied]
    top_line = np.quantile(present, 0.8) if len(present) else np.inf
    sensitivity = a.pay_sensitivity * np.where(force.pay_reference >= top_line,
                                               a.top_performer_factor, 1.0)
    hazard = a.base_quit_weekly * np.exp(sensitivity * gap + 2.0 * (MORALE_NEUTRAL - force.morale))
    return np.clip(hazard, 0.0, 1.0) * force.occupied


def pay_and_attrition(model: SilosimModel, week: int) -> None:
    """The weekly pay, morale, quit and hire cycle."""
    force = model.force
    feel_pay(model, week)
    update_morale(model)
    quits = np.flatnonzero(model.rng.random(force.size) < quit_hazard(model))
    if len(quits):  # most weeks nobody quits: then the book is not scanned at all
        books = LeaversBooks(model, quits)
        for seat in quits:
            model.vacate(int(seat), week)
            books.reassign_book(int(seat))
    model.tally["quits"] += len(quits)
    for seat in np.flatnonzero(~force.occupied & (force.vacant_until <= week)):
        hire(model, int(seat))
    force.credit[:] = 0.0


def hire(model: SilosimModel, seat: int) -> None:
    """A new rep fills the seat: drawn from the same population, paid like the team."""
    force, rng = model.force, model.rng
    segment = model.draw_segment()
    usefulness, ease, skill = prior_attitudes(np.array([segment]), rng)
    force.segment[seat] = segment
    force.usefulness[seat], force.ease[seat], force.skill[seat] = usefulness[0], ease[0], skill[0]
    force.voluntary[seat] = force.adoption[seat] = force.pressure[seat] = 0.0
    force.eet[seat] = False
    mates = force.occupied & (force.team == force.team[seat])
    felt = force.pay_felt[mates].mean() if mates.any() else force.pay_felt.mean()
    force.pay_felt[seat] = force.pay_reference[seat] = felt
    force.income_ratio[seat], force.morale[seat] = 1.0, MORALE_NEUTRAL
    force.occupied[seat] = True
    model.seat_rep(seat)
    if model.programme.phase == "operate":
        model.grant_access(np.arange(force.size) == seat)

