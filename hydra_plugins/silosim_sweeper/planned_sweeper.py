"""Hydra's basic sweeper, without composing every job a second time before launching it.

Hydra's ``BasicSweeper`` composes each job's config once to check it (``validate_batch_is_legal``)
and the launcher composes it again to run it: about 0.15 s per job spent twice. ``silosim``
has already resolved every job of the sweep, values and model parameters included, before
Hydra starts (``experiments.plan``), so the sweeper's check repeats work that has passed;
this sweeper skips it and is otherwise the basic sweeper (same ``params`` and
``max_batch_size``, same job order).
"""

from __future__ import annotations

from collections.abc import Sequence

from hydra._internal.core_plugins.basic_sweeper import BasicSweeper


class PlannedSweeper(BasicSweeper):
    """The basic sweeper for sweeps whose every job ``silosim`` has already checked."""

    def validate_batch_is_legal(self, batch: Sequence[Sequence[str]]) -> None:
        """Nothing left to check: ``experiments.plan`` composed and resolved every job."""
