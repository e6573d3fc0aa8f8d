"""No early-experience team: designers hear users only second-hand (001 action 3)."""

import numpy as np

from scenarios.registry import register


@register("eet", "none")
class NoEET:
    heard = (0.3, 0.3, 0.3)
    credible_to_all = False
    feature_appetite = 0.0

    @staticmethod
    def members(segment: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
        return np.zeros(len(segment), bool)
