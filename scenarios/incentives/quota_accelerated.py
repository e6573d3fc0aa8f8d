"""Commission against a quarterly quota, with accelerators above quota and a cap (issue 23).

The typical enterprise plan: each $ of the rep's own credit pays at the base rate up to the
quarter's quota, at ``quotas.accelerator`` times it above, and nothing above ``quotas.cap``
times quota. The numbers are ``quotas.*`` parameters; ``sim.quotas`` computes the pay.
"""

import numpy as np

from scenarios.registry import register


@register("rep_pay", "quota_accelerated")
class QuotaAccelerated:
    """Each rep's variable pay follows their own credit, bent by their quota."""

    @staticmethod
    def basis(credit: np.ndarray, team: np.ndarray, quotas) -> np.ndarray:
        return quotas.accelerated_pay(credit)
