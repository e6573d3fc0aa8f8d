"""Silo level → friction on each channel where silos hurt (002, 004, 000).

Channels:
- ``lead_loss``: marketing leads lost at the handoff (004: booth leads never followed up);
- ``lead_trust``: sales distrust of marketing leads (002: reps don't follow up);
- ``messaging``: inconsistent messages between marketing and sales (004);
- ``feedback``: feedback that never reaches marketing or the programme (002);
- ``it_friction``: IT-business friction in the programme (000: 62% name it);
- ``data_sharing``: CRM data not shared across functions (004: shared infrastructure).

Coordination cost grows with size (002: 100 people are harder to align than 10),
so the effective level rises by ``size_elasticity`` per tenfold reps above
``size_reference_reps``. Every factor is a ``silo.*`` parameter.
"""

from dataclasses import dataclass

import numpy as np

from scenarios.registry import lookup
from sim.params import SiloParams

CHANNELS = ("lead_loss", "lead_trust", "messaging", "feedback", "it_friction", "data_sharing")


def shared_goal_relief(silo: SiloParams) -> dict[str, float]:
    """A shared sales+marketing revenue goal eases the sales-marketing channels (002, 004)."""
    return {"lead_trust": silo.shared_goal_lead_trust, "feedback": silo.shared_goal_feedback,
            "messaging": silo.shared_goal_messaging}


@dataclass(frozen=True)
class SiloFrictions:
    """Friction in [0, 1] on each channel; 0 is a frictionless organisation."""

    lead_loss: float
    lead_trust: float
    messaging: float
    feedback: float
    it_friction: float
    data_sharing: float

    @classmethod
    def from_params(cls, silo: SiloParams, n_reps: int,
                    shared_revenue_goal: bool) -> "SiloFrictions":
        """Effective frictions for a silo level, an organisation size and the mitigations."""
        size_factor = 1.0 + silo.size_elasticity * np.log10(max(n_reps, 1)
                                                            / silo.size_reference_reps)
        effective = float(np.clip(silo.level * size_factor, 0.0, 1.0))
        values = dict.fromkeys(CHANNELS, effective)
        reliefs = [lookup("silo_mitigation", name, "silo.mitigations").relief(silo)
                   for name in silo.mitigations]
        if shared_revenue_goal:
            reliefs.append(shared_goal_relief(silo))
        for relief in reliefs:
            for channel, factor in relief.items():
                values[channel] *= factor
        return cls(**values)
