"""The parameter schema refuses bad input with one line naming key, value and what is allowed."""

import pytest

from sim.errors import ConfigError
from sim.params import SimParams, schema_rows


@pytest.mark.parametrize(
    ("overrides", "key", "allowed"),
    [
        ({"silo": {"level": 1.5}}, "silo.level", "from 0.0 to 1.0"),
        ({"silo": {"levle": 0.3}}, "silo.levle", "a known key"),
        ({"programme": {"leader": "ceo"}}, "programme.leader",
         "boundary_spanner, it_led, sales_led"),
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
    assert flat["programme.leader"] == "it_led"
    assert all(not isinstance(v, dict | list) for v in flat.values())


def test_every_parameter_has_meaning_source_and_allowed_values():
    rows = schema_rows()
    assert len(rows) == len(SimParams().flatten())
    for row in rows:
        assert row["meaning"] and row["source"] and row["allowed"], row["key"]


def test_odd_parameter_table_matches_the_schema():
    from pathlib import Path

    odd = (Path(__file__).resolve().parent.parent / "docs" / "ODD.md").read_text()
    for row in schema_rows():
        assert f"| `{row['key']}` | {row['default']} |" in odd, row["key"]
