"""What a Replicate worker process runs: one replication, reduced to what the page shows.

Kept apart from ``dashboard.replicate`` so a worker imports only the model (``sim.run``),
not the page, the analysis package or Hydra: a new worker is ready in about a second.
"""

from __future__ import annotations

from sim.params import SimParams
from sim.run import run_replication

KEPT = ("label", "success", "value_vs_no_programme", "value_ratio", "programme_cost",
        "net_value", "roi", "payback_week")


def one_run(params: SimParams, seed: int) -> dict[str, object]:
    """One replication: the run's label and the value and money measures the page shows."""
    kpis = run_replication(params, seed).kpis
    return {key: kpis[key] for key in KEPT if key in kpis}
