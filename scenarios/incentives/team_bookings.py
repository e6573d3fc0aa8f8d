"""Commission on the team's bookings: pooled pay smooths each rep's learning-curve dip."""

import numpy as np

from scenarios.registry import register


@register("rep_pay", "team_bookings")
class TeamBookings:
    """Each rep's variable pay follows the mean credit of their manager's team."""

    @staticmethod
    def basis(credit: np.ndarray, team: np.ndarray, quotas) -> np.ndarray:
        totals = np.bincount(team, weights=credit)
        sizes = np.bincount(team)
        return (totals / np.maximum(sizes, 1))[team]
