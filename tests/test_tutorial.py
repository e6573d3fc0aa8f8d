"""The tutorial's new policy, written as a file in a policy folder, is selectable from config."""

import importlib.util
import re
from pathlib import Path

import pytest

from scenarios import registry
from sim.model import SilosimModel
from sim.params import SimParams

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def tutorial_policy(tmp_path):
    text = (ROOT / "docs" / "tutorial.md").read_text()
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    path = tmp_path / "at_first_renewal.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location("tutorial_at_first_renewal", path)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    yield "at_first_renewal"
    registry._REGISTRY["account_handoff"].pop("at_first_renewal")


def handoffs(policy: str) -> float:
    params = SimParams.from_dict({"org": {"n_reps": 20, "n_marketers": 3}, "spin_up_weeks": 0,
                                  "account_handoff": {"policy": policy}})
    model = SilosimModel(params=params, rng=1)
    model.run()
    return model.totals["handoffs"]


def test_tutorial_policy_hands_over_later_than_at_first_sale(tutorial_policy):
    late, early = handoffs(tutorial_policy), handoffs("at_first_sale")
    assert 0 < late < early, "a year's delay hands over fewer accounts within the horizon"


def test_the_tutorials_scenario_file_composes_with_its_policy(tutorial_policy, tmp_path):
    from dashboard.levers import Settings, presets, scenarios_from

    text = (ROOT / "docs" / "tutorial.md").read_text()
    scenario = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "handoff_first_renewal.yaml").write_text(scenario)
    with scenarios_from(folder):
        params = Settings("handoff_first_renewal").params
        assert params.account_handoff.policy == tutorial_policy
        assert presets("scenario")["handoff_first_renewal"].title == \
            "Handoff at the first renewal"
