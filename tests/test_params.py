"""The parameter schema refuses bad input with one line naming key, value and what is allowed."""

import pytest

from experiments.model_keys import leaf
from sim.errors import ConfigError
from sim.params import ASSUMPTION, SimParams, schema_rows, schema_table


@pytest.mark.parametrize(
    ("overrides", "key", "allowed"),
    [
        ({"silo": {"level": 1.5}}, "silo.level", "from 0.0 to 1.0"),
        ({"silo": {"levle": 0.3}}, "silo.levle", "a known key"),
        ({"leader": {"name": "ceo"}}, "leader.name", "costs.leader_year_ceo"),
        ({"eet": {"selection": "ceo"}}, "eet.selection", "none, representative, tech_savvy"),
        ({"market": {"developed_low": 0.9}}, "market.developed_high", "at least market.developed_low"),
        ({"org": {"n_reps": "many"}}, "org.n_reps", "a whole number"),
        ({"org": {"n_reps": 10.5}}, "org.n_reps", "a whole number"),
        ({"programme": {"kpis": "yes"}}, "programme.kpis", "true or false"),
        ({"silo": {"mitigations": ["rotation", "moats"]}}, "silo.mitigations", "one_leader"),
        ({"silo": {"mitigations": "rotation"}}, "silo.mitigations", "a list"),
        ({"org": {"share_enthusiast": 0.6, "share_avoider": 0.6}}, "org.share_avoider", "at most"),
        ({"lead_handoff": {"sla_days": float("nan")}}, "lead_handoff.sla_days", "a number"),
        ({"incentives": {"marketing_pay": "likes"}}, "incentives.marketing_pay", "lead_volume"),
    ],
)
def test_bad_values_are_refused_naming_key_value_and_allowed(overrides, key, allowed):
    with pytest.raises(ConfigError) as caught:
        SimParams.from_dict(overrides)
    message = str(caught.value)
    assert caught.value.key == key
    assert message.startswith(key) and allowed in message and "\n" not in message


def test_defaults_round_trip_and_flatten_to_dotted_keys():
    params = SimParams()
    assert SimParams.from_dict(params.to_dict()) == params
    flat = params.flatten()
    assert flat["silo.level"] == params.silo.level
    assert flat["leader.name"] == "it_led"
    assert all(not isinstance(v, dict | list) for v in flat.values())


def test_every_parameter_has_meaning_source_and_allowed_values():
    rows = schema_rows()
    assert len(rows) == len(SimParams().flatten())
    for row in rows:
        assert row["meaning"] and row["source"] and row["allowed"], row["key"]


def test_every_number_has_a_unit_and_every_assumption_a_plausible_range_inside_its_range():
    """Issue 21: a number says what it measures; a value no source gives is an assumption
    with the range a researcher should screen it over, inside the range it may take."""
    hints = {key: type(value) for key, value in SimParams().flatten().items()}
    for row in schema_rows():
        key, plausible = row["key"], row["plausible"]
        if hints[key] in (int, float):
            assert row["unit"], f"{key} has no unit"
        if ASSUMPTION in row["source"]:
            assert plausible is not None, f"{key} is an assumption without a plausible range"
        if plausible is not None:
            low, high = plausible
            allowed = leaf(f"model.{key}").meta
            assert allowed["low"] <= low <= row["default"] <= high <= allowed["high"], key


def test_odd_parameter_table_is_the_schema_table():
    """docs/ODD.md §8 holds exactly the table ``python -m sim.params`` prints."""
    from pathlib import Path

    odd = (Path(__file__).resolve().parent.parent / "docs" / "ODD.md").read_text()
    section = odd.split("## 8. Parameters", 1)[1]
    table = [line for line in section.splitlines() if line.startswith("|")]
    assert table == schema_table()
