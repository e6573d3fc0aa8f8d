"""Every named scenario loads, is documented, and runs (a few weeks, `scenario=glob(*)`-style)."""

from pathlib import Path

import pytest
import yaml

from sim.params import SimParams
from sim.run import run_replication

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "configs" / "scenario").glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_scenario_opens_with_its_question_and_runs(path):
    lines = path.read_text().splitlines()
    assert lines[0] == "# @package _global_"
    assert lines[1].startswith("# Question: ")
    data = yaml.safe_load(path.read_text())
    assert data["scenario"] == path.stem
    model = data.get("model") or {}
    smoke = {**model, "horizon_weeks": 30, "spin_up_weeks": 4}
    run = run_replication(SimParams.from_dict(smoke), seed=1)
    assert len(run.timeseries) == 30


def test_catalogue_lists_every_scenario():
    catalogue = (ROOT / "docs" / "scenarios.md").read_text()
    for path in FILES:
        assert f"| `{path.stem}` |" in catalogue
