"""Marketing's budget and bonus set by closed revenue, not activity (002)."""

from scenarios.registry import register


@register("marketing_pay", "closed_revenue")
class ClosedRevenue:
    volume_multiplier = 0.85
    min_fit = 0.45
    seeks_feedback = 1.0
