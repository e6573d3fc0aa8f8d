"""Incentive structure: rep pay basis, marketing pay basis, and the pay transition (001, 002, 004).

Interfaces:
- ``rep_pay``: ``basis(credit, team, quotas) -> array`` — what each rep's variable pay
  follows, given this week's booking credit per seat, each seat's team and the quarter's
  quotas (``sim.quotas.QuotaBook``: quotas, credit to date, ``accelerated_pay``).
- ``marketing_pay``: ``volume_multiplier`` (leads generated relative to a neutral plan),
  ``min_fit`` (fit below which marketing does not pass a lead on), ``targeting`` (how
  far marketing picks prospects by fit and buying intent rather than for the count, in
  [0, 1]), ``warming`` (buying readiness marketing's own engagement adds to a lead
  before it is handed on: invitations, webinars, calls, 002) and
  ``seeks_feedback`` (how hard marketing asks sales what worked, in [0, 1]).
- ``pay_transition``: ``floors_income(weeks_since_rollout, months) -> bool`` — whether a
  rep's income ratio is held at no less than before the change.
"""

from scenarios.registry import import_policies

import_policies(__name__, __path__)
