"""Selling: hunting new logos, developing accounts, recommendations, closing deals (001, 003, 004).

Hunting time becomes pursuits of new logos, which qualify at ``selling.hunting_conversion``
as long as the market is open (the fewer prospects left, the longer a pursuit takes to
find one worth it). Farming time cares for accounts, which grow toward their potential
when cared for and shrink back when neglected; part of it goes to cross-selling. A
rep's own cross-sell idea qualifies at the industry's 6-10% (``own_conversion``); a rep
who uses the tools acts on the recommender's suggestions instead, which qualify at the
recommendation quality the programme has reached (up to about one third for a mature
recommender fed by feedback and good data, 001). A qualified opportunity closes after
a deal cycle; its win chance rises with the buyer's fit and falls with inconsistent
messages, which weigh on the 70% of the decision made before sales is involved (004).
Reps who work a deal through the tools, on good data, win more often and close sooner
(001: conversion up, deals done faster).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy import special

from sim.accounts import in_transition
from sim.attitude import recommendation_trust
from sim.common_random import Draw, geometric_quantile
from sim.organisation import FARMER, HUNTER, OPPORTUNITY, PROSPECT, SUBSCRIBER
from sim.weeks import YEAR

if TYPE_CHECKING:
    from sim.model import SilosimModel

NO_REP = -1


def insight(model: SilosimModel, reps: np.ndarray) -> np.ndarray:
    """How much each rep's deals gain from the tools: their use times the data's quality."""
    force = model.force
    if model.programme.release_week is None:
        return np.zeros(len(reps))
    return force.adoption[reps] * force.access[reps] * model.programme.data_quality


def win_probability(model: SilosimModel, fit: np.ndarray, gain: np.ndarray) -> np.ndarray:
    """Win chance of a qualified opportunity with a buyer of this fit, worked with ``gain``
    (the ``insight`` of its rep)."""
    s = model.params.selling
    messages = 1.0 - s.messaging_weight * s.readiness_share * model.inconsistency
    lift = 1.0 + s.win_lift * gain
    return (s.win_rate * (0.5 + fit) * messages * lift).clip(0.0, 1.0)


def close_in(model: SilosimModel, cycle_luck: np.ndarray, gain: np.ndarray) -> np.ndarray:
    """Weeks until each new opportunity closes: geometric around a cycle the tools shorten
    (``cycle_luck``: its customer's ``Draw.DEAL_CYCLE`` uniform this week; ``gain``: the
    ``insight`` of its rep)."""
    s = model.params.selling
    cycle = s.deal_cycle_weeks * (1.0 - s.cycle_cut * gain)
    return geometric_quantile(cycle_luck, 1.0 / np.maximum(cycle, 1.0))


def open_opportunities(model: SilosimModel, customers: np.ndarray, reps: np.ndarray, week: int,
                       from_lead: bool, cycle_luck: np.ndarray) -> None:
    """Prospects become new-logo opportunities worked by ``reps``, closing after a deal cycle
    (``cycle_luck``: the customers' ``Draw.DEAL_CYCLE`` uniforms this week)."""
    book = model.book
    book.stage[customers] = OPPORTUNITY
    book.opp_rep[customers] = reps
    book.opp_opened[customers] = week
    forecast(model, customers, reps, week, cycle_luck)
    book.opp_from_lead[customers] = from_lead


def forecast(model: SilosimModel, customers: np.ndarray, reps: np.ndarray, week: int,
             cycle_luck: np.ndarray) -> None:
    """When each new opportunity (new logo or cross-sell) closes and its chance of being won,
    both improved by its rep's insight (``cycle_luck``: the customers' ``Draw.DEAL_CYCLE``
    uniforms this week)."""
    book = model.book
    gain = insight(model, reps)
    book.opp_close_week[customers] = week + close_in(model, cycle_luck, gain)
    book.opp_win_prob[customers] = win_probability(model, book.fit[customers], gain)


def pursue_accounts(model: SilosimModel, week: int) -> None:
    """Hunting hours → pursuits of new logos → qualified opportunities (scarcer as the market
    is won); a matched hunter, focused on new business, makes more of each hour (003)."""
    force, book, chance, p = model.force, model.book, model.chance, model.params
    pool = ((book.stage == PROSPECT) & (book.cooldown_until <= week)).nonzero()[0]
    if len(pool) == 0:
        return
    availability = len(pool) / book.size   # the share of the market still open to new logos
    focus = np.where(force.role == HUNTER, 1.0 + p.account_handoff.hunter_focus, 1.0)
    pursuits = force.hours_hunting / p.time_budget.hours_per_pursuit
    expected = pursuits * p.selling.hunting_conversion * availability * focus * force.occupied
    counts = chance.seat_poisson(Draw.HUNT_COUNT, week, expected)
    total = min(int(counts.sum()), len(pool))
    if total == 0:
        return
    weight = book.fit[pool] * (p.selling.pursuit_unready + book.readiness[pool])
    targets = chance.pick(Draw.HUNT_PICK, week, pool, weight, total)
    reps = np.repeat(np.arange(force.size), counts)[:total]
    open_opportunities(model, targets, reps, week, from_lead=False,
                       cycle_luck=chance.uniform(Draw.DEAL_CYCLE, week, targets))


def cross_sell_conversion(model: SilosimModel) -> np.ndarray:
    """Chance a cross-sell attempt becomes a qualified opportunity, per seat: the rep's own
    idea, or — as far as the rep uses the tools and trusts them — a recommendation (001)."""
    force, p = model.force, model.params
    own = p.selling.own_conversion
    if model.programme.release_week is None:
        return np.full(force.size, own)
    share = force.adoption * force.access * recommendation_trust(p)
    return (1.0 - share) * own + share * model.programme.rec_quality


def develop_accounts(model: SilosimModel, week: int) -> None:
    """Farming grows accounts toward potential and neglect shrinks them; part of the farming
    time goes to cross-sell attempts. Reps are credited with organic expansion and, week by
    week, a share of their book's recurring revenue."""
    force, book, p = model.force, model.book, model.params
    subs = (book.stage == SUBSCRIBER).nonzero()[0]
    model.care = np.zeros(book.size)
    if len(subs) == 0:
        return
    owner = book.owner[subs]
    accounts = np.bincount(owner, minlength=force.size)
    per_account = force.hours_farming / np.maximum(accounts, 1)
    skill = np.where(force.role == FARMER, 1.0 + p.account_handoff.farmer_care, 1.0)
    care = np.minimum((per_account * skill)[owner] / p.time_budget.care_hours_per_account,
                      p.selling.max_care)
    model.care[subs] = care
    contract, potential = book.contract[subs], book.potential[subs]
    developed = contract / potential
    growth = p.selling.expansion_rate * care * (1.0 - developed)
    change = potential * (growth - p.selling.contraction_rate * developed)
    contract += change
    book.contract[subs] = contract
    expansion = np.maximum(change, 0.0)
    credit = expansion + p.selling.renewal_credit * contract / YEAR
    force.credit += np.bincount(owner, weights=credit, minlength=force.size)  # from 0 this week
    shared = in_transition(model, book.bonus_until)[subs]
    if shared.any():   # the hunter's share of the transition bonus (003)
        np.add.at(force.credit, book.hunter[subs[shared]],
                  p.account_handoff.bonus_share * credit[shared])
    model.tally["bookings"] += float(expansion.sum())
    pitch_cross_sell(model, subs, owner, week)


def pitch_cross_sell(model: SilosimModel, subs: np.ndarray, owner: np.ndarray, week: int) -> None:
    """Cross-sell attempts from farming hours; qualified ones become expansion opportunities on
    the rep's accounts that have room to grow and none open."""
    force, book, chance, p = model.force, model.book, model.chance, model.params
    attempts = force.hours_farming * p.selling.cross_sell_share / p.time_budget.hours_per_pursuit
    counts = chance.seat_poisson(Draw.CROSS_COUNT, week,
                                 attempts * cross_sell_conversion(model) * force.occupied)
    if not counts.any():
        return
    open_room = (book.opp_rep[subs] == NO_REP) & (book.contract[subs] < book.potential[subs]) \
        & (counts[owner] > 0)
    free, free_owner = subs[open_room], owner[open_room]
    # each rep's attempts land on that many of their open accounts, drawn at random
    keys, cycle_luck = chance.uniforms((Draw.CROSS_PICK, Draw.DEAL_CYCLE), week, free)
    order = np.lexsort((keys, free_owner))
    free, free_owner, cycle_luck = free[order], free_owner[order], cycle_luck[order]
    rank = np.arange(len(free)) - np.searchsorted(free_owner, free_owner)
    picked = rank < counts[free_owner]
    chosen = free[picked]
    if len(chosen) == 0:
        return
    reps = book.owner[chosen]
    book.opp_rep[chosen] = reps
    forecast(model, chosen, reps, week, cycle_luck[picked])
    model.tally["cross_sell_opportunities"] += len(chosen)


def close_deals(model: SilosimModel, week: int) -> None:
    """New-logo opportunities due this week are won (new subscribers) or lost (back to the
    market); cross-sell opportunities due are won (the account grows) or lost."""
    close_new_logos(model, week)
    close_cross_sells(model, week)


def close_new_logos(model: SilosimModel, week: int) -> None:
    book, force, chance, s = model.book, model.force, model.chance, model.params.selling
    due = ((book.stage == OPPORTUNITY) & (book.opp_close_week <= week)).nonzero()[0]
    if len(due) == 0:
        return
    win, potential, contract = chance.uniforms((Draw.WIN, Draw.POTENTIAL, Draw.CONTRACT), week, due)
    won = win < book.opp_win_prob[due]
    lost = due[~won]
    book.stage[lost] = PROSPECT
    book.cooldown_until[lost] = week + s.lost_deal_cooldown_weeks
    book.readiness[lost] *= s.lost_readiness
    book.opp_rep[lost] = NO_REP
    new = due[won]
    rep = book.opp_rep[new]
    welcome_subscribers(model, new, rep, week, potential[won], contract[won])
    np.add.at(force.credit, rep, book.contract[new])
    tally = model.tally
    tally["bookings"] += float(book.contract[new].sum())
    tally["deals_closed"] += len(due)
    tally["deal_weeks"] += float((week - book.opp_opened[due]).sum())
    tally["deals_won"] += len(new)
    tally["leads_won"] += int(np.count_nonzero(book.opp_from_lead[new]))


def welcome_subscribers(model: SilosimModel, new: np.ndarray, rep: np.ndarray, week: int,
                        potential: np.ndarray, contract: np.ndarray) -> None:
    """Won new logos become subscribers of the reps who won them: a drawn potential, a first
    contract taking part of it, a new customer's satisfaction and relationship, and what the
    first sale leaves in the CRM. ``potential`` and ``contract`` are the new subscribers'
    ``Draw.POTENTIAL`` and ``Draw.CONTRACT`` uniforms this week."""
    book, force, s = model.book, model.force, model.params.selling
    c = model.params.customers
    book.stage[new] = SUBSCRIBER
    book.owner[new] = rep
    book.hunter[new] = np.where(force.role[rep] == FARMER, NO_REP, rep)
    book.won_week[new] = week
    book.start_week[new] = week
    book.potential[new] = s.contract_value * s.potential_multiple * np.exp(
        s.potential_spread * special.ndtri(potential))   # a standard normal (inverse CDF)
    book.contract[new] = book.potential[new] * (s.first_contract_low + (
        s.first_contract_high - s.first_contract_low) * contract)
    book.satisfaction[new] = c.new_satisfaction
    book.relationship[new] = c.new_relationship
    book.knowledge[new] = model.crm_use(rep) * s.first_sale_knowledge
    book.readiness[new] = 0.0
    book.opp_rep[new] = NO_REP


def close_cross_sells(model: SilosimModel, week: int) -> None:
    book, force, chance, s = model.book, model.force, model.chance, model.params.selling
    due = ((book.stage == SUBSCRIBER) & (book.opp_rep != NO_REP)
           & (book.opp_close_week <= week)).nonzero()[0]
    if len(due) == 0:
        return
    won = due[chance.uniform(Draw.WIN, week, due) < book.opp_win_prob[due]]
    gain = s.cross_sell_size * np.maximum(book.potential[won] - book.contract[won], 0.0)
    book.contract[won] += gain
    np.add.at(force.credit, book.opp_rep[won], gain)
    book.opp_rep[due] = NO_REP
    tally = model.tally
    tally["bookings"] += float(gain.sum())
    tally["cross_sells_closed"] += len(due)
    tally["cross_sells_won"] += len(won)
