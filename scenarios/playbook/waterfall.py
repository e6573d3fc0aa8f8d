"""Waterfall delivery: one large release after a long build (001 action 4).

Requirements are reviewed once a quarter at best, so little is learned before the
release; the release goes to everyone at once and the project team then disbands.
"""

from scenarios.registry import register


@register("delivery", "waterfall")
class Waterfall:
    pilot_weeks = 6
    rollout_weeks = 2
    learning_factor = 0.3

    @staticmethod
    def build_weeks(programme) -> int:
        return programme.waterfall_build_weeks

    @staticmethod
    def learning_cadence(programme) -> int:
        return 13

    @staticmethod
    def keeps_team(programme) -> bool:
        return False
