"""Quota setting: how each rep's quarterly quota is set (issue 23; sim/quotas.py).

Interface: ``quota`` policies have ``base(history, book, role, occupied, book_weight) ->
array`` — per seat, the weekly credit its quota is set from, before ``quotas.uplift``:
``history`` is each seat's mean weekly booking credit over ``quotas.history_weeks``,
``book`` the recurring revenue of the accounts the seat holds, ``role`` and ``occupied``
the seats' roles and occupancy, ``book_weight`` the ``quotas.book_weight`` parameter.
A policy holds no numbers of its own.
"""

from scenarios.registry import import_policies

import_policies(__name__, __path__)
