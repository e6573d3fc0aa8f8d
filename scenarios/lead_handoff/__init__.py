"""Lead handoff policies: how a marketing lead reaches a rep (002).

A policy is registered as ``lead_handoff`` and implements
``route(fit, readiness, frictions, handoff, chance) -> LeadRouting`` (``chance``: one uniform
per lead, keyed on the lead's customer and week, ``sim/common_random.py``): for each lead, whether
it is lost before sales sees it, kept by marketing to nurture, and routed to the right
rep with a score (or dumped on whoever gets it). Everything after — acceptance by the
rep, the queue, the wait and readiness decaying while it lasts, qualification, nurture —
is one mechanism in ``sim/lead_flow.py``; the policy's numbers are ``lead_handoff.*``
parameters.
"""

from dataclasses import dataclass

import numpy as np


@dataclass
class LeadRouting:
    """The handoff's decision for a batch of new leads (arrays of equal length)."""

    lost: np.ndarray
    nurture: np.ndarray
    routed: np.ndarray
    score: np.ndarray     # the agreed score of routed leads, in [0, 1] (0 when not scored)


from scenarios.registry import import_policies  # noqa: E402  (policies need LeadRouting)

import_policies(__name__, __path__)
