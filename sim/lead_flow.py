"""Marketing leads through the funnel: MQL → accepted by sales → qualified → won (002, 004).

Marketers turn budget into marketing-qualified leads (MQLs). How many and how good
depends on what marketing is paid for (vanity volume or revenue) and on a segmentation
that only sharpens with feedback from sales. The lead handoff policy decides which leads
reach sales, whether they go to the right rep with a score or are dumped on whoever
gets them, and which go back to marketing to nurture.

A rep accepts a lead (sales-accepted) in proportion to their trust in marketing's leads,
which silos erode and which the rep learns from how the leads they worked turned out; a
lead routed under an agreed standard and SLA is accepted as agreed. Accepted leads wait
in the rep's queue until the rep has time for them (``time_budget.plan_week``): the
longer the queue, the longer the wait, and while a lead waits its readiness decays
(speed-to-lead: Oldroyd et al. 2011). Worked leads qualify into opportunities or are
dropped; leads nobody works within ``leads.max_age_weeks`` die. Dropped leads go back to
marketing's nurture when it exists and re-emerge as recycled leads (counted apart from
new MQLs), else back to the market. The share of new customers that came from
marketing's leads is an output (``metrics``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.common_random import Draw
from sim.numeric import TINY
from sim.organisation import LEAD, NURTURE, PROSPECT, mean_or_zero
from sim.selling import open_opportunities
from sim.weeks import DAYS_PER_WEEK

if TYPE_CHECKING:
    from sim.model import SilosimModel

CHANNELS = ("events", "webinars", "web", "lists")
#: the weekly tally of new leads per channel (priced per lead in sim/economics.py)
CHANNEL_TALLIES = {channel: f"leads_{channel}" for channel in CHANNELS}


def generate_leads(model: SilosimModel, week: int) -> None:
    """Marketers create leads, nurtured leads ripen, and the handoff policy routes them."""
    book, lp, pay = model.book, model.params.leads, model.marketing_pay
    pool = ((book.stage == PROSPECT) & (book.cooldown_until <= week)
            & (book.fit >= pay.min_fit)).nonzero()[0]
    log_fit = np.log(np.maximum(book.fit[pool], TINY))
    log_ready = np.log(lp.pick_readiness_floor + book.readiness[pool])
    taken = np.zeros(len(pool), bool)
    new = []
    channels = model.marketing_channels()
    means = [lp.leads_per_marketer * pay.volume_multiplier * len(m) for m in channels.values()]
    counts = model.chance.poisson(Draw.LEAD_COUNT, week, np.arange(len(channels)),
                                  np.array(means))
    # every channel's luck for every prospect in one pass (part: the channel)
    surprise = np.log(model.chance.uniform_parts(Draw.LEAD_PICK, week, pool, len(channels)))
    np.negative(surprise, out=surprise)
    for part, (channel, marketers) in enumerate(channels.items()):
        picks = pick_prospects(model, channel, marketers, int(counts[part]), surprise[part],
                               log_fit, log_ready, taken)
        taken[picks] = True
        model.tally[CHANNEL_TALLIES[channel]] += len(picks)
        new.append(pool[picks])
    new = np.concatenate(new) if new else np.empty(0, np.int64)
    book.stage[new] = LEAD
    book.readiness[new] = np.minimum(1.0, book.readiness[new] + pay.warming)
    ripe = ((book.stage == NURTURE) & (book.readiness >= lp.nurture_ready)).nonzero()[0]
    model.tally["leads_created"] += len(new)
    model.tally["leads_recycled"] += len(ripe)
    route_leads(model, np.concatenate([new, ripe]), week)


def pick_prospects(model: SilosimModel, channel: str, marketers: list, count: int,
                   surprise: np.ndarray, log_fit: np.ndarray, log_ready: np.ndarray,
                   taken: np.ndarray) -> np.ndarray:
    """Positions in the pool of the ``count`` prospects a channel's marketers turn into leads:
    fitter and readier ones as far as marketing targets buyers (its pay) and its segmentation
    is sharp (a weighted draw without replacement by exponential keys: the smallest
    ``surprise / weight``, where ``surprise`` is ``-log`` of the channel's uniform for each
    prospect of the pool)."""
    pay, lp = model.marketing_pay, model.params.leads
    free = (~taken).nonzero()[0]
    if count == 0 or len(free) == 0:
        return np.empty(0, np.int64)
    segmentation = sum(m.segmentation for m in marketers) / len(marketers)
    focus = getattr(lp, f"focus_{channel}")
    weight = np.exp(pay.targeting * ((1.0 + lp.segmentation_power * segmentation) * log_fit[free]
                                     + focus * log_ready[free]))
    take = min(count, len(free))
    return free[np.argpartition(surprise[free] / weight, take - 1)[:take]]


def route_leads(model: SilosimModel, leads: np.ndarray, week: int) -> None:
    """Apply the lead handoff policy: lost, nurtured, or queued at a rep who accepts it."""
    book, force, chance = model.book, model.force, model.chance
    handoff, lp = model.params.lead_handoff, model.params.leads
    loss, rep_luck, accept, notice_luck = chance.uniforms(
        (Draw.LEAD_LOSS, Draw.LEAD_REP, Draw.LEAD_ACCEPT, Draw.LEAD_NOTICE), week, leads)
    routing = model.lead_handoff.route(book.fit[leads], book.readiness[leads], model.frictions,
                                       handoff, loss)
    sellers = force.sellers()
    queued = ~routing.lost & ~routing.nurture
    if len(sellers) == 0:      # nobody to take leads this week: every queued lead is lost
        drop(model, leads[~routing.nurture], week)
        book.stage[leads[routing.nurture]] = NURTURE
        book.lead_since[leads[routing.nurture]] = week
        return
    anyone = sellers[(rep_luck * len(sellers)).astype(np.int64)]
    reps = np.where(routing.routed, least_loaded(model, sellers, len(leads)), anyone)
    accepted = queued & (accept < np.where(
        routing.routed, handoff.sla_commitment, lead_acceptance(model)[reps]))
    model.tally["leads_rejected"] += int(np.count_nonzero(queued & ~accepted))
    model.tally["leads_accepted"] += int(np.count_nonzero(accepted))
    drop(model, leads[routing.lost | (queued & ~accepted)], week)
    book.stage[leads[routing.nurture]] = NURTURE
    book.lead_since[leads[routing.nurture]] = week
    idx = leads[accepted]
    notice = np.where(routing.routed[accepted], lp.notice_days, lp.pickup_days)
    book.stage[idx] = LEAD
    book.lead_rep[idx] = reps[accepted]
    book.lead_since[idx] = week
    book.lead_wait[idx] = notice_luck[accepted] * notice
    book.lead_score[idx] = np.where(routing.routed[accepted], routing.score[accepted], 0.0)


def lead_acceptance(model: SilosimModel) -> np.ndarray:
    """Share of dumped leads each rep accepts: their trust, eroded by silo distrust (002, 004)."""
    distrust = model.params.leads.silo_distrust * model.frictions.lead_trust
    return model.force.lead_trust * (1.0 - distrust)


def least_loaded(model: SilosimModel, sellers: np.ndarray, n: int) -> np.ndarray:
    """Routing to 'the right rep': the sellers with the shortest lead queues, in turn."""
    queue = model.force.lead_queue[sellers]
    order = sellers[np.lexsort((-model.force.hours_hunting[sellers], queue))]
    return order[np.arange(n) % len(order)]


def queued_leads(model: SilosimModel) -> np.ndarray:
    """Open leads per seat (the queues ``plan_week`` budgets time for)."""
    book = model.book
    idx = (book.stage == LEAD).nonzero()[0]
    return np.bincount(book.lead_rep[idx], minlength=model.force.size).astype(float)


def follow_up_leads(model: SilosimModel, week: int) -> None:
    """Each rep works as many queued leads as their lead hours allow, best first.

    Routed leads go by score, dumped ones newest first. A worked lead has waited its
    weeks in the queue plus the days before the rep noticed it; its readiness has decayed
    with that wait, and it qualifies with its fit and what readiness is left.
    """
    book, force, chance = model.book, model.force, model.chance
    lp, tb = model.params.leads, model.params.time_budget
    idx = (book.stage == LEAD).nonzero()[0]
    if len(idx) == 0:
        force.lead_queue[:] = 0.0
        model.marketing_learns(0.0)
        return
    rep = book.lead_rep[idx]
    order = np.lexsort((-book.lead_since[idx], -book.lead_score[idx], rep))
    idx, rep = idx[order], rep[order]
    capacity = force.hours_leads / tb.hours_per_lead
    slots = np.floor(capacity) + (chance.seat_uniform(Draw.LEAD_SLOTS, week, force.size)
                                  < capacity % 1.0)
    rank = np.arange(len(idx)) - np.searchsorted(rep, rep)   # position in the rep's queue
    worked = (rank < slots[rep]) & force.occupied[rep]
    wait = DAYS_PER_WEEK * (week - book.lead_since[idx]) + book.lead_wait[idx]
    decay = 0.5 ** (wait / lp.readiness_half_life_days)
    readiness = lp.readiness_floor + (1.0 - lp.readiness_floor) * book.readiness[idx]
    qualify = lp.lead_qualify * book.fit[idx] * decay * readiness
    qualified = worked.copy()
    luck, cycle_luck = chance.uniforms((Draw.LEAD_QUALIFY, Draw.DEAL_CYCLE), week, idx[worked])
    qualified[worked] = luck < qualify[worked]
    tally = model.tally
    tally["leads_followed_up"] += int(np.count_nonzero(worked))
    tally["lead_wait_days"] += float(wait[worked].sum())
    tally["leads_qualified"] += int(np.count_nonzero(qualified))
    routed = book.lead_score[idx] > 0
    tally["leads_routed_followed"] += int(np.count_nonzero(worked & routed))
    tally["leads_within_sla"] += int(np.count_nonzero(
        worked & routed & (wait <= model.params.lead_handoff.sla_days)))
    learn_trust(model, rep[worked], qualified[worked])
    open_opportunities(model, idx[qualified], rep[qualified], week, from_lead=True,
                       cycle_luck=cycle_luck[qualified[worked]])
    expired = ~worked & (week - book.lead_since[idx] >= lp.max_age_weeks)
    tally["leads_expired"] += int(np.count_nonzero(expired))
    drop(model, idx[(worked & ~qualified) | expired], week)
    force.lead_queue = queued_leads(model)
    model.marketing_learns(mean_or_zero(worked))


def learn_trust(model: SilosimModel, reps: np.ndarray, qualified: np.ndarray) -> None:
    """Reps' trust follows what the leads they worked proved worth, against their own hunting.

    A lead is worth full trust when it qualifies at least as often per hour as the rep's own
    prospecting; trust also drifts back toward the prior marketing's messages set.
    """
    force, lp, s, tb = model.force, model.params.leads, model.params.selling, model.params.time_budget
    par = s.hunting_conversion * tb.hours_per_lead / tb.hours_per_pursuit
    worked = np.bincount(reps, minlength=force.size)
    hits = np.bincount(reps, weights=qualified.astype(float), minlength=force.size)
    worth = np.minimum(hits / np.maximum(worked, 1) / max(par, TINY), 1.0)
    step = 1.0 - (1.0 - lp.trust_learning) ** worked
    trust = force.lead_trust + step * (worth - force.lead_trust)
    force.lead_trust = trust + lp.trust_reversion * (lp.lead_trust - trust)


def drop(model: SilosimModel, leads: np.ndarray, week: int) -> None:
    """A lead that goes nowhere: back to marketing's nurture if it exists and the buyer has
    potential but is not ready yet (002: long-term potential, no current intent), else back
    to the market."""
    book, lp = model.book, model.params.leads
    book.lead_rep[leads] = -1
    book.lead_score[leads] = 0.0
    handoff = model.params.lead_handoff
    nurtured = (book.readiness[leads] < lp.nurture_ready) & (book.fit[leads] >= handoff.nurture_fit) \
        if handoff.nurture else np.zeros(len(leads), bool)
    book.stage[leads[nurtured]] = NURTURE
    book.lead_since[leads[nurtured]] = week
    released = leads[~nurtured]
    book.stage[released] = PROSPECT
    book.cooldown_until[released] = week + lp.lost_cooldown_weeks


def nurture_leads(model: SilosimModel, week: int) -> None:
    """Marketing keeps in touch with not-yet-ready leads, which ripen (002); one that has not
    ripened within ``leads.nurture_weeks`` goes back to the market."""
    book, lp = model.book, model.params.leads
    held = (book.stage == NURTURE).nonzero()[0]
    book.readiness[held] = np.minimum(1.0, book.readiness[held] + lp.nurture_gain)
    stale = held[week - book.lead_since[held] >= lp.nurture_weeks]
    book.stage[stale] = PROSPECT


def message_inconsistency(model: SilosimModel) -> float:
    """How far what marketing says and what sales says diverge, in [0, 1] (004, 002)."""
    lp = model.params.leads
    collateral = mean_or_zero(np.array([m.collateral for m in model.marketers]))
    gap = model.frictions.messaging * (1.0 - lp.collateral_alignment * collateral) \
        + lp.stale_collateral * (1.0 - collateral)
    return float(min(max(gap, 0.0), 1.0))
