"""Incentive structure: rep pay basis, marketing pay basis, and the pay transition (001, 002, 004).

Interfaces:
- ``rep_pay``: ``basis(credit, team) -> array`` — what each rep's variable pay follows,
  given this week's booking credit per seat and each seat's team.
- ``marketing_pay``: ``volume_multiplier`` (leads generated relative to a neutral plan),
  ``min_fit`` (fit below which marketing does not pass a lead on) and
  ``seeks_feedback`` (how hard marketing asks sales what worked, in [0, 1]).
- ``pay_transition``: ``floors_income(weeks_since_rollout, months) -> bool`` — whether a
  rep's income ratio is held at no less than before the change.
"""

from scenarios.registry import import_policies

import_policies(__name__, __path__)
