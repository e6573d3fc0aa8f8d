"""Leader, delivery and EET profiles are config data: whole parameter blocks, one file each.

``configs/leader/``, ``configs/delivery/`` and ``configs/eet/`` each set their whole schema
block (``model.leader`` …) with the file's name as the block's ``name``; the schema's
defaults are the typical company's files, so ``SimParams()`` needs none of them; a profile
composes as a group choice and is recorded in the runs by its name; docs/ODD.md §7 lists
every profile's values.
"""

import dataclasses
from pathlib import Path

import pytest

from experiments.config_tree import compose_model, file_model, group_options
from sim.params import PROFILES, SimParams

ROOT = Path(__file__).resolve().parent.parent
TYPICAL = {"leader": "it_led", "delivery": "waterfall", "eet": "none"}
FILES = [(group, name) for group in PROFILES for name in group_options(group)]


def test_each_profile_group_is_its_files():
    for group in PROFILES:
        assert group_options(group) == sorted(p.stem for p in (ROOT / "configs" / group).glob("*.yaml"))
    assert {name for _, name in FILES} >= set(TYPICAL.values()) | {"boundary_spanner", "agile",
                                                                     "representative"}


@pytest.mark.parametrize(("group", "name"), FILES, ids=[f"{g}/{n}" for g, n in FILES])
def test_a_profile_file_sets_its_whole_block_and_is_named_for_itself(group, name):
    values = file_model(group, name)
    assert set(values) == {group}
    block = values[group]
    assert set(block) == {f.name for f in dataclasses.fields(getattr(SimParams(), group))}
    assert block["name"] == name
    SimParams.from_dict(values)   # valid


@pytest.mark.parametrize("group", PROFILES)
def test_the_schema_defaults_are_the_typical_companys_profile(group):
    defaults = dataclasses.asdict(getattr(SimParams(), group))
    assert file_model(group, TYPICAL[group])[group] == defaults


def test_a_profile_is_chosen_by_group_and_its_values_stay_sweepable():
    chosen = compose_model("baseline", ["leader=sales_led", "model.leader.late_feature_acceptance=0.5"])
    assert chosen.leader.name == "sales_led" and chosen.leader.late_feature_acceptance == 0.5
    assert chosen.leader.initial_complexity == file_model("leader", "sales_led")["leader"][
        "initial_complexity"]


def test_the_odd_lists_every_profile_value():
    lines = (ROOT / "docs" / "ODD.md").read_text().splitlines()
    for group in PROFILES:
        first = next(i for i, line in enumerate(lines) if line.startswith(f"| `{group}."))
        columns = [c.strip() for c in lines[first - 2].strip("|").split("|")][1:]
        assert sorted(columns) == group_options(group), group
        blocks = {name: file_model(group, name)[group] for name in columns}
        for key in blocks[columns[0]]:
            if key != "name":
                cells = " | ".join(str(blocks[name][key]) for name in columns)
                assert f"| `{group}.{key}` | {cells} |" in lines, f"{group}.{key}"
