"""Variable pay, morale, quitting and hiring (001; Bridge Group; ZS via SHRM 2016).

A rep's variable pay follows the booking credit the pay scheme counts for them.
They feel their pay over a quarter and compare it with what they are used to (a
year's memory). Pay swings as deals come and go — a hunter's lumpily, a farmer's
smoothly — and reps get used to their own swings: only a shortfall beyond the swing a
rep is used to reads as an income gap (reference dependence with adaptation). When the
learning-curve dip pushes pay below that, the gap lowers morale and raises the weekly
quit hazard — most for top performers, who read a change as a pay cut — unless a
hold-harmless transition floors their income. An adoption bonus pays part of the
variable pay for using the tools. A leaving rep's accounts and deals move to teammates
(knowledge loss, churn risk, 001); the seat is filled again after a vacancy, and the new
hire ramps up to a tenured rep's customer time (``ramp``, ``hiring.*``). The week's pay
basis, hold-harmless top-ups and hires are tallied for the economics (sim/economics.py).
Every coefficient is an ``attrition.*`` or ``hiring.*`` parameter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.accounts import LeaversBooks
from sim.common_random import Draw
from sim.numeric import TINY
from sim.organisation import draw_segments, mean_or_zero, prior_attitudes
from sim.programme import Phase

if TYPE_CHECKING:
    from sim.model import SilosimModel


def moving_mean(value: np.ndarray, weeks_paid: int, memory: float) -> np.ndarray:
    """A bias-corrected exponential moving average after ``weeks_paid`` weeks of history."""
    return value / (1.0 - (1.0 - 1.0 / memory) ** weeks_paid)


def feel_pay(model: SilosimModel, week: int) -> None:
    """Update felt pay, reference pay, the usual swing and the income gap from this week's credit.

    Felt and reference pay are bias-corrected moving averages started with the
    organisation's pay history (``model.pay_since``: the run's first week, or the settling
    run's); no income gap is felt until a quarter of pay history exists.
    """
    force, p = model.force, model.params
    inc, a = p.incentives, p.attrition
    basis = model.rep_pay.basis(force.credit, force.team, model.quotas)
    model.tally["pay_basis"] += float(basis[force.occupied].sum())   # priced as variable pay
    force.pay_felt += (basis - force.pay_felt) / a.pay_memory_weeks
    force.pay_reference += (basis - force.pay_reference) / a.reference_memory_weeks
    weeks_paid = week - model.pay_since + 1
    if weeks_paid < a.pay_memory_weeks:
        return
    felt = moving_mean(force.pay_felt, weeks_paid, a.pay_memory_weeks)
    used_to = moving_mean(force.pay_reference, weeks_paid, a.reference_memory_weeks)
    variable = felt / np.maximum(used_to, TINY)
    force.pay_swing += (np.abs(variable - 1.0) - force.pay_swing) / a.swing_memory_weeks
    if model.programme.rollout_week is not None and inc.adoption_bonus > 0:
        used = np.minimum(1.0, force.adoption / p.attitude.active_use)
        variable = (1.0 - inc.adoption_bonus) * variable + inc.adoption_bonus * used
    ratio = (1.0 - inc.rep_variable_share) + inc.rep_variable_share * variable
    since = week - model.programme.rollout_week if model.programme.rollout_week is not None else -1
    if model.pay_transition.floors_income(since, inc.hold_harmless_months):
        floored = np.maximum(ratio, 1.0)
        model.tally["pay_top_up"] += float(((floored - ratio) * force.occupied).sum())
        ratio = floored
    force.income_ratio = ratio
    usual = a.swing_tolerance * inc.rep_variable_share * force.pay_swing
    force.income_gap = (1.0 - ratio - usual).clip(0.0, 1.0)


def update_morale(model: SilosimModel) -> None:
    """Morale follows the income gap and resented mandates."""
    force, a = model.force, model.params.attrition
    target = (a.morale_neutral - a.morale_pay * force.income_gap
              - a.morale_mandate * force.pressure * force.autonomy).clip(0.0, 1.0)
    force.morale += a.morale_rate * (target - force.morale)


def quit_hazard(model: SilosimModel) -> np.ndarray:
    """Weekly chance each rep leaves: base rate, raised by an income gap and low morale."""
    force, a = model.force, model.params.attrition
    present = force.pay_reference[force.occupied]
    if len(present):
        k = int(a.top_performer_quantile * (len(present) - 1))
        top_line = np.partition(present, k)[k]
    else:
        top_line = np.inf
    sensitivity = a.pay_sensitivity * np.where(force.pay_reference >= top_line,
                                               a.top_performer_factor, 1.0)
    hazard = a.base_quit_weekly * np.exp(sensitivity * force.income_gap
                                         + a.morale_hazard * (a.morale_neutral - force.morale))
    return hazard.clip(0.0, 1.0) * force.occupied


def pay_and_attrition(model: SilosimModel, week: int) -> None:
    """The weekly pay, morale, quit and hire cycle."""
    force = model.force
    feel_pay(model, week)
    update_morale(model)
    quits = (model.chance.seat_uniform(Draw.QUIT, week, force.size)
             < quit_hazard(model)).nonzero()[0]
    if len(quits):  # most weeks nobody quits: then the book is not scanned at all
        books = LeaversBooks(model, quits)
        for seat in quits:
            model.vacate(int(seat), week)
            books.reassign_book(int(seat))
    model.tally["quits"] += len(quits)
    for seat in (~force.occupied & (force.vacant_until <= week)).nonzero()[0]:
        hire(model, int(seat), week)
        force.hired_week[seat] = week
        model.tally["hires"] += 1
    force.credit[:] = 0.0


def hire(model: SilosimModel, seat: int, week: int) -> None:
    """A new rep fills the seat: drawn from the same population, paid like the team."""
    force, rng = model.force, model.chance.generator(Draw.HIRE, week, seat)
    segment = int(draw_segments(1, model.params, rng)[0])
    usefulness, ease, skill = prior_attitudes(np.array([segment]), model.params.priors, rng)
    force.segment[seat] = segment
    force.usefulness[seat], force.ease[seat], force.skill[seat] = usefulness[0], ease[0], skill[0]
    force.voluntary[seat] = force.adoption[seat] = force.pressure[seat] = 0.0
    force.eet[seat] = False
    mates = force.occupied & (force.team == force.team[seat])
    felt = mean_or_zero(force.pay_felt[mates] if mates.any() else force.pay_felt)
    force.pay_felt[seat] = force.pay_reference[seat] = felt
    force.income_ratio[seat], force.morale[seat] = 1.0, model.params.attrition.morale_neutral
    force.income_gap[seat] = 0.0
    force.pay_swing[seat] = mean_or_zero(force.pay_swing[mates])
    force.lead_trust[seat] = model.params.leads.lead_trust
    force.occupied[seat] = True
    model.seat_rep(seat)
    if model.programme.phase == Phase.OPERATE:
        model.grant_access(np.arange(force.size) == seat)


def ramp(model: SilosimModel) -> np.ndarray | None:
    """Each seat's share of a tenured rep's customer-facing time this week, or None when new
    hires are productive at once (``hiring.ramp_weeks`` 0).

    A new hire puts in ``hiring.ramp_start`` of it in the week after joining, rising in a
    straight line to all of it after ``ramp_weeks`` weeks; the rest of the time goes to
    onboarding — learning the product, the territory and its accounts (``plan_week`` books
    it as admin). Reps at their seat from the start are tenured.
    """
    h = model.params.hiring
    if h.ramp_weeks == 0:
        return None
    weeks_in = model.week - model.force.hired_week - 1
    return np.minimum(h.ramp_start + (1.0 - h.ramp_start) * weeks_in / h.ramp_weeks, 1.0)
