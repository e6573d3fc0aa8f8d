"""One vocabulary of parameters in words: the schema's meanings, shortened, and value words,
used alike by the engine's point names, the report, its figures and the dashboard."""

from __future__ import annotations

import numpy as np
import pytest

import scenarios  # noqa: F401  (registers the policies)
from analysis.words import (
    NAME_PARTS,
    action_words,
    key_words,
    setting_words,
    term_words,
    value_words,
)
from experiments.config_tree import compose_config, config_tree
from experiments.model_keys import leaf
from experiments.point import resolve_point
from scenarios.registry import names
from sim.params import schema_rows


@pytest.mark.parametrize(("key", "value", "words"), [
    ("model.silo.level", 0.9, "silo level 0.9"),
    ("org.n_reps", 20, "20 sales reps"),
    ("org.n_marketers", np.int64(3), "3 marketers"),
    ("account_handoff.months", 6.0, "6 months after the first sale"),
    ("incentives.marketing_pay", "closed_revenue", "what marketing is paid on: closed revenue"),
    ("leader.name", "it_led", "who leads the programme: IT-led"),
    ("leader", "sales_led", "who leads the programme: sales-led"),      # a profile group
    ("delivery", "agile", "delivery mode: agile"),
    ("lead_handoff.policy", "abc_scoring", "lead handoff policy: ABC scoring"),
    ("programme.kpis", np.True_, "KPIs with leading indicators and governance: on"),
    ("silo.mitigations", "rotation,shared_dashboard",
     "switched-on mitigations: rotation and shared dashboard"),
    ("silo.mitigations", "", "switched-on mitigations: none"),
    ("org", "small", "organisation: small"),
    ("incentives.rep_variable_share", 0.3, "share of rep pay that is variable: 0.3"),
])
def test_settings_read_as_words(key, value, words):
    assert setting_words(key, value) == words


def test_every_parameter_has_a_short_name_that_never_splits_a_point_name():
    for row in schema_rows():
        name = key_words(row["key"])
        assert name and NAME_PARTS not in name and "(" not in name, row["key"]
        assert name == name.strip() and "_" not in name, row["key"]
    assert key_words("silo.level") == "silo level"          # "silo level s (0 aligned, …)"
    assert key_words("lead_handoff.grade_a").endswith("grade A")   # a capital is no symbol


def test_every_policy_name_reads_without_underscores():
    kinds = {leaf("model." + row["key"]).meta["policy"] for row in schema_rows()} - {None}
    for kind in kinds:
        for name in names(kind):
            assert "_" not in value_words(name), name
    assert value_words("it_led") == "IT-led" and value_words("kpis") == "KPIs"


def test_terms_and_actions_in_words():
    assert term_words("silo.level=0.8 × incentives.marketing_pay=closed_revenue") == \
        "silo level 0.8 × what marketing is paid on: closed revenue"
    assert term_words("programme.kpis=True") == \
        "KPIs with leading indicators and governance: on"
    assert action_words("kpis") == "KPIs and governance"
    assert action_words("unheard_of") == "unheard of"


def test_the_engine_names_its_points_in_these_words():
    overrides = ["scenario=baseline", "model.org.n_reps=20", "model.silo.level=0.9",
                 "leader=sales_led", "org=small"]
    with config_tree():
        cfg = compose_config(overrides, with_hydra=True)
        point = resolve_point(cfg, cfg.hydra.runtime.choices, overrides)
        ablation = compose_config(["experiment=five_actions_ablation", "scenario=baseline",
                                   "ablation.action=kpis"], with_hydra=True)
        added = resolve_point(ablation, ablation.hydra.runtime.choices)
    assert point.label == ("Typical company, 20 sales reps, silo level 0.9, "
                           "who leads the programme: sales-led, organisation: small")
    assert added.title == "Typical company + KPIs and governance"
