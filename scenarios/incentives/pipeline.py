"""Marketing paid on pipeline created: leads must at least qualify (002)."""

from scenarios.incentives import MarketingPlan
from scenarios.registry import register
from sim.params import MarketingParams


@register("marketing_pay", "pipeline")
class Pipeline:
    @staticmethod
    def plan(marketing: MarketingParams) -> MarketingPlan:
        return MarketingPlan(volume_multiplier=marketing.volume_pipeline,
                             min_fit=marketing.min_fit_pipeline,
                             targeting=marketing.targeting_pipeline,
                             warming=marketing.warming_pipeline,
                             seeks_feedback=marketing.feedback_pipeline)
