"""One senior leader over sales and marketing, reporting to the CEO (002)."""

from typing import ClassVar

from scenarios.registry import register


@register("silo_mitigation", "one_leader")
class OneLeader:
    """Turf fights end at one desk: fewer leads lost, more trusted, one message."""

    relief: ClassVar[dict[str, float]] = {"lead_loss": 0.6, "lead_trust": 0.7, "messaging": 0.7}
