"""Shared dashboard and agreed metrics: one CRM everyone sees (004), every lead tracked (002)."""

from scenarios.registry import register
from sim.params import SiloParams


@register("silo_mitigation", "shared_dashboard")
class SharedDashboard:
    """Data is shared, feedback flows through the agreed metrics, leads are tracked."""

    @staticmethod
    def relief(silo: SiloParams) -> dict[str, float]:
        return {"data_sharing": silo.shared_dashboard_data_sharing,
                "feedback": silo.shared_dashboard_feedback,
                "lead_loss": silo.shared_dashboard_lead_loss}
