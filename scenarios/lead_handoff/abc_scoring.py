"""Agreed A/B/C lead scoring with routing and a response SLA (002).

Sales and marketing grade every lead by one standard. A and B leads go straight to the
right rep, who accepts them as agreed and answers within the SLA (Visible Technologies:
1-2 days). C leads are not passed on; those with long-term potential (fit at least
``nurture_fit``) but no current intent stay with marketing to nurture, if nurture is on.
"""

import numpy as np

from scenarios.lead_handoff import LeadRouting
from scenarios.registry import register


@register("lead_handoff", "abc_scoring")
class ABCScoring:
    @staticmethod
    def grade(fit: np.ndarray, readiness: np.ndarray, unready: float) -> np.ndarray:
        """Score in [0, 1]: fit weighted by how far the buyer is through their journey; a buyer
        with no readiness scores ``unready`` (``lead_handoff.grade_unready``) of a ready one."""
        return fit * (unready + (1.0 - unready) * readiness)

    @classmethod
    def route(cls, fit, readiness, frictions, handoff, chance) -> LeadRouting:
        score = cls.grade(fit, readiness, handoff.grade_unready)
        grade_c = score < handoff.grade_b
        nurture = grade_c & handoff.nurture & (fit >= handoff.nurture_fit)
        lost = ~nurture & (grade_c | (chance < handoff.loss_routed
                                      * frictions.lead_loss))
        return LeadRouting(lost=lost, nurture=nurture, routed=~grade_c & ~lost, score=score)
