"""Replication seeds that depend only on what is run, never on where or in which order.

A replicate's seed comes from numpy's ``SeedSequence`` keyed on the base seed, the
replicate index and, with ``seeding=independent``, a stable hash of the scenario
point. The default (``common``) leaves the point out, so replicate ``r`` of every
point shares one random stream: common random numbers, which sharpen comparisons
between scenarios. Nothing about the launcher, the worker or the job order enters.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import numpy as np


def point_id(flat_params: Mapping[str, Any]) -> str:
    """A stable 16-hex-digit hash of a point's flattened parameters."""
    text = json.dumps(dict(flat_params), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def replicate_seed(base_seed: int, replicate: int, point: str | None = None) -> int:
    """The integer seed of one replicate; ``point`` (a ``point_id``) only when independent."""
    words = () if point is None else (int(point[:8], 16), int(point[8:16], 16))
    sequence = np.random.SeedSequence(entropy=base_seed, spawn_key=(*words, replicate))
    return int(sequence.generate_state(1, np.uint64)[0] >> np.uint64(1))
