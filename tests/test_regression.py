"""Results must not change by accident: fixed scenarios' runs tables, compared to the bit.

Performance work (issue 6) must leave every result as it was. This test runs a fixed
set of scenario points through the engine's own job path (Hydra composition, point
resolution, seeds, ``experiments.replications.replicate``) and compares every cell of
the ``runs`` table with ``tests/data/golden_runs.csv``. Floats are stored as ``repr``,
which round-trips exactly, so equal text means equal bits; a failure names each
column that differs and shows the first rows where it does.

A change of results on purpose (a model change) needs the file regenerated::

    .venv/bin/python -m tests.test_regression              # show what differs, write nothing
    .venv/bin/python -m tests.test_regression --regenerate # rewrite the golden file

Regenerating is never routine: the closing note of the change must say why results
changed and that the calibration was re-checked (``make validate``, docs/calibration.md).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path
from typing import Any

import numpy as np
from omegaconf import open_dict

from experiments.config_tree import compose_config, config_tree
from experiments.point import resolve_point
from experiments.replications import replicate
from experiments.settings import RunSettings

GOLDEN = Path(__file__).resolve().parent / "data" / "golden_runs.csv"
#: Scenarios that between them use every mechanism: waterfall and agile programmes, two
#: roles with hunter-to-farmer handoffs, lead scoring with nurture, pay transitions.
SCENARIOS = ("baseline", "five_actions", "handoff_first_sale", "revenue_aligned")
#: A smaller organisation than the default (30 reps) keeps the test at a few seconds; the
#: full 156-week horizon with spin-up keeps every phase of the programme in it.
FIXED = ["model.org.n_reps=30", "model.org.n_marketers=4", "replications=3", "seed=2024"]
SHOWN_ROWS = 3


def fresh_rows() -> list[dict[str, str]]:
    """The fixed scenarios' runs tables, as the engine builds them, in canonical text form."""
    rows: list[dict[str, str]] = []
    for name in SCENARIOS:
        with config_tree():
            cfg = compose_config([f"scenario={name}", *FIXED], with_hydra=True)
        choices = dict(cfg.hydra.runtime.choices)
        with open_dict(cfg):
            del cfg["hydra"]
        outcome = replicate(resolve_point(cfg, choices), RunSettings.from_config(cfg),
                            series=lambda weekly, tags: None)
        rows.extend({column: canonical(value) for column, value in record.items()}
                    for record in outcome.runs.to_dict("records"))
    return rows


def canonical(value: Any) -> str:
    """Text that is equal exactly when the values are: ``repr`` of a float round-trips its bits."""
    if isinstance(value, np.generic):
        value = value.item()  # numpy 2 reprs name the type: compare plain Python values
    return repr(value) if isinstance(value, float) else str(value)


def read_golden(path: Path = GOLDEN) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def write_golden(rows: list[dict[str, str]], path: Path = GOLDEN) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def differences(golden: list[dict[str, str]], fresh: list[dict[str, str]]) -> list[str]:
    """One line per differing column (with its first differing rows); empty if identical."""
    if len(golden) != len(fresh):
        return [f"{len(fresh)} runs instead of {len(golden)}"]
    old, new = list(golden[0]), list(fresh[0])
    lines = [f"column {c!r} is new" for c in new if c not in old]
    lines += [f"column {c!r} is gone" for c in old if c not in new]
    for column in (c for c in new if c in old):
        changed = [i for i, (g, f) in enumerate(zip(golden, fresh, strict=True))
                   if g[column] != f[column]]
        if changed:
            shown = "; ".join(f"{fresh[i]['run_id']}: {golden[i][column]} -> {fresh[i][column]}"
                              for i in changed[:SHOWN_ROWS])
            lines.append(f"column {column!r} differs in {len(changed)} of {len(fresh)} runs ({shown})")
    return lines


def test_fixed_scenarios_runs_table_is_unchanged_to_the_bit():
    found = differences(read_golden(), fresh_rows())
    assert not found, "results changed (regenerate only on purpose, see module doc):\n" + \
        "\n".join(found)


def main() -> None:
    parser = argparse.ArgumentParser(description="Compare with, or regenerate, the golden runs table.")
    parser.add_argument("--regenerate", action="store_true",
                        help="rewrite tests/data/golden_runs.csv (explain why in the closing note)")
    args = parser.parse_args()
    rows = fresh_rows()
    found = differences(read_golden(), rows) if GOLDEN.exists() else ["no golden file yet"]
    print("\n".join(found) or "identical to the golden file")
    if args.regenerate:
        write_golden(rows)
        print(f"wrote {GOLDEN} ({len(rows)} runs)")


if __name__ == "__main__":
    main()
