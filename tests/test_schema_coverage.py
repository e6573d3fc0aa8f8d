"""Levers choose, mechanisms compute: no coefficient hides in ``sim/`` or ``scenarios/`` (issue 21).

Every number a mechanism or a policy uses is a parameter of the schema (``sim/params.py``),
with its unit and its source or reason. Walking the code with ``ast``, the only numeric
literals allowed outside the schema module are:

- 0, 1, -1 and 0.5: identities, the base of a half-life, a midpoint;
- enumerations: names assigned consecutive whole numbers from 0 at module level
  (``FULL_CYCLE, HUNTER, FARMER = 0, 1, 2``);
- the named constants of ``sim/weeks.py`` (the calendar) and ``sim/numeric.py`` (guards
  against a zero denominator, the span of sub-stream seeds, a cache size), listed in
  ``CONSTANTS`` so that adding one is a decision made here;
- ``sim/common_random.py``, left out whole: its numbers are SplitMix64's published constants
  (Steele, Lea & Flood 2014) and the bit layout of its counters, an algorithm rather than
  a model.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: numbers any code may write
PLAIN = {0, 1, -1, 0.5}
#: the schema itself, and an algorithm's constants (see the module docstring)
EXEMPT = {"sim/params.py", "sim/common_random.py"}
#: modules of named constants that are not coefficients, and the names each defines
CONSTANTS = {
    "sim/weeks.py": {"DAYS_PER_WEEK", "QUARTER", "HALF_YEAR", "YEAR", "TWO_YEARS",
                     "MONTHS_PER_YEAR", "WEEKS_PER_MONTH", "NEVER"},
    "sim/numeric.py": {"TINY", "MIN_PACE", "SEED_SPAN", "MARKETS_CACHED"},
}


def code_files() -> list[str]:
    files = [*ROOT.glob("sim/**/*.py"), *ROOT.glob("scenarios/**/*.py")]
    return sorted(str(path.relative_to(ROOT)) for path in files)


def _numbers(tree: ast.AST) -> list[tuple[int, float]]:
    """Every numeric literal as (line, value), a unary minus folded into its number."""
    negated = {id(node.operand) for node in ast.walk(tree)
               if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)}
    return [(node.lineno, -node.value if id(node) in negated else node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and type(node.value) in (int, float)]


def _enumerations(tree: ast.Module) -> set[int]:
    """Lines of module-level enumerations: ``A, B, C = 0, 1, 2``."""
    lines = set()
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Tuple) and isinstance(node.value, ast.Tuple)
                and all(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets[0].elts)
                and [getattr(v, "value", None) for v in node.value.elts]
                == list(range(len(node.value.elts)))):
            lines.add(node.lineno)
    return lines


def hidden_numbers(source: str, name: str = "<code>") -> list[str]:
    """``file:line value`` for every numeric literal the rules above do not allow."""
    tree = ast.parse(source)
    enumerations = _enumerations(tree)
    return [f"{name}:{line} {value!r}" for line, value in _numbers(tree)
            if value not in PLAIN and line not in enumerations]


def _defined_names(tree: ast.Module) -> set[str]:
    return {target.id for node in tree.body if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name)}


@pytest.mark.parametrize("path", [p for p in code_files() if p not in EXEMPT | set(CONSTANTS)])
def test_no_number_is_left_outside_the_schema(path):
    found = hidden_numbers((ROOT / path).read_text(), path)
    assert not found, ("numbers outside the schema (make each a sim/params.py parameter with "
                       "its unit and source, or a named constant of sim/weeks.py or "
                       "sim/numeric.py if it is no coefficient):\n" + "\n".join(found))


@pytest.mark.parametrize("path", sorted(CONSTANTS))
def test_constant_modules_hold_only_their_listed_names(path):
    tree = ast.parse((ROOT / path).read_text())
    body = [node for node in tree.body
            if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
    assert all(isinstance(node, ast.Assign) for node in body), "only assignments"
    assert _defined_names(tree) == CONSTANTS[path]


def test_the_check_catches_a_new_coefficient_and_spares_what_is_allowed():
    assert hidden_numbers("rate = weight * 0.3\n") == ["<code>:1 0.3"]
    assert hidden_numbers("x = clip(y, -0.5, 1.0)\n") == ["<code>:1 -0.5"]
    assert hidden_numbers("def f():\n    return g(2)\n") == ["<code>:2 2"]
    assert hidden_numbers("A, B, C = 0, 1, 2\nx = 0.5 ** (t / h) - 1 + 0\n") == []
    assert hidden_numbers("A, B = 0, 2\n") == ["<code>:1 2"]     # not an enumeration


def test_every_module_of_sim_and_scenarios_is_checked_or_named():
    checked = set(code_files())
    assert EXEMPT | set(CONSTANTS) <= checked
    assert "sim/attitude.py" in checked and "scenarios/silo/rotation.py" in checked
