"""Sales-led programme: a good fit on paper, but every late feature gets in (000).

Scope creep delays the build, adds complexity and eats the budget.
"""

from scenarios.registry import register


@register("leader", "sales_led")
class SalesLed:
    initial_fit = 0.6
    initial_complexity = 0.35
    late_feature_acceptance = 1.0
    friction_factor = 1.0
    simplicity = 0.0
    learns_from_users = 1.0
