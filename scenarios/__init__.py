"""The levers as code: small policy classes, one idea per file, registered by name.

Importing this package registers every policy, so a config can name any of them.
Kinds (see each subpackage's ``__init__`` for the interface a policy implements):

- ``silo_mitigation`` — ``scenarios/silo/``
- ``rep_pay``, ``marketing_pay``, ``pay_transition`` — ``scenarios/incentives/``
- ``lead_handoff`` — ``scenarios/lead_handoff/``
- ``account_handoff`` — ``scenarios/account_handoff/``
- ``leader``, ``delivery``, ``eet`` — ``scenarios/playbook/``
- ``quota`` — ``scenarios/quotas/``
"""

from scenarios import account_handoff, incentives, lead_handoff, playbook, quotas, silo
from scenarios.registry import lookup, names, register

__all__ = [
    "account_handoff", "incentives", "lead_handoff", "lookup", "names", "playbook", "quotas",
    "register", "silo",
]
