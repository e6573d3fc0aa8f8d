"""The levers as code: small policy classes, one idea per file, registered by name.

Importing this package registers every policy, so a config can name any of them. A
policy holds no numbers of its own: it chooses, and every number it uses is a schema
parameter (``sim/params.py``; tests/test_schema_coverage.py). Kinds (see each
subpackage's ``__init__`` for the interface a policy implements):

- ``silo_mitigation`` — ``scenarios/silo/``
- ``rep_pay``, ``marketing_pay``, ``pay_transition`` — ``scenarios/incentives/``
- ``lead_handoff`` — ``scenarios/lead_handoff/``
- ``account_handoff`` — ``scenarios/account_handoff/``
- ``eet_selection`` — ``scenarios/playbook/`` (leader, delivery and EET profiles are
  parameter blocks set by ``configs/leader/``, ``configs/delivery/``, ``configs/eet/``)
- ``quota`` — ``scenarios/quotas/``
"""

from scenarios import account_handoff, incentives, lead_handoff, playbook, quotas, silo
from scenarios.registry import lookup, names, register

__all__ = [
    "account_handoff", "incentives", "lead_handoff", "lookup", "names", "playbook", "quotas",
    "register", "silo",
]
