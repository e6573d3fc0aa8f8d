"""Quota from the territory: what the seat's territory produced over the last year."""

import numpy as np

from scenarios.registry import register


@register("quota", "territory")
class Territory:
    """Each seat is a territory (it keeps it when its rep changes): last year's production of
    the territory, plus the growth asked for — the most common way quotas are set."""

    @staticmethod
    def base(history: np.ndarray, book: np.ndarray, role: np.ndarray, occupied: np.ndarray,
             book_weight: float) -> np.ndarray:
        return history
