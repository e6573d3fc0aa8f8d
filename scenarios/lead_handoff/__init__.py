"""Lead handoff policies: how a marketing lead reaches a rep, and how fast (002).

A policy is registered as ``lead_handoff`` and implements
``route(fit, readiness, frictions, leads, handoff, rng) -> LeadRouting``: for each new
lead, whether it is lost before sales sees it, kept by marketing to nurture, routed
to the right rep (or dumped on whoever picks it up), how many days it waits, and how
likely the rep is to follow it up. What then happens to the lead (readiness decaying
while it waits, qualification, nurture) is one mechanism in ``sim/lead_flow.py``.
"""

from dataclasses import dataclass

import numpy as np


@dataclass
class LeadRouting:
    """The handoff's decision for a batch of new leads (arrays of equal length)."""

    lost: np.ndarray
    nurture: np.ndarray
    routed: np.ndarray
    wait_days: np.ndarray
    follow_prob: np.ndarray


from scenarios.registry import import_policies  # noqa: E402  (policies need LeadRouting)

import_policies(__name__, __path__)
