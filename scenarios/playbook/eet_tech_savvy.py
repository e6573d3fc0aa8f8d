"""An early-experience team of the most tech-savvy reps only (001 warns against it).

The tool is tuned to enthusiasts, and their enthusiasm does not persuade reluctant
reps or avoiders, who see them as unlike themselves.
"""

import numpy as np

from scenarios.registry import register
from sim.tech_affinity import ENTHUSIAST


@register("eet", "tech_savvy")
class TechSavvyEET:
    heard = (1.0, 0.25, 0.1)
    credible_to_all = False
    feature_appetite = 0.5

    @staticmethod
    def members(segment: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
        size = max(1, round(share * len(segment)))
        keen_first = np.lexsort((rng.random(len(segment)), segment != ENTHUSIAST))
        chosen = np.zeros(len(segment), bool)
        chosen[keen_first[:size]] = True
        return chosen
