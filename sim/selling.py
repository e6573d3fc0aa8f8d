"""Selling: hunting, with or without recommendations; farming; closing deals (001, 003, 004).

Hunting time becomes pursuits of target accounts. A rep's own picks qualify at the
industry's 6-10%; when the rep uses the tools, the recommender picks instead, at the
recommendation quality the programme has reached (up to about one third for a mature
recommender fed by feedback, 001). Farming time develops an account's potential
(the tools find cross-sell too); without care an account shrinks back. A qualified
opportunity closes after a deal cycle; its win chance rises with the buyer's fit and
falls with inconsistent messages, which weigh on the 70% of the decision made before
sales is involved (004).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.attitude import recommendation_trust
from sim.organisation import FARMER, OPPORTUNITY, PROSPECT, SUBSCRIBER

if TYPE_CHECKING:
    from sim.model import SilosimModel

LOST_DEAL_COOLDOWN = 26   # weeks before a lost opportunity can be pursued again
RENEWAL_CREDIT = 0.25     # share of a live contract's value credited to its rep's variable pay


def targeting_conversion(model: SilosimModel) -> np.ndarray:
    """Chance a pursued account becomes a qualified opportunity, per seat."""
    force, p = model.force, model.params
    own = p.selling.own_conversion
    if model.programme.release_week is None:
        return np.full(force.size, own)
    share = force.adoption * force.access * recommendation_trust(p.programme.explanations)
    return (1.0 - share) * own + share * model.programme.rec_quality


def win_probability(model: SilosimModel, fit: np.ndarray) -> np.ndarray:
    """Win chance of a qualified opportunity with a buyer of this fit."""
    s = model.params.selling
    messages = 1.0 - s.messaging_weight * s.readiness_share * model.inconsistency
    return np.clip(s.win_rate * (0.5 + fit) * messages, 0.0, 1.0)


def open_opportunities(model: SilosimModel, customers: np.ndarray, reps: np.ndarray, week: int,
                       from_lead: bool) -> None:
    """Customers become opportunities worked by ``reps``, closing after a deal cycle."""
    book, rng = model.book, model.rng
    book.stage[customers] = OPPORTUNITY
    book.opp_rep[customers] = reps
    book.opp_close_week[customers] = week + rng.geometric(
        1.0 / model.params.selling.deal_cycle_weeks, len(customers))
    book.opp_win_prob[customers] = win_probability(model, book.fit[customers])
    book.opp_from_lead[customers] = from_lead


def pursue_accounts(model: SilosimModel, week: int) -> None:
    """Hunting hours → pursuits → qualified opportunities, scarcer as the market is worked."""
    force, book, rng = model.force, model.book, model.rng
    pool = np.flatnonzero((book.stage == PROSPECT) & (book.cooldown_until <= week))
    if len(pool) == 0:
        return
    availability = min(1.0, len(pool) / model.initial_prospects)
    pursuits = force.hours_hunting / model.params.time_budget.hours_per_pursuit
    expected = pursuits * targeting_conversion(model) * availability * force.occupied
    counts = rng.poisson(expected)
    total = min(int(counts.sum()), len(pool))
    if total == 0:
        return
    weight = book.fit[pool] * (0.2 + book.readiness[pool])
    targets = rng.choice(pool, size=total, replace=False, p=weight / weight.sum())
    reps = np.repeat(np.arange(force.size), counts)[:total]
    open_opportunities(model, targets, reps, week, from_lead=False)


def develop_accounts(model: SilosimModel) -> None:
    """Farming grows accounts toward potential, neglect shrinks them; reps are credited
    with expansion and, week by week, a share of their book's recurring revenue."""
    force, book, p = model.force, model.book, model.params
    subs = np.flatnonzero(book.stage == SUBSCRIBER)
    if len(subs) == 0:
        model.care = np.zeros(book.size)
        return
    owner = book.owner[subs]
    accounts = np.bincount(owner, minlength=force.size)
    per_account = force.hours_farming / np.maximum(accounts, 1)
    care = np.minimum(per_account[owner] / p.time_budget.care_hours_per_account, 1.5)
    model.care = np.zeros(book.size)
    model.care[subs] = care
    lift = 1.0 + 0.3 * force.adoption * force.access * recommendation_trust(
        p.programme.explanations) * max(model.programme.rec_quality / p.selling.own_conversion
                                        - 1.0, 0.0)
    developed = book.contract[subs] / book.potential[subs]
    growth = p.selling.expansion_rate * care * lift[owner] * (1.0 - developed)
    change = book.potential[subs] * (growth - p.selling.contraction_rate * developed)
    book.contract[subs] += change
    expansion = np.maximum(change, 0.0)
    np.add.at(force.credit, owner, expansion + RENEWAL_CREDIT * book.contract[subs] / 52.0)
    model.tally["bookings"] += float(expansion.sum())


def close_deals(model: SilosimModel, week: int) -> None:
    """Opportunities due this week are won (new subscribers) or lost (back to the market)."""
    book, force, rng, s = model.book, model.force, model.rng, model.params.selling
    due = np.flatnonzero((book.stage == OPPORTUNITY) & (book.opp_close_week <= week))
    if len(due) == 0:
        return
    won = rng.random(len(due)) < book.opp_win_prob[due]
    lost = due[~won]
    book.stage[lost] = PROSPECT
    book.cooldown_until[lost] = week + LOST_DEAL_COOLDOWN
    book.readiness[lost] *= 0.5
    book.opp_rep[lost] = -1
    new = due[won]
    rep = book.opp_rep[new]
    book.stage[new] = SUBSCRIBER
    book.owner[new] = rep
    book.hunter[new] = np.where(force.role[rep] == FARMER, -1, rep)
    book.won_week[new] = week
    book.start_week[new] = week
    book.potential[new] = s.contract_value * s.potential_multiple * rng.lognormal(0.0, 0.4, len(new))
    book.contract[new] = book.potential[new] * rng.uniform(0.25, 0.45, len(new))
    book.satisfaction[new] = 0.65
    book.relationship[new] = 0.6
    book.knowledge[new] = 0.1 + 0.5 * force.adoption[rep]
    book.readiness[new] = 0.0
    book.opp_rep[new] = -1
    np.add.at(force.credit, rep, book.contract[new])
    tally = model.tally
    tally["bookings"] += float(book.contract[new].sum())
    tally["deals_closed"] += len(due)
    tally["deals_won"] += len(new)
    tally["leads_won"] += int(book.opp_from_lead[new].sum())
