"""Incentive structure: rep pay basis, marketing pay basis, and the pay transition (001, 002, 004).

Interfaces:
- ``rep_pay``: ``basis(credit, team, quotas) -> array`` — what each rep's variable pay
  follows, given this week's booking credit per seat, each seat's team and the quarter's
  quotas (``sim.quotas.QuotaBook``: quotas, credit to date, ``accelerated_pay``).
- ``marketing_pay``: ``plan(marketing) -> MarketingPlan`` — what marketing does when paid
  this way, read from its own ``marketing.<quantity>_<scheme>`` parameters.
- ``pay_transition``: ``floors_income(weeks_since_rollout, months) -> bool`` — whether a
  rep's income ratio is held at no less than before the change.

A policy holds no numbers of its own: every coefficient is a schema parameter.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class MarketingPlan:
    """What marketing does under one pay scheme (``sim/lead_flow.py`` and the model read it)."""

    volume_multiplier: float   # leads generated relative to a neutral plan
    min_fit: float             # fit below which marketing does not pass a lead on
    targeting: float           # how far it picks prospects by fit and intent, in [0, 1]
    warming: float             # buying readiness its own engagement adds to a lead (002)
    seeks_feedback: float      # how hard it asks sales what worked, in [0, 1]


from scenarios.registry import import_policies  # noqa: E402  (policies need MarketingPlan)

import_policies(__name__, __path__)
