"""The dashboard through its model API: a live run is the CLI's run, presets are the config files.

The browser side is in ``test_dashboard_browser.py``; here the settings, the model the
page steps, its network layout, the comparison view's data and the launcher's refusals
are checked without a server.
"""

from __future__ import annotations

import re

import ipyvuetify as v
import ipywidgets
import numpy as np
import pandas as pd
import pytest
import solara
import solara.widgets

from analysis import synthetic
from analysis.results import RUNS_FILE
from dashboard import charts, live
from dashboard.app import Page, label_mix_html, open_sweep
from dashboard.comparison import league_rows, live_in_sweep, live_point, load_sweep
from dashboard.launch import main as launch
from dashboard.levers import SCENARIO, Settings, actions, presets
from experiments.config_tree import compose_config, config_tree
from experiments.point import resolve_point
from experiments.seeds import point_id, replicate_seed
from experiments.settings import RunSettings
from sim.errors import ConfigError
from sim.run import run_replication

CHANGED = {"model.silo.level": 0.3, "model.lead_handoff.policy": "abc_scoring",
           "model.silo.mitigations": ["rotation", "shared_dashboard"],
           "model.programme.explanations": True}


def cli_run(settings: Settings):
    """What ``silosim <settings.overrides()> replications=1`` composes and runs as replicate 0."""
    with config_tree():
        cfg = compose_config(settings.overrides())
    point, run = resolve_point(cfg, {}), RunSettings.from_config(cfg)
    seed = replicate_seed(run.seed, 0, point.point_id if run.seeding == "independent" else None)
    return point.params, seed


def test_reset_with_changed_levers_replays_the_cli_run_bit_for_bit():
    settings = Settings("five_actions").with_preset("org", "small").with_values(CHANGED).with_seed(7)
    params, seed = cli_run(settings)
    assert params == settings.params and seed == settings.run_seed
    expected = run_replication(params, seed)

    model = live.LiveModel(settings=settings)  # what Reset builds
    while model.running:
        model.step()
    model.step()                                # past the horizon: nothing more happens

    assert model.week == params.horizon_weeks
    pd.testing.assert_frame_equal(model.weekly_frame(), expected.timeseries, check_exact=True)
    pd.testing.assert_frame_equal(model.weekly_frame(until=model.week), model.weekly_frame())
    verdict = live.label_so_far(model, model.week)
    assert verdict.final and verdict.label == expected.kpis["label"]


def test_page_applies_a_changed_lever_at_reset_and_steps_a_week():
    _, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)

    def shown() -> str:
        return " ".join(w.unsafe_innerHTML or "" for w in rc.find(solara.widgets.HTML).widgets)

    def titles() -> list[str]:
        return [title for w in rc.find(v.CardTitle).widgets for title in w.children]

    rc.find(v.Checkbox, label="4. Agile delivery").widget.fire_event("change", True)
    assert "Press Reset" in rc.find(v.Alert).widget.children[0]
    assert "delivery=agile" not in shown()                  # the running model is unchanged
    rc.find(v.Btn, children=["Reset"]).widget.fire_event("click", {})
    assert "silosim scenario=baseline delivery=agile seed=0" in shown()
    assert not rc.find(v.Alert).widgets
    rc.find(v.Btn, children=["Step"]).widget.fire_event("click", {})
    assert "Week 1 of 156 · phase: baseline" in titles()


def test_the_page_shows_titles_and_help_not_raw_names_nor_solaraviz_leftovers():
    _, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    selects = rc.find(v.Select).widgets
    scenario = next(s for s in selects if s.label == "Scenario")
    assert {"text": "Typical company", "value": "baseline"} in scenario.items
    assert scenario.hint.startswith("How often does a typical company")
    leader = next(s for s in selects if s.label == "Who leads the programme")
    assert {"text": "Boundary spanner", "value": "boundary_spanner"} in leader.items
    assert {"text": "IT-led", "value": "it_led"} in leader.items
    assert leader.v_model == "it_led" and leader.hint == "the files in configs/leader/"
    delivery = next(s for s in selects if s.label == "Delivery mode")
    assert {"text": "Agile", "value": "agile"} in delivery.items
    handoff = next(s for s in selects if s.label == "Lead handoff policy")
    assert handoff.hint.startswith("Dump all leads on sales")          # what the choice does
    assert "source" not in handoff.hint and "(002" not in handoff.hint
    slider = rc.find(v.Slider, persistent_hint=True).widget
    assert slider.hint == "0 aligned, 1 walled off"                   # the schema's meaning
    shown = " ".join(str(w.children) for w in rc.find(v.Html).widgets)
    assert "Silo level: 0.65" in shown and "Silo level s" not in shown
    assert "(001)" not in shown and "source:" not in shown
    titles = [t for w in rc.find(v.CardTitle).widgets for t in w.children]
    assert "Model Parameters" not in titles and not any("PAGE" in t for t in titles)
    assert "Time:" not in shown
    assert "Week 0 of 156" in " ".join(titles)


def test_before_the_first_week_the_charts_say_how_to_start_instead_of_drawing_nothing():
    _, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)

    def waiting() -> list[str]:
        return [w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets
                if "class='waiting'" in (w.unsafe_innerHTML or "")]

    assert len(waiting()) == len(charts.LIVE_CHARTS)
    assert all("No week simulated yet: press Step or ▶ to start." in text for text in waiting())
    assert any(charts.about(charts.funnel_chart) in text for text in waiting())
    assert len(rc.find(ipywidgets.Image).widgets) == 1                # only the network view
    rc.find(v.Btn, children=["Step"]).widget.fire_event("click", {})
    assert waiting() == []
    assert len(rc.find(ipywidgets.Image).widgets) == 1 + len(charts.LIVE_CHARTS)


def test_the_funnel_title_names_the_weeks_it_sums():
    model = live.LiveModel(settings=Settings("small_org"))
    model.step()
    assert charts.funnel_chart(model, 1).axes[0].get_title() == "Lead funnel, week 0"
    model.step()
    assert charts.funnel_chart(model, 2).axes[0].get_title() == "Lead funnel, weeks 0–1"


def test_label_mix_is_drawn_in_the_report_colours_with_every_share():
    mix = {"success": 0.35, "stalled": 0.4, "low_adoption": 0.25, "not_sustained": 0.0}
    page = label_mix_html(mix)
    assert page.count("width:") == 3 and "35%" in page and "not sustained 0%" in page
    assert charts.LABEL_COLOURS_HEX["stalled"] in page


def test_every_scenario_file_loads_as_the_cli_composes_it():
    names = list(presets(SCENARIO))
    assert len(names) >= 20 and "baseline" in names
    with config_tree():
        for name in names:
            cfg = compose_config([f"scenario={name}"])
            assert Settings(name).params == resolve_point(cfg, {}).params, name


def test_action_toggles_apply_exactly_the_action_files():
    five = actions()
    assert [a.name for a in five] == ["action_boundary_spanner", "action_kpis",
                                      "action_cross_functional", "action_agile",
                                      "action_change_management"]
    baseline = Settings()
    for action in five:
        on = baseline.with_action(action.name, True)
        assert on.params == Settings(action.name).params, action.name
        assert [on.action_on(a.name) for a in five] == [a is action for a in five]
    all_on = baseline
    for action in five:
        all_on = all_on.with_action(action.name, True)
    assert all_on.params == Settings("five_actions").params
    all_off = Settings("five_actions")
    for action in five:
        all_off = all_off.with_action(action.name, False)
    assert all_off.params == baseline.params and all_off.edits != {}


def test_group_dropdowns_show_the_file_the_run_matches():
    assert Settings().preset_choice("org") == "default"
    assert Settings("small_org").preset_choice("org") == "small"
    assert Settings().preset_choice("incentive") == "commission"
    assert Settings().with_preset("incentive", "shared_revenue").preset_choice("incentive") == (
        "shared_revenue")
    assert Settings("revenue_aligned").preset_choice("incentive") is None   # a custom mix
    edited = Settings().with_values({"model.silo.level": 0.3})
    assert edited.with_values({"model.silo.level": 0.65}).edits == {}     # back to the scenario's


def test_network_layout_is_computed_once_per_model(monkeypatch):
    calls, original = [], live.team_layout

    def counted(*args):
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(live, "team_layout", counted)
    model = live.LiveModel(settings=Settings("small_org"))
    for _ in range(3):
        charts.network_chart(model, model.week)
        model.step()
    assert len(calls) == 1
    layout = model.layout
    centres = layout.teams[model.force.team]
    assert np.allclose(np.hypot(*(layout.seats - centres).T), live.TEAM_RADIUS)
    assert layout.ties.shape[1:] == (2, 2) and len(layout.ties) > 0
    charts.network_chart(live.LiveModel(settings=Settings("small_org")), 0)
    assert len(calls) == 2


def test_bad_input_is_refused_with_one_line_naming_key_value_and_what_is_allowed(tmp_path, capsys):
    with pytest.raises(ConfigError, match=r"^scenario='nope' is not allowed: one of .*baseline"):
        Settings("nope")
    with pytest.raises(ConfigError, match=r"^model.silo.level=1.5 is not allowed: a number"):
        Settings().with_values({"model.silo.level": 1.5})
    with pytest.raises(ConfigError, match=r"^seed=-1 is not allowed"):
        Settings().with_seed(-1)
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / RUNS_FILE).write_bytes(b"not parquet")
    for argv, key in ((["--scenario", "nope"], "--scenario='nope'"),
                      (["--results", str(tmp_path / "missing")], "--results="),
                      (["--results", str(corrupt)], "runs.parquet: cannot be read as Parquet"),
                      (["--port", "70000"], "--port=70000")):
        with pytest.raises(SystemExit) as stop:
            launch(argv)
        error = capsys.readouterr().err
        assert stop.value.code == 2 and error.count("\n") == 1, argv
        assert error.startswith("silosim-dash: error: ") and key in error, error
    assert "cannot be read as Parquet" in open_sweep(str(corrupt))


def test_comparison_shows_the_league_and_finds_the_live_run_in_the_sweep(tmp_path):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(), 20, weeks=26)
    settings = Settings("five_actions")
    assert live_point(load_sweep(directory), settings) is None
    runs = pd.read_parquet(directory / RUNS_FILE)
    five = runs["scenario"] == "five_actions"
    runs.loc[five, "point_id"] = live_point_id = point_id(settings.params.flatten())
    runs.loc[five & (runs["replicate"] == 0), "seed"] = settings.run_seed
    runs.to_parquet(directory / RUNS_FILE, index=False)

    sweep = load_sweep(directory)
    live_name = live_point(sweep, settings)
    assert sweep.results.points.set_index("point").loc[live_name, "point_id"] == live_point_id
    rows = league_rows(sweep, live_name)
    assert list(rows["point"]) == [f"{live_name} ◀ live run", "baseline (reference)"]
    assert rows["success [95% CI]"].iloc[0].startswith("50%")
    sentence = live_in_sweep(sweep, settings, live_name)
    assert "50%" in sentence and "this very run" in sentence
    assert sweep.figure[:8] == b"\x89PNG\r\n\x1a\n"
    assert "return on cost [95% CI]" not in rows.columns               # no economics here


def test_the_saved_sweep_table_gives_each_points_return_with_its_interval(tmp_path):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(0.2, 0.6), 30,
                                        weeks=26, extras=synthetic.Extras(titles=True,
                                                                          economics=True))
    sweep = load_sweep(directory)
    rows = league_rows(sweep, None).set_index("point")
    runs = pd.read_parquet(directory / RUNS_FILE)
    for scenario, name in (("five_actions", "Five key actions"),
                           ("baseline", "Typical company (reference)")):
        text = rows.loc[name, "return on cost [95% CI]"]
        mean = runs.loc[runs["scenario"] == scenario, "roi"].mean()
        low, high = (float(v) for v in re.findall(r"-?\d+", text.split("[")[1]))
        assert text.startswith(f"{100 * mean:.0f}% [") and low < 100 * mean < high


def test_early_charts_have_honest_count_axes_and_say_when_nothing_was_spent():
    model = live.LiveModel(settings=Settings("small_org"))
    for _ in range(3):
        model.step()
    money = charts.money_chart(model, 3).axes[0]
    assert money.get_ylim() == (-1.0, 1.0)
    assert any(t.get_text() == "no programme spend yet" for t in money.texts)
    for chart in (charts.attrition_chart, charts.revenue_chart):
        counts = chart(model, 3).axes[1]                     # the count axis on the right
        bottom, top = counts.get_ylim()
        assert bottom == 0 and top >= 1
