"""An early-experience team of the most tech-savvy reps only (001 warns against it).

Enthusiasts first, in random order, then others only if the team is not yet full. The
tool is tuned to them, and their enthusiasm does not persuade reluctant reps or avoiders,
who see them as unlike themselves (``eet.*`` in the tech_savvy profile).
"""

import numpy as np

from scenarios.registry import register
from sim.tech_affinity import ENTHUSIAST


@register("eet_selection", "tech_savvy")
class TechSavvyEET:
    @staticmethod
    def members(segment: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
        size = max(1, round(share * len(segment)))
        keen_first = np.lexsort((rng.random(len(segment)), segment != ENTHUSIAST))
        chosen = np.zeros(len(segment), bool)
        chosen[keen_first[:size]] = True
        return chosen
