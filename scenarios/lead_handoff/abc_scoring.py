"""Agreed A/B/C lead scoring with routing and a response SLA (002).

Sales and marketing grade every lead by one standard. A and B leads go straight to
the right rep, who answers within the SLA (Visible Technologies: 1-2 days). C leads,
with potential but no current intent, stay with marketing to nurture if nurture is
on, and are otherwise not passed on.
"""

import numpy as np

from scenarios.lead_handoff import LeadRouting
from scenarios.registry import register

GRADE_A, GRADE_B = 0.45, 0.25


@register("lead_handoff", "abc_scoring")
class ABCScoring:
    @staticmethod
    def grade(fit: np.ndarray, readiness: np.ndarray) -> np.ndarray:
        """Score in [0, 1]: fit weighted by how far the buyer is through their journey."""
        return fit * (0.4 + 0.6 * readiness)

    @classmethod
    def route(cls, fit, readiness, frictions, leads, handoff, rng) -> LeadRouting:
        n = len(fit)
        score = cls.grade(fit, readiness)
        grade_c = score < GRADE_B
        nurture = grade_c & handoff.nurture
        lost = (grade_c & (not handoff.nurture)) | (rng.random(n) < 0.15 * frictions.lead_loss)
        wait = handoff.sla_days * rng.uniform(0.3, 1.0, n)
        follow = np.where(score >= GRADE_A, 0.95, 0.85 * (1.0 - 0.3 * frictions.lead_trust))
        return LeadRouting(lost=lost & ~nurture, nurture=nurture, routed=~grade_c,
                           wait_days=wait, follow_prob=follow)
