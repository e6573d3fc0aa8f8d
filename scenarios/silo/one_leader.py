"""One senior leader over sales and marketing, reporting to the CEO (002)."""

from scenarios.registry import register
from sim.params import SiloParams


@register("silo_mitigation", "one_leader")
class OneLeader:
    """Turf fights end at one desk: fewer leads lost, more trusted, one message."""

    @staticmethod
    def relief(silo: SiloParams) -> dict[str, float]:
        return {"lead_loss": silo.one_leader_lead_loss, "lead_trust": silo.one_leader_lead_trust,
                "messaging": silo.one_leader_messaging}
