"""A representative early-experience team: a cross-section of the sales force (001 action 3).

Its feedback fits the tool to the average rep, and its members — reluctant reps and
avoiders among them — become credible peer advocates at launch.
"""

import numpy as np

from scenarios.registry import register


@register("eet", "representative")
class RepresentativeEET:
    heard = (1.0, 1.0, 1.0)
    credible_to_all = True
    feature_appetite = 0.0

    @staticmethod
    def members(segment: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
        chosen = np.zeros(len(segment), bool)
        for value in np.unique(segment):
            seats = np.flatnonzero(segment == value)
            size = max(1, round(share * len(seats)))
            chosen[rng.choice(seats, size=min(size, len(seats)), replace=False)] = True
        return chosen
