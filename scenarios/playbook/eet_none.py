"""No early-experience team: designers hear users only second-hand (001 action 3)."""

import numpy as np

from scenarios.registry import register


@register("eet_selection", "none")
class NoEET:
    @staticmethod
    def members(segment: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
        return np.zeros(len(segment), bool)
