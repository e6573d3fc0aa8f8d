"""Marketing's budget and bonus set by closed revenue, not activity (002)."""

from scenarios.registry import register


@register("marketing_pay", "closed_revenue")
class ClosedRevenue:
    volume_multiplier = 0.85
    min_fit = 0.3
    targeting = 1.0
    warming = 0.2
    seeks_feedback = 1.0
