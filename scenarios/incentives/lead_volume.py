"""Marketing paid on lead volume: the vanity metric (004).

Marketing maximises the count it reports, so it passes everything on, does not
filter by fit, and has little reason to ask sales which leads worked.
"""

from scenarios.registry import register


@register("marketing_pay", "lead_volume")
class LeadVolume:
    volume_multiplier = 1.5
    min_fit = 0.0
    seeks_feedback = 0.2
