"""Hunter → farmer a set number of months after the sale (003: 6-12 months)."""

import numpy as np

from scenarios.registry import register
from sim.weeks import WEEKS_PER_MONTH


@register("account_handoff", "after_months")
class AfterMonths:
    two_roles = True

    @staticmethod
    def due(weeks_since_win: np.ndarray, developed: np.ndarray, handoff) -> np.ndarray:
        return weeks_since_win >= handoff.months * WEEKS_PER_MONTH
