"""The customer's side: the buying journey, satisfaction and renewal (003, 004).

Prospects move through their buying journey on their own — most of the decision is
made before they talk to sales (004) — and one that gets ready without being
served buys elsewhere. A subscriber's satisfaction follows the care it gets, its
relationship with its rep, what the CRM knows about it, and whether marketing and
sales tell it the same story; at each contract anniversary it renews with a chance
that rises with satisfaction and with its relationship to its rep (customers like
keeping the rep who sold to them, 003), or churns back into the market. Every
coefficient is a ``customers.*`` parameter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.common_random import Draw
from sim.organisation import FARMER, PROSPECT, SUBSCRIBER
from sim.weeks import NEVER, YEAR

if TYPE_CHECKING:
    from sim.model import SilosimModel

def buying_journey(model: SilosimModel, week: int) -> None:
    """Prospects' readiness drifts up; one that is ready and unserved buys elsewhere."""
    book, c = model.book, model.params.customers
    idx = (book.stage == PROSPECT).nonzero()[0]
    ready = book.readiness[idx] + c.readiness_drift + c.readiness_noise * model.chance.normal(
        Draw.READINESS, week, idx)
    bought_elsewhere = ready >= 1.0
    book.readiness[idx] = np.where(bought_elsewhere, c.readiness_after_purchase,
                                   ready.clip(0.0, 1.0))


def care_for_accounts(model: SilosimModel, week: int) -> None:
    """Satisfaction, relationship and CRM knowledge of every subscriber move with the care given."""
    book, force, p = model.book, model.force, model.params
    c = p.customers
    subs = (book.stage == SUBSCRIBER).nonzero()[0]
    owner = book.owner[subs]
    care = np.minimum(model.care[subs], 1.0)
    rapport = np.where(p.account_handoff.inside_sales_farmers & (force.role == FARMER),
                       c.inside_sales_rapport, 1.0)[owner]
    rel = book.relationship[subs]
    book.relationship[subs] = (rel + c.relationship_gain * care * rapport * (1.0 - rel)
                               - c.relationship_loss * rel * (care < c.neglect_care))
    know = book.knowledge[subs]
    book.knowledge[subs] = (know + c.knowledge_gain * model.crm_use(owner) * (1.0 - know)
                            - c.knowledge_decay * know)
    target = (c.satisfaction_base + c.satisfaction_care * care
              + c.satisfaction_relationship * book.relationship[subs]
              + c.satisfaction_knowledge * book.knowledge[subs]
              - c.satisfaction_messaging * p.selling.messaging_weight * model.inconsistency)
    sat = book.satisfaction[subs]
    book.satisfaction[subs] = (sat + c.satisfaction_rate * (target - sat)).clip(0.0, 1.0)


def renew_or_churn(model: SilosimModel, week: int) -> None:
    """Anniversary renewals: satisfied customers stay, the others churn (003)."""
    book, c = model.book, model.params.customers
    subs = (book.stage == SUBSCRIBER).nonzero()[0]
    start = book.start_week[subs]
    due = subs[(week > start) & ((week - start) % YEAR == 0)]
    if len(due) == 0:
        return
    chance = (c.renewal_base + c.renewal_slope * (book.satisfaction[due] - c.renewal_pivot)
              + c.relationship_renewal * (book.relationship[due] - c.renewal_pivot)
              ).clip(c.renewal_floor, c.renewal_ceiling)
    renewed = model.chance.uniform(Draw.RENEWAL, week, due) < chance
    gone = due[~renewed]
    first = week - book.won_week[due] <= YEAR   # the first renewal after the first sale
    model.tally["churned"] += len(gone)
    model.tally["renewals_due"] += len(due)
    model.tally["first_renewals_due"] += int(np.count_nonzero(first))
    model.tally["first_renewals_lost"] += int(np.count_nonzero(first & ~renewed))
    book.stage[gone] = PROSPECT
    book.owner[gone] = -1
    book.hunter[gone] = -1
    book.opp_rep[gone] = -1
    book.contract[gone] = 0.0
    book.potential[gone] = 0.0
    book.intro_until[gone] = NEVER
    book.bonus_until[gone] = NEVER
    book.readiness[gone] = 0.0
    book.cooldown_until[gone] = week + c.churn_cooldown_weeks
