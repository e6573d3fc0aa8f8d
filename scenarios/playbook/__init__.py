"""The programme's playbook: who leads it, how it delivers, who tries it first (000, 001).

Interfaces:
- ``leader``: ``initial_fit``, ``initial_complexity``, ``late_feature_acceptance``,
  ``friction_factor``, ``simplicity`` and ``learns_from_users`` — numbers that say
  how the leader shapes the tool and the IT-business friction.
- ``delivery``: ``build_weeks(programme)``, ``pilot_weeks``, ``rollout_weeks``,
  ``learning_cadence(programme)`` (weeks between feedback-driven improvements),
  ``learning_factor`` and ``keeps_team(programme)`` (whether a team keeps improving
  the tool after roll-out).
- ``eet``: ``members(segment, share, rng) -> bool array``, ``heard`` (how much each
  tech-affinity segment's needs reach the designers) and ``credible_to_all``
  (whether members persuade reps unlike themselves) and ``feature_appetite``
  (power-user features asked for per round of feedback, which add complexity).
"""

from scenarios.registry import import_policies

import_policies(__name__, __path__)
