"""The robustness experiment: the assumptions design, the comparisons' checks, the analysis
on a planted truth, the report's words, and one tiny real run through silosim.

The synthetic runs are written in the engine's layout from the engine's own ``Design``:
replicate r has one "luck" u_r shared by every scenario and point (common random numbers),
and a run succeeds when u_r is below its scenario's success probability at that point, so a
paired difference is exactly the planted difference of probabilities up to 1/replications.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf

from analysis import robustness, synthetic
from analysis.report import main as report_main
from analysis.report import write_report
from analysis.robustness import FLIPPED, FLIPS, HALVED, HALVES, OUTPUTS, ROBUST, UNCLEAR, UNTESTED
from experiments import design as design_module
from experiments.comparisons import Comparison, check_sweep, comparisons_from
from experiments.design import Design, assumption_factors
from experiments.plan import make_plan
from experiments.settings import RunSettings
from sim.errors import ConfigError

PLANTED, INERT = "model.silo.level", ("model.programme.sponsor_strength", "model.org.n_reps")
BLOCK = {"method": "morris", "samples": 6, "seed": 3, "levels": 4, "groups": "block",
         "default_point": True,
         "factors": {PLANTED: [0.0, 1.0], INERT[0]: [0.0, 1.0], INERT[1]: [10, 40]}}
COMPARISONS = {"five_actions": {"treated": "five_actions", "reference": "baseline"},
               "kpis": {"treated": "action_kpis", "reference": "baseline"},
               "kpis_single_role": {"treated": "action_kpis", "reference": "single_role"}}
RUNS_AS = {"single_role": {"scenario": "baseline", "title": "Single-role reps"}}
DEFAULT_SILO = 0.2  # the synthetic scenarios' own silo level (the default point's)
TITLES = {"baseline": "Typical company", "five_actions": "Five key actions",
          "action_kpis": "KPIs and governance"}


def success_share(scenario: str, silo: float) -> float:
    """The planted truth: five actions +40 points below silo 0.5 and -25 points above it (a
    reversal by the silo group alone); KPIs +30 points everywhere; nothing else matters."""
    if scenario == "five_actions":
        return 0.7 if silo < 0.5 else 0.05
    return {"baseline": 0.3, "action_kpis": 0.6}[scenario]


def write_run(directory: Path, replicates: int = 200, block: dict | None = None,
              share=success_share) -> Path:
    """A robustness run of the planted truth in the engine's layout (runs, sweep, plan)."""
    design = Design.from_dict(block or BLOCK)
    silo = [*(row[0] for row in design.matrix()), DEFAULT_SILO]
    luck = np.random.default_rng(5).random(replicates)
    value_noise = np.random.default_rng(6).normal(0, 0.01, replicates)
    rows = []
    for scenario, title in TITLES.items():
        for index, level in enumerate(silo):
            won = luck < share(scenario, level)
            lift = {"baseline": 1.0, "action_kpis": 1.03, "five_actions": 1.05}[scenario]
            for rep in range(replicates):
                rows.append({"run_id": f"{scenario}-{index}-{rep}", "scenario": scenario,
                             "title": title, "point_id": f"{scenario}-{index}",
                             "point": f"{title}, design point {index}",
                             "point_index": index, "replicate": rep, "seed": 100 + rep,
                             "label": "success" if won[rep] else "stalled", "success": won[rep],
                             "value_vs_no_programme": lift + value_noise[rep],
                             "silo.level": level})
    directory.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).sample(frac=1.0, random_state=1).to_parquet(directory / "runs.parquet")
    sweep = {"experiment": "robustness", "design": design.to_dict(), "reference": None,
             "robustness": {"comparisons": COMPARISONS, "runs_as": RUNS_AS},
             "timing": {"wall_seconds": 4000.0},
             "failed_points": [], "git_commit": "0123456789abcdef", "model_code": "feedc0de"}
    (directory / "sweep.json").write_text(json.dumps(sweep))
    (directory / "plan.json").write_text(json.dumps(
        {"hydra_argv": ["experiment=robustness_quick", "out='/r'", "block=range(0,7)"]}))
    return directory


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> robustness.RobustnessResult:
    return robustness.analyze(write_run(tmp_path_factory.mktemp("planted")))


# ------------------------------------------------------------------------- the design


FAKE_SCHEMA = [
    {"key": "silo.level", "plausible": (0.3, 0.8)},
    {"key": "org.n_reps", "plausible": (10, 30)},            # whole number: stays whole
    {"key": "programme.sponsor_strength", "plausible": None},  # no range: not an assumption
    {"key": "programme.kpis", "plausible": (0, 1)},          # a switch: never a factor
    {"key": "lead_handoff.policy", "plausible": None},        # a policy: never a factor
    {"key": "programme.manager_enablement", "plausible": (0.1, 0.5)},
]


@pytest.fixture
def fake_schema(monkeypatch):
    monkeypatch.setattr(design_module, "schema_rows", lambda: FAKE_SCHEMA)
    assumption_factors.cache_clear()
    yield
    assumption_factors.cache_clear()


def test_assumptions_expand_to_the_schemas_plausible_ranges_grouped_by_block(fake_schema):
    design = Design.from_dict({"method": "morris", "samples": 3, "seed": 1, "groups": "block",
                               "default_point": True, "factors": "assumptions"})
    assert [(f.key, f.low, f.high, f.whole) for f in design.factors] == [
        ("model.silo.level", 0.3, 0.8, False), ("model.org.n_reps", 10.0, 30.0, True),
        ("model.programme.manager_enablement", 0.1, 0.5, False)]
    assert design.group_names == ["silo", "org", "programme"]
    assert design.unit == 4 and design.size == 3 * 4 + 1          # r (G + 1), and the default
    assert design.blocks()[-1] == range(12, 13) and design.points()[-1] == {}
    assert all(isinstance(p["model.org.n_reps"], int) for p in design.points()[:-1])
    recorded = design.to_dict()
    assert recorded["factors"]["model.silo.level"] == [0.3, 0.8]
    assert recorded["problem"]["groups"] == ["silo", "org", "programme"]
    assert Design.from_dict(recorded) == design


def test_a_step_of_a_grouped_trajectory_moves_one_block(fake_schema):
    design = Design.from_dict({"method": "morris", "samples": 4, "seed": 2, "groups": "block",
                               "factors": "assumptions",
                               "hold": ["org"]})   # held: each scenario keeps its own
    assert [f.key for f in design.factors] == ["model.silo.level",
                                               "model.programme.manager_enablement"]
    moves = robustness.steps(design)
    assert len(moves) == 4 * 2 and set(moves["group"]) <= {"silo", "programme"}


def test_named_groups_gather_whole_blocks(fake_schema):
    design = Design.from_dict({"method": "morris", "samples": 2, "seed": 1,
                               "factors": "assumptions",
                               "groups": {"the sales force": ["org"],
                                          "the rest": ["silo", "programme", "lead_handoff"]}})
    assert design.group_names == ["the rest", "the sales force", "the rest"]
    assert design.unit == 3 and Design.from_dict(design.to_dict()) == design
    assert design.to_dict()["groups"] == {"the sales force": ["org"],
                                          "the rest": ["silo", "programme", "lead_handoff"]}


@pytest.mark.parametrize(("block", "key"), [
    ({"groups": {"a": ["org"], "b": ["silo"]}}, "design.groups"),            # programme in none
    ({"groups": {"a": ["org", "silo"], "b": ["silo", "programme"]}}, "design.groups"),  # twice
    ({"groups": {"a": ["org", "silo", "programme", "sales"]}}, "design.groups"),  # no block
    ({"groups": "block", "method": "lhs"}, "design.groups"),
    ({"groups": "scenario"}, "design.groups"),
    ({"hold": ["leadr"], "factors": "assumptions"}, "design.hold"),
    ({"hold": ["org"], "factors": BLOCK["factors"]}, "design.hold"),  # only with assumptions
    ({"factors": "everything"}, "design.factors"),
    ({"default_point": "yes"}, "design.default_point"),
])
def test_bad_design_keys_are_refused_in_one_line(fake_schema, block, key):
    with pytest.raises(ConfigError) as caught:
        Design.from_dict({**BLOCK, "factors": "assumptions", **block})
    assert caught.value.key == key and "\n" not in str(caught.value)


# -------------------------------------------------------------------- the comparisons


SCENARIOS = ("baseline", "five_actions", "action_kpis", "high_silo", "low_silo")


@pytest.mark.parametrize(("block", "key"), [
    ({"comparisons": {"x": {"treated": "five_action", "reference": "baseline"}}},
     "robustness.comparisons.x.treated"),
    ({"comparisons": {"x": {"treated": "baseline", "reference": "baseline"}}},
     "robustness.comparisons.x.reference"),
    ({"comparisons": {"x": {"treated": "baseline"}}}, "robustness.comparisons.x"),
    ({"comparisons": {}}, "robustness.comparisons"),
    ({"pairs": {}}, "robustness"),
])
def test_a_bad_comparison_is_refused_in_one_line(block, key):
    with pytest.raises(ConfigError) as caught:
        comparisons_from(block, SCENARIOS)
    assert caught.value.key == key and "\n" not in str(caught.value)
    assert str(caught.value).startswith(f"{key}=")


def _settings(**changes) -> RunSettings:
    fields = {"seed": 0, "seeding": "common", "replications": 10, "precision": 0.1,
              "replications_batch": 20, "replications_max": 100, **changes}
    return RunSettings(**fields)


VALUES = {"high_silo": {"silo.level": 0.9}, "low_silo": {"silo.level": 0.2}}


def scenario_values(name: str) -> dict:
    """A scenario's parameters as runs columns: silo level differs in the silo scenarios,
    and single_role is the typical company itself."""
    return {"programme.sponsor_strength": 0.2, "org.n_reps": 100, "silo.level": 0.65,
            "programme.kpis": name in ("action_kpis", "five_actions"),
            "programme.cross_functional": name == "five_actions", **VALUES.get(name, {})}


@pytest.mark.parametrize(("settings", "comparison", "swept", "key"), [
    (_settings(seeding="independent"), ("five_actions", "baseline"), SCENARIOS, "seeding"),
    (_settings(replications="auto"), ("five_actions", "baseline"), SCENARIOS, "replications"),
    (_settings(), ("high_silo", "low_silo"), SCENARIOS, f"design.factors.{PLANTED}"),
    (_settings(), ("action_kpis", "baseline"), ("action_kpis", "baseline", "single_role"),
     "scenario"),                                 # two swept scenarios that are one point
    (_settings(), ("action_kpis", "high_silo"), ("action_kpis", "baseline"),
     "robustness.comparisons.c.reference"),       # neither swept nor a twin of one
])
def test_a_sweep_that_cannot_pair_its_comparisons_is_refused(settings, comparison, swept, key):
    with pytest.raises(ConfigError) as caught:
        check_sweep((Comparison("c", *comparison),), Design.from_dict(BLOCK), settings, swept,
                    scenario_values)
    assert caught.value.key == key and "\n" not in str(caught.value)


def test_a_compared_scenario_that_is_a_swept_ones_twin_runs_as_it():
    found = check_sweep((Comparison("c", "action_kpis", "single_role"),), Design.from_dict(BLOCK),
                        _settings(), ("action_kpis", "baseline"), scenario_values)
    assert found == {"single_role": "baseline"}


SMOKE_CONFIG = """# @package _global_
replications: 2
design:
  method: morris
  samples: 2
  seed: 5
  groups: block
  default_point: true
  factors:                # none shapes the market: one settling run serves every point
    model.company.leader_confidence_mean: [0.45, 0.8]
    model.confidence.erosion: [0.004, 0.03]
    model.confidence.stall_weeks: [4, 13]
robustness:
  comparisons:
    kpis: {treated: action_kpis, reference: baseline}
model:
  org: {n_reps: 8, n_marketers: 2}
  horizon_weeks: 80
hydra:
  mode: MULTIRUN
  sweeper:
    params:
      scenario: baseline,action_kpis
"""


@pytest.fixture
def smoke_configs(tmp_path) -> str:
    folder = tmp_path / "configs" / "experiment"
    folder.mkdir(parents=True)
    (folder / "robustness_smoke.yaml").write_text(SMOKE_CONFIG)
    return f"hydra.searchpath=[file://{tmp_path / 'configs'}]"


def test_the_plan_refuses_a_comparison_of_a_scenario_the_sweep_does_not_run(smoke_configs,
                                                                             tmp_path):
    with pytest.raises(ConfigError) as caught:
        make_plan(["experiment=robustness_smoke", smoke_configs, f"out={tmp_path / 'out'}",
                   "+robustness.comparisons.silo={treated: high_silo, reference: low_silo}"])
    assert caught.value.key == "robustness.comparisons.silo.treated"
    assert "one of the sweep's scenarios (action_kpis, baseline)" in str(caught.value)
    with pytest.raises(ConfigError) as caught:
        make_plan(["experiment=robustness_smoke", smoke_configs, f"out={tmp_path / 'out'}",
                   "robustness.comparisons.kpis.reference=basline"])
    assert caught.value.key == "robustness.comparisons.kpis.reference"


def test_the_shipped_experiments_compare_the_headline_scenarios():
    from experiments.config_tree import compose_config, config_tree, scenario_names

    with config_tree():
        for name in ("robustness", "robustness_quick"):
            cfg = compose_config([f"experiment={name}"], with_hydra=True)
            swept = set(str(cfg.hydra.sweeper.params.scenario).split(","))
            found = comparisons_from(OmegaConf.to_container(cfg.robustness), scenario_names())
            compared = {side for c in found for side in (c.treated, c.reference)}
            assert len(found) == 11 and swept <= set(scenario_names())
            assert compared - swept == {"single_role"}   # run as baseline (its twin)
            assert (cfg.design.factors, cfg.design.default_point) == ("assumptions", True)
            assert cfg.design.groups == "block" or name == "robustness_quick"
            assert cfg.seeding == "common" and isinstance(cfg.replications, int)


# ------------------------------------------------------------------------ the analysis


def test_the_planted_reversal_is_found_and_blamed_on_its_group_alone(planted):
    five = planted.screening(planted.comparisons[0], "success")
    assert five.verdict == FLIPS
    assert five.default.difference == pytest.approx(0.4, abs=0.05)
    assert five.culprits[FLIPPED] == ["silo"]          # the inert groups are never named
    assert "programme" not in five.culprits[HALVED] and "org" not in five.culprits[HALVED]
    assert five.unexplained == 0       # every trajectory's silo step crosses the line
    flipped = five.points[five.points["status"] == FLIPPED]
    assert len(flipped) and (flipped["difference"] < 0).all()
    mu = five.indices["mu_star"]
    assert mu.idxmax() == "silo" and mu["programme"] == mu["org"] == 0.0


def test_a_twin_scenario_is_read_from_the_runs_it_shares(planted):
    kpis, twin = planted.comparisons[1:]
    for output in OUTPUTS:
        assert planted.screening(twin, output).default == planted.screening(kpis, output).default
    assert robustness.comparison_title(twin, planted.titles) == (
        "KPIs and governance vs Single-role reps")
    assert any("single_role has the same parameters as baseline" in n for n in planted.notes)


def test_a_constant_lead_is_robust_on_both_outputs(planted):
    kpis = planted.comparisons[1]
    for output in OUTPUTS:
        screening = planted.screening(kpis, output)
        assert screening.verdict == ROBUST, output
        assert not screening.culprits[FLIPPED] and not screening.culprits[HALVED]
    value = planted.screening(kpis, "value_vs_no_programme")
    assert value.default.difference == pytest.approx(0.03)


def test_a_halving_is_told_from_a_reversal(tmp_path):
    def halved(scenario: str, silo: float) -> float:
        if scenario == "five_actions":
            return 0.7 if silo < 0.5 else 0.4   # +40 -> +10 points: halved, never reversed
        return success_share(scenario, silo)

    result = robustness.analyze(write_run(tmp_path, share=halved))
    five = result.screening(result.comparisons[0], "success")
    assert five.verdict == HALVES and five.culprits[HALVED] == ["silo"]
    assert "halves when the assumptions on silos change" in robustness.sentence(five,
                                                                                result.titles)


def test_too_few_replications_are_not_called_robust(tmp_path):
    def small(scenario: str, silo: float) -> float:
        return {"baseline": 0.3, "action_kpis": 0.45, "five_actions": 0.55}[scenario]

    result = robustness.analyze(write_run(tmp_path, replicates=30, share=small))
    kpis = result.screening(result.comparisons[1], "success")
    assert kpis.verdict in (UNTESTED, UNCLEAR)
    text = robustness.sentence(kpis, result.titles)
    assert text.startswith(("Not shown fragile:", "Unclear:"))
    if kpis.verdict == UNTESTED:
        assert kpis.replicates_to_tell > 30 and f"{kpis.replicates_to_tell:,}" in text


def test_sentences_say_robust_and_fragile_in_plain_words(planted):
    five, kpis = (planted.screening(c, "success") for c in planted.comparisons[:2])
    fragile = robustness.sentence(five, planted.titles)
    assert fragile.startswith("Fragile: the lead of Five key actions over Typical company in "
                              f"success rate ({robustness.estimate_text('success', five.default)}"
                              " at the defaults) reverses when the assumptions on silos change (")
    lead = robustness.points_text("success", kpis.default.difference)  # the same at every point
    steady = robustness.sentence(kpis, planted.titles)
    assert steady == ("Robust: across the plausible range of every assumption, KPIs and "
                      f"governance stays ahead of Typical company in success rate ({lead[:3]} to "
                      f"{lead} over 24 settings of the assumptions; "
                      f"{robustness.estimate_text('success', kpis.default)} at the defaults); no "
                      "assumption flips or halves it.")


def test_console_markdown_and_figures(planted, tmp_path, capsys):
    doc = tmp_path / "robustness.md"
    doc.write_text(f"# Robustness\n\nintro\n\n{robustness.RESULTS_START}\nPLACEHOLDER\n"
                   f"{robustness.RESULTS_END}\n\n## After\n")
    assert robustness.main([str(planted.directory), "--markdown", str(doc)]) == 0
    text = doc.read_text()
    assert text.startswith("# Robustness\n\nintro\n") and text.endswith("## After\n")
    assert "PLACEHOLDER" not in text and "Made by `silosim experiment=robustness_quick`" in text
    assert "1 h 07 min wall time" in text and "| Five key actions vs Typical company |" in text
    for key in robustness.FIGURES:
        assert (tmp_path / "img" / f"{key}.png").stat().st_size > 10_000
        assert f"](img/{key}.png)" in text
    out = capsys.readouterr().out
    assert "== success rate ==" in out and "can flip" in out


def test_the_cli_refuses_a_directory_that_is_not_a_robustness_run(tmp_path, capsys):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(), 10)
    assert robustness.main([str(directory)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: robustness run=") and err.count("\n") == 1


# -------------------------------------------------------------------------- the report


def test_a_report_quotes_the_verdict_on_its_own_comparisons(planted, tmp_path):
    points = [*synthetic.scenario_comparison(),
              synthetic.SyntheticPoint("action_kpis", 0.6, {"programme.kpis": True}),
              synthetic.SyntheticPoint("high_silo", 0.1, {"silo.level": 0.9})]
    directory = synthetic.write_results(tmp_path / "sweep", points, 40,
                                        extras=synthetic.Extras(titles=True, labels=True))
    markdown = (write_report(directory, robustness_dir=planted.directory).parent
                / "report.md").read_text()
    section = markdown.split("## Robust to the assumptions?")[1].split("\n## ")[0]
    lines = [line for line in section.splitlines() if line.startswith("- ")]
    assert len(lines) == 3
    assert any("Fragile: the lead of Five key actions over Typical company" in line
               and "reverses when the assumptions on silos change" in line for line in lines)
    assert any("Robust: across the plausible range of every assumption, KPIs and governance "
               "stays ahead of Typical company" in line for line in lines)
    assert any("no verdict; the robustness run does not compare these two scenarios" in line
               for line in lines)


def test_the_report_cli_refuses_a_robustness_run_that_is_not_one(tmp_path, capsys):
    directory = synthetic.write_results(tmp_path / "sweep", synthetic.scenario_comparison(), 10)
    assert report_main([str(directory), "--robustness", str(directory)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("silosim-report: error: robustness run=") and err.count("\n") == 1


# ------------------------------------------------------------------ a tiny real run


def test_a_tiny_robustness_run_through_silosim_and_the_analysis(smoke_configs, tmp_path):
    out = tmp_path / "run"
    done = subprocess.run([sys.executable, "-m", "experiments.cli", "experiment=robustness_smoke",
                           smoke_configs, f"out={out}"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = robustness.analyze(out)
    assert json.loads((out / "sweep.json").read_text())["points"] == 2 * 7  # scenarios x points
    assert [c.name for c in result.comparisons] == ["kpis"]
    screening = result.screening(result.comparisons[0], "success")
    assert len(screening.points) == 2 * 3 and screening.replicates == 2
    assert screening.indices is not None and set(screening.indices.index) == {"company", "confidence"}
    assert robustness.sentence(screening, result.titles).split(":")[0] in set(
        robustness.VERDICT_LEAD.values())
    report = (out / "report.md").read_text()   # its own report: the robustness section instead
    section = report.split("## Robustness to the assumptions")[1].split("\n## ")[0]
    assert "KPIs and governance vs Typical company" in section
    assert "figures/robustness_spread.png" in section and (out / "figures" /
                                                          "robustness_importance.png").is_file()
    assert "## Sensitivity" not in report and "## Scenario discovery" not in report
