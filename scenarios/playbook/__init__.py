"""The programme's playbook: who tries the tool first (001 action 3).

Who leads the programme and how it delivers are profiles — numbers only, in the ``leader``
and ``delivery`` parameter blocks, set whole by ``configs/leader/`` and
``configs/delivery/`` — and so is what an early-experience team is like (``eet``:
whose needs it voices, whom it persuades, what it asks for). What is left here is the
one choice that is a rule rather than a number: how the team's members are picked.

Interface: ``eet_selection``: ``members(segment, share, rng) -> bool array`` — which seats
join the early-experience team, given each seat's tech-affinity segment, the share of
reps the team takes (``programme.eet_share``) and the programme's random stream.
"""

from scenarios.registry import import_policies

import_policies(__name__, __path__)
