"""Shared dashboard and agreed metrics: one CRM everyone sees (004), every lead tracked (002)."""

from typing import ClassVar

from scenarios.registry import register


@register("silo_mitigation", "shared_dashboard")
class SharedDashboard:
    """Data is shared, feedback flows through the agreed metrics, leads are tracked."""

    relief: ClassVar[dict[str, float]] = {"data_sharing": 0.4, "feedback": 0.6, "lead_loss": 0.7}
