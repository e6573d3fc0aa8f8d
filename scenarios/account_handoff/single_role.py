"""Single role: the rep who wins an account keeps it and farms it (003).

Clear ownership and no handoff errors, but as the book grows urgent and easy farming
crowds out hunting.
"""

import numpy as np

from scenarios.registry import register


@register("account_handoff", "single_role")
class SingleRole:
    two_roles = False

    @staticmethod
    def due(weeks_since_win: np.ndarray, developed: np.ndarray, handoff) -> np.ndarray:
        return np.zeros(len(weeks_since_win), bool)
