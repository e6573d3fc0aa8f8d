"""Company-level traits: what one company brings to its transformation, drawn once per run.

A real company is not the average company. Its culture is more or less open to
digital, data-driven selling (001 s3; 004), the technology its programme picks happens
to fit its selling better or worse (000, 001), and its leaders start the programme more
or less confident. Each trait is drawn once per run as ``mean + spread * z`` from the
``company.<trait>_mean`` and ``company.<trait>_spread`` parameters and clipped to the
range of its mean; a spread of 0 fixes it, so a trait can be swept like any lever.

Invariants: one standard normal ``z`` per trait is drawn, in the order of ``TRAITS``,
whatever the spreads, so runs with the same seed share their luck across settings
(common random numbers); the realised values go to runs.parquet as ``company.<trait>``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from sim.params import CompanyParams

TRAITS = ("culture", "tool_fit", "leader_confidence")
COLUMN_PREFIX = "company."


def trait_range(trait: str) -> tuple[float, float]:
    """The range a realised trait is clipped to: the schema range of its mean."""
    spec = {f.name: f for f in dataclasses.fields(CompanyParams)}[f"{trait}_mean"]
    return spec.metadata["low"], spec.metadata["high"]


@dataclass(frozen=True)
class CompanyTraits:
    """One company's realised traits."""

    culture: float
    tool_fit: float
    leader_confidence: float

    @classmethod
    def draw(cls, params: CompanyParams, rng: np.random.Generator) -> CompanyTraits:
        """Draw every trait from its distribution (one standard normal each, in order)."""
        z = rng.standard_normal(len(TRAITS))
        values = {}
        for trait, shock in zip(TRAITS, z, strict=True):
            mean, spread = getattr(params, f"{trait}_mean"), getattr(params, f"{trait}_spread")
            values[trait] = float(np.clip(mean + spread * shock, *trait_range(trait)))
        return cls(**values)

    def columns(self) -> dict[str, float]:
        """``{"company.culture": ..., ...}`` for the runs table."""
        return {COLUMN_PREFIX + name: value for name, value in dataclasses.asdict(self).items()}
