"""No pay transition plan: the learning-curve dip lands on commissioned pay (001)."""

from scenarios.registry import register


@register("pay_transition", "none")
class NoTransition:
    @staticmethod
    def floors_income(weeks_since_rollout: float, months: int) -> bool:
        return False
