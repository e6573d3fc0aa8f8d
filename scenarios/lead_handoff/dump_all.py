"""Dump all leads on sales: no scoring, no routing, no SLA (002, 004).

Some leads never reach a rep (004: the booth leads nobody followed up); the rest land on
whichever rep gets them, who takes them as far as they trust marketing's leads.
"""

import numpy as np

from scenarios.lead_handoff import LeadRouting
from scenarios.registry import register


@register("lead_handoff", "dump_all")
class DumpAll:
    @staticmethod
    def route(fit, readiness, frictions, handoff, chance) -> LeadRouting:
        n = len(fit)
        lost = chance < handoff.loss_unrouted * frictions.lead_loss
        return LeadRouting(lost=lost, nurture=np.zeros(n, bool), routed=np.zeros(n, bool),
                           score=np.zeros(n))
