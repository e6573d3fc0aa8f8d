"""Boundary spanner: respected by sales and by technologists (000, 001 action 1).

Shows the business what late features cost, shows IT when a better-fitting new
technology beats a proven one, keeps the system simple, and cuts IT-business friction.
"""

from scenarios.registry import register


@register("leader", "boundary_spanner")
class BoundarySpanner:
    initial_fit = 0.6
    initial_complexity = 0.2
    late_feature_acceptance = 0.3
    friction_factor = 0.4
    simplicity = 0.6
    learns_from_users = 1.0
