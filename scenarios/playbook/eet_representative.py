"""A representative early-experience team: a cross-section of the sales force (001 action 3).

Each tech-affinity segment sends its share of members, so reluctant reps and avoiders are
in the team too; their feedback fits the tool to the average rep, and they become credible
peer advocates at launch (``eet.*`` in the representative profile).
"""

import numpy as np

from scenarios.registry import register


@register("eet_selection", "representative")
class RepresentativeEET:
    @staticmethod
    def members(segment: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
        chosen = np.zeros(len(segment), bool)
        for value in np.unique(segment):
            seats = np.flatnonzero(segment == value)
            size = max(1, round(share * len(seats)))
            chosen[rng.choice(seats, size=min(size, len(seats)), replace=False)] = True
        return chosen
