"""Silo frictions between sales, marketing and IT, and the mitigations that cut them.

``frictions.SiloFrictions`` turns the silo level into one friction per channel the
sources name (002, 004, 000). A mitigation is a class registered as
``silo_mitigation`` with ``relief(silo) -> dict[channel, factor]``: the channels it eases,
each with the factor (a ``silo.<mitigation>_<channel>`` parameter) that multiplies that
channel's friction when the mitigation is switched on. A mitigation holds no numbers of
its own.
"""

from scenarios.registry import import_policies

import_policies(__name__, __path__)
