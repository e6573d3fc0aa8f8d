"""The customer's side: the buying journey, satisfaction and renewal (003, 004).

Prospects move through their buying journey on their own — most of the decision is
made before they talk to sales (004) — and one that gets ready without being
served buys elsewhere. A subscriber's satisfaction follows the care it gets, its
relationship with its rep, what the CRM knows about it, and whether marketing and
sales tell it the same story; at each contract anniversary it renews with a chance
that rises with satisfaction and with its relationship to its rep (customers like
keeping the rep who sold to them, 003), or churns back into the market.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.organisation import NEVER, PROSPECT, SUBSCRIBER

if TYPE_CHECKING:
    from sim.model import SilosimModel

CHURN_COOLDOWN = 52      # weeks before a churned customer can be won back
RELATIONSHIP_RENEWAL = 0.3  # renewal gained per unit of relationship with the current rep (003)
INSIDE_SALES_RAPPORT = 0.85  # relationship built by video/chat relative to field visits (003)


def buying_journey(model: SilosimModel) -> None:
    """Prospects' readiness drifts up; one that is ready and unserved buys elsewhere."""
    book, rng = model.book, model.rng
    idx = np.flatnonzero(book.stage == PROSPECT)
    ready = book.readiness[idx] + rng.normal(0.006, 0.02, len(idx))
    bought_elsewhere = ready >= 1.0
    book.readiness[idx] = np.where(bought_elsewhere, 0.05, np.clip(ready, 0.0, 1.0))


def care_for_accounts(model: SilosimModel, week: int) -> None:
    """Satisfaction, relationship and CRM knowledge of every subscriber move with the care given."""
    book, force, p = model.book, model.force, model.params
    subs = np.flatnonzero(book.stage == SUBSCRIBER)
    owner = book.owner[subs]
    care = np.minimum(model.care[subs], 1.0)
    rapport = np.where(p.account_handoff.inside_sales_farmers & (force.role[owner] == 2),
                       INSIDE_SALES_RAPPORT, 1.0)
    rel = book.relationship[subs]
    book.relationship[subs] = rel + 0.01 * care * rapport * (1.0 - rel) - 0.01 * rel * (care < 0.3)
    know = book.knowledge[subs]
    book.knowledge[subs] = know + 0.02 * force.adoption[owner] * (1.0 - know) - 0.002 * know
    target = (0.3 + 0.4 * care + 0.2 * book.relationship[subs] + 0.1 * book.knowledge[subs]
              - 0.5 * p.selling.messaging_weight * model.inconsistency)
    sat = book.satisfaction[subs]
    book.satisfaction[subs] = np.clip(sat + 0.08 * (target - sat), 0.0, 1.0)


def renew_or_churn(model: SilosimModel, week: int) -> None:
    """Anniversary renewals: satisfied customers stay, the others churn (003)."""
    book, rng, s = model.book, model.rng, model.params.selling
    due = np.flatnonzero((book.stage == SUBSCRIBER) & (week > book.start_week)
                         & ((week - book.start_week) % 52 == 0))
    if len(due) == 0:
        return
    chance = np.clip(s.renewal_base + s.renewal_slope * (book.satisfaction[due] - 0.6)
                     + RELATIONSHIP_RENEWAL * (book.relationship[due] - 0.6), 0.02, 0.995)
    renewed = rng.random(len(due)) < chance
    gone = due[~renewed]
    model.tally["churned"] += len(gone)
    model.tally["renewals_due"] += len(due)
    book.stage[gone] = PROSPECT
    book.owner[gone] = -1
    book.hunter[gone] = -1
    book.contract[gone] = 0.0
    book.potential[gone] = 0.0
    book.intro_until[gone] = NEVER
    book.readiness[gone] = 0.0
    book.cooldown_until[gone] = week + CHURN_COOLDOWN
