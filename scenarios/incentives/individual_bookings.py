"""Commission on the rep's own bookings: the typical plan (001: substantial variable pay)."""

import numpy as np

from scenarios.registry import register


@register("rep_pay", "individual_bookings")
class IndividualBookings:
    """Each rep's variable pay follows their own booking credit, so their own dips hurt."""

    @staticmethod
    def basis(credit: np.ndarray, team: np.ndarray, quotas) -> np.ndarray:
        return credit
