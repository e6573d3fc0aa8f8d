"""Rotation between departments; marketers join sales calls (002)."""

from typing import ClassVar

from scenarios.registry import register


@register("silo_mitigation", "rotation")
class Rotation:
    """People who have worked on the other side trust its leads and tell one story."""

    relief: ClassVar[dict[str, float]] = {"lead_trust": 0.6, "messaging": 0.6, "feedback": 0.8}
