"""Dump all leads on sales: no scoring, no routing, no SLA (002, 004).

Some leads never reach a rep (004: the booth leads nobody followed up), the rest sit
until someone picks them up, and reps who distrust marketing's leads skip many.
"""

import numpy as np

from scenarios.lead_handoff import LeadRouting
from scenarios.registry import register


@register("lead_handoff", "dump_all")
class DumpAll:
    @staticmethod
    def route(fit, readiness, frictions, leads, handoff, rng) -> LeadRouting:
        n = len(fit)
        lost = rng.random(n) < 0.6 * frictions.lead_loss
        wait = 2.0 + 8.0 * frictions.lead_loss + rng.exponential(leads.pickup_days, n)
        follow = np.full(n, leads.lead_trust * (1.0 - 0.7 * frictions.lead_trust))
        return LeadRouting(lost=lost, nurture=np.zeros(n, bool), routed=np.zeros(n, bool),
                           wait_days=wait, follow_prob=follow)
