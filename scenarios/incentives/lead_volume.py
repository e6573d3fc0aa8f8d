"""Marketing paid on lead volume: the vanity metric (004).

Marketing maximises the count it reports — ad views, event attendance, web traffic —
so it reaches whoever is cheapest to count rather than buyers with fit and intent,
passes everything on, and has little reason to ask sales which leads worked.
"""

from scenarios.registry import register


@register("marketing_pay", "lead_volume")
class LeadVolume:
    volume_multiplier = 1.5
    min_fit = 0.0
    targeting = 0.2
    warming = 0.0
    seeks_feedback = 0.2
