"""Hunter → farmer once a share of the account's potential is developed (003: ~40%)."""

import numpy as np

from scenarios.registry import register


@register("account_handoff", "at_potential_share")
class AtPotentialShare:
    two_roles = True

    @staticmethod
    def due(weeks_since_win: np.ndarray, developed: np.ndarray, handoff) -> np.ndarray:
        return developed >= handoff.potential_share
