"""Agile delivery: a minimum viable product, then sprints that learn from users (001 action 4).

Microsoft's 10/10/10 rule and UCB's two-week sprints: build an MVP in weeks, try it
with the early-experience team, improve it every sprint, roll out in waves, and keep
the team improving it afterwards (unless ``programme.sustainment_team`` is off).
"""

from scenarios.registry import register


@register("delivery", "agile")
class Agile:
    pilot_weeks = 10
    rollout_weeks = 8
    learning_factor = 1.0

    @staticmethod
    def build_weeks(programme) -> int:
        return programme.mvp_weeks

    @staticmethod
    def learning_cadence(programme) -> int:
        return programme.sprint_weeks

    @staticmethod
    def keeps_team(programme) -> bool:
        return programme.sustainment_team
