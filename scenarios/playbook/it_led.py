"""IT-led programme: proven technology with a weaker fit to sales needs (000, 001).

IT picks what it knows works, resists changes asked for late, and hears users
less; IT-business friction is at its full silo-driven level.
"""

from scenarios.registry import register


@register("leader", "it_led")
class ITLed:
    initial_fit = 0.55
    initial_complexity = 0.3
    late_feature_acceptance = 0.15
    friction_factor = 1.0
    simplicity = 0.0
    learns_from_users = 0.5
