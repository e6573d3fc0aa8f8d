"""Hunter → farmer right after the first sale (003)."""

import numpy as np

from scenarios.registry import register


@register("account_handoff", "at_first_sale")
class AtFirstSale:
    two_roles = True

    @staticmethod
    def due(weeks_since_win: np.ndarray, developed: np.ndarray, handoff) -> np.ndarray:
        return weeks_since_win >= 0
