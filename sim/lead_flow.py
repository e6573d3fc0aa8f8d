"""Marketing lead generation, the lead handoff, follow-up and nurture (002, 004).

Marketers turn budget into leads. How many and how good depends on what marketing
is paid for (vanity volume or revenue) and on a segmentation that only sharpens
with feedback from sales. The lead handoff policy decides what reaches sales and
how fast; while a lead waits its readiness decays (speed-to-lead: Oldroyd et al.
2011). A rep follows up the leads they trust and have time for; qualified leads
become opportunities, the rest die or, with nurture on, go back to marketing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.organisation import LEAD, NURTURE, PROSPECT
from sim.selling import open_opportunities

if TYPE_CHECKING:
    from sim.model import SilosimModel

LOST_LEAD_COOLDOWN = 2    # weeks before marketing passes a dropped lead on again
NURTURE_READY = 0.55      # readiness at which a nurtured lead is passed on again
CHANNEL_FOCUS = {"events": 1.0, "webinars": 1.5, "web": 2.0, "lists": 0.0}


def generate_leads(model: SilosimModel, week: int) -> None:
    """Marketers create leads, nurtured leads ripen, and the handoff policy routes them."""
    book = model.book
    new = [pick_prospects(model, channel, team, week)
           for channel, team in model.marketing_channels().items()]
    ripe = np.flatnonzero((book.stage == NURTURE) & (book.readiness >= NURTURE_READY))
    leads = np.concatenate([*new, ripe]).astype(np.int64)
    model.tally["leads_created"] += len(leads)
    route_leads(model, leads, week)


def pick_prospects(model: SilosimModel, channel: str, marketers: list, week: int) -> np.ndarray:
    """Prospects a channel's marketers turn into leads: fitter and readier ones when segmented."""
    book, rng, pay = model.book, model.rng, model.marketing_pay
    count = rng.poisson(model.params.leads.leads_per_marketer * pay.volume_multiplier
                        * len(marketers))
    pool = np.flatnonzero((book.stage == PROSPECT) & (book.cooldown_until <= week)
                          & (book.fit >= pay.min_fit))
    if count == 0 or len(pool) == 0:
        return np.empty(0, np.int64)
    segmentation = float(np.mean([m.segmentation for m in marketers]))
    weight = book.fit[pool] ** (1.0 + 4.0 * segmentation) * \
        (0.05 + book.readiness[pool]) ** CHANNEL_FOCUS[channel]
    chosen = rng.choice(pool, size=min(count, len(pool)), replace=False, p=weight / weight.sum())
    book.stage[chosen] = LEAD
    return chosen


def route_leads(model: SilosimModel, leads: np.ndarray, week: int) -> None:
    """Apply the lead handoff policy: lost, nurtured, or queued at a rep with a wait."""
    book, force, rng = model.book, model.force, model.rng
    routing = model.lead_handoff.route(book.fit[leads], book.readiness[leads], model.frictions,
                                       model.params.leads, model.params.lead_handoff, rng)
    drop(model, leads[routing.lost], week)
    book.stage[leads[routing.nurture]] = NURTURE
    queued = ~routing.lost & ~routing.nurture
    sellers = force.sellers()
    if len(sellers) == 0:
        drop(model, leads[queued], week)
        return
    reps = np.where(routing.routed, least_loaded(force, sellers, len(leads)),
                    rng.choice(sellers, size=len(leads)))
    idx = leads[queued]
    book.stage[idx] = LEAD
    book.lead_rep[idx] = reps[queued]
    book.lead_wait[idx] = routing.wait_days[queued]
    book.lead_follow[idx] = routing.follow_prob[queued]
    force.lead_queue = np.bincount(book.lead_rep[idx], minlength=force.size).astype(float)


def least_loaded(force, sellers: np.ndarray, n: int) -> np.ndarray:
    """Routing to 'the right rep': the sellers with most hunting time, in turn."""
    order = sellers[np.argsort(-force.hours_hunting[sellers], kind="stable")]
    return order[np.arange(n) % len(order)]


def follow_up_leads(model: SilosimModel, week: int) -> None:
    """Reps follow up what they trust and have time for; readiness decays with the wait."""
    book, force, rng, lp = model.book, model.force, model.rng, model.params.leads
    idx = np.flatnonzero(book.stage == LEAD)
    if len(idx) == 0:
        return
    rep = book.lead_rep[idx]
    capacity = force.hours_leads / model.params.time_budget.hours_per_lead
    share = np.where(force.lead_queue > 0, capacity / np.maximum(force.lead_queue, 1e-9), 0.0)
    followed = rng.random(len(idx)) < book.lead_follow[idx] * np.minimum(share[rep], 1.0) * \
        force.occupied[rep]
    decay = 0.5 ** (book.lead_wait[idx] / lp.readiness_half_life_days)
    qualify = lp.lead_qualify * book.fit[idx] * decay * (0.3 + 0.7 * book.readiness[idx])
    qualified = followed & (rng.random(len(idx)) < qualify)
    model.tally["leads_followed_up"] += int(followed.sum())
    model.tally["lead_wait_days"] += float(book.lead_wait[idx][followed].sum())
    model.tally["leads_qualified"] += int(qualified.sum())
    open_opportunities(model, idx[qualified], rep[qualified], week, from_lead=True)
    drop(model, idx[~qualified], week)
    force.lead_queue[:] = 0.0
    share_followed = followed.mean()
    feedback = model.marketing_pay.seeks_feedback * (1.0 - model.frictions.feedback)
    for marketer in model.marketers:
        marketer.learn_from_sales(feedback * share_followed, lp.collateral_decay)


def drop(model: SilosimModel, leads: np.ndarray, week: int) -> None:
    """A lead nobody works: back to marketing's nurture if it exists, else back to the market."""
    book = model.book
    book.lead_rep[leads] = -1
    if model.params.lead_handoff.nurture:
        book.stage[leads] = NURTURE
    else:
        book.stage[leads] = PROSPECT
        book.cooldown_until[leads] = week + LOST_LEAD_COOLDOWN


def nurture_leads(model: SilosimModel) -> None:
    """Marketing keeps in touch with not-yet-ready leads, which ripen (002)."""
    book = model.book
    held = book.stage == NURTURE
    book.readiness[held] = np.minimum(1.0, book.readiness[held] + model.params.leads.nurture_gain)


def message_inconsistency(model: SilosimModel) -> float:
    """How far what marketing says and what sales says diverge, in [0, 1] (004, 002)."""
    collateral = float(np.mean([m.collateral for m in model.marketers]))
    return float(np.clip(model.frictions.messaging * (1.0 - 0.5 * collateral)
                         + 0.2 * (1.0 - collateral), 0.0, 1.0))

