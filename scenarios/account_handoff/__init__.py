"""Account handoff policies: who keeps a new account after the first sale (003).

A policy is registered as ``account_handoff`` and says two things:
- ``two_roles``: whether the sales force is split into hunters and farmers;
- ``due(weeks_since_win, developed_share, handoff) -> bool array``: which accounts still
  held by the hunter who won them move to the hunter's farmer this week.
How the move happens — CRM capture, introduction period, shared transition bonus,
the satisfaction shock of a new rep — is one mechanism, ``transfer_accounts`` in
``sim/accounts.py``, shared with reassignment after a rep quits.
"""

from scenarios.registry import import_policies

import_policies(__name__, __path__)
