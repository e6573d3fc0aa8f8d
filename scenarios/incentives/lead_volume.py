"""Marketing paid on lead volume: the vanity metric (004).

Marketing maximises the count it reports — ad views, event attendance, web traffic —
so it reaches whoever is cheapest to count rather than buyers with fit and intent,
passes everything on, and has little reason to ask sales which leads worked.
"""

from scenarios.incentives import MarketingPlan
from scenarios.registry import register
from sim.params import MarketingParams


@register("marketing_pay", "lead_volume")
class LeadVolume:
    @staticmethod
    def plan(marketing: MarketingParams) -> MarketingPlan:
        return MarketingPlan(volume_multiplier=marketing.volume_lead_volume,
                             min_fit=marketing.min_fit_lead_volume,
                             targeting=marketing.targeting_lead_volume,
                             warming=marketing.warming_lead_volume,
                             seeks_feedback=marketing.feedback_lead_volume)
