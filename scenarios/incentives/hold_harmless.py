"""Hold-harmless: for N months from roll-out no rep earns less than before (001 action 5)."""

from scenarios.registry import register
from sim.weeks import WEEKS_PER_MONTH


@register("pay_transition", "hold_harmless")
class HoldHarmless:
    @staticmethod
    def floors_income(weeks_since_rollout: float, months: int) -> bool:
        return 0 <= weeks_since_rollout < months * WEEKS_PER_MONTH
