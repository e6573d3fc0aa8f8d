"""Rotation between departments; marketers join sales calls (002)."""

from scenarios.registry import register
from sim.params import SiloParams


@register("silo_mitigation", "rotation")
class Rotation:
    """People who have worked on the other side trust its leads and tell one story."""

    @staticmethod
    def relief(silo: SiloParams) -> dict[str, float]:
        return {"lead_trust": silo.rotation_lead_trust, "messaging": silo.rotation_messaging,
                "feedback": silo.rotation_feedback}
