"""Marketing's budget and bonus set by closed revenue, not activity (002)."""

from scenarios.incentives import MarketingPlan
from scenarios.registry import register
from sim.params import MarketingParams


@register("marketing_pay", "closed_revenue")
class ClosedRevenue:
    @staticmethod
    def plan(marketing: MarketingParams) -> MarketingPlan:
        return MarketingPlan(volume_multiplier=marketing.volume_closed_revenue,
                             min_fit=marketing.min_fit_closed_revenue,
                             targeting=marketing.targeting_closed_revenue,
                             warming=marketing.warming_closed_revenue,
                             seeks_feedback=marketing.feedback_closed_revenue)
