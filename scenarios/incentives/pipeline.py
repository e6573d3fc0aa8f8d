"""Marketing paid on pipeline created: leads must at least qualify (002)."""

from scenarios.registry import register


@register("marketing_pay", "pipeline")
class Pipeline:
    volume_multiplier = 1.0
    min_fit = 0.2
    targeting = 0.6
    warming = 0.1
    seeks_feedback = 0.6
