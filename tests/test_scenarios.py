"""Every named scenario composes through Hydra as it always has, is documented, and runs.

``tests/data/scenario_models.json`` holds each scenario file's ``model`` values — its own
and the profile blocks it picks (``override /leader: boundary_spanner``) — as Hydra
composes the file alone (``file_model``); the composed parameters must equal those, so
reusing files never changes what a scenario runs. It was written when scenario files began
to compose through ``defaults:`` (issue 20) and rewritten when the leader, delivery and EET
profiles became config groups (issue 21), both times with every scenario's runs unchanged
(tests/test_regression.py). Change it only together with a scenario's values, on purpose.
"""

import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from experiments.config_tree import (
    compose_config,
    compose_model,
    file_model,
    scenario_about,
    scenario_names,
    scenario_parts,
)
from sim.errors import ConfigError
from sim.params import SimParams
from sim.run import run_replication

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "configs" / "scenario").glob("*.yaml"))
PINNED = json.loads((ROOT / "tests" / "data" / "scenario_models.json").read_text())
ACTIONS = ["action_boundary_spanner", "action_kpis", "action_cross_functional", "action_agile",
           "action_change_management"]


def test_the_scenario_group_is_the_scenario_files():
    assert scenario_names() == [p.stem for p in FILES] == sorted(PINNED)


@pytest.mark.parametrize("name", sorted(PINNED))
def test_composed_scenario_equals_its_pinned_values(name):
    assert compose_model(name) == SimParams.from_dict(PINNED[name])


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_scenario_names_itself_carries_title_and_question_and_runs(path):
    cfg = compose_config([f"scenario={path.stem}"])
    assert cfg.scenario == path.stem
    about = scenario_about(path.stem)
    assert about == {"title": cfg.title, "question": cfg.question}
    assert isinstance(about["title"], str) and 0 < len(about["title"]) <= 40
    assert isinstance(about["question"], str) and about["question"]
    assert "# Question:" not in path.read_text()  # keys, not comments
    params = compose_model(path.stem, ["model.horizon_weeks=40", "model.spin_up_weeks=4",
                                         "model.delivery.build_weeks=13"])
    assert len(run_replication(params, seed=1).timeseries) == 40


def test_titles_tell_scenarios_apart():
    titles = [scenario_about(name)["title"] for name in scenario_names()]
    assert len(set(titles)) == len(titles)


def test_five_actions_is_the_five_action_files_and_others_reuse_it():
    assert scenario_parts("five_actions") == ACTIONS
    assert scenario_parts("team_disbands") == [*ACTIONS, "five_actions"]
    assert scenario_parts("five_actions_aligned") == [*ACTIONS, "five_actions"]
    assert scenario_parts("baseline") == []
    merged: dict = {}
    for action in ACTIONS:
        for group, values in file_model("scenario", action).items():
            merged.setdefault(group, {}).update(values)
    assert file_model("scenario", "five_actions") == merged
    # what the reusing files add is only their own difference
    text = (ROOT / "configs" / "scenario" / "team_disbands.yaml").read_text()
    assert "leader" not in text and "sustainment_team: false" in text
    # a profile comes whole from its group's file
    assert file_model("scenario", "action_agile") == file_model("delivery", "agile")


def test_overrides_compose_over_the_scenario():
    params = compose_model("five_actions", ["model.silo.level=0.3", "org=small"])
    assert params.silo.level == 0.3 and params.org.n_reps == 10
    assert params.leader.name == "boundary_spanner"
    swapped = compose_model("five_actions", ["leader=sales_led"])   # a group overrides a file's pick
    assert swapped.leader == compose_model("sales_led").leader


@pytest.mark.parametrize(("name", "overrides", "message"), [
    ("utopia", [], r"^scenario='utopia' is not allowed: one of .*baseline"),
    ("baseline", ["model.silo.level=1.5"], r"^model\.silo\.level=1\.5 is not allowed: a number"),
    ("baseline", ["model.silo.levl=0.5"], r"^model\.silo\.levl='0\.5' is not allowed: a known key"),
])
def test_bad_scenarios_and_overrides_are_one_line_config_errors(name, overrides, message):
    with pytest.raises(ConfigError, match=message):
        compose_model(name, overrides)


def _compose_in_worker(name: str) -> dict:
    os.chdir("/")  # any working directory
    return compose_model(name).to_dict()


@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_compose_model_works_in_worker_processes_from_any_directory(method):
    names = ["five_actions", "team_disbands", "baseline"]
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        composed = list(pool.map(_compose_in_worker, names))
    assert composed == [SimParams.from_dict(PINNED[name]).to_dict() for name in names]


def test_catalogue_lists_every_scenario_with_its_title_and_question():
    catalogue = (ROOT / "docs" / "scenarios.md").read_text()
    for name in scenario_names():
        about = scenario_about(name)
        assert f"| `{name}` | {about['title']} | {about['question']} |" in catalogue
