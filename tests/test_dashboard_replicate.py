"""Replicate: the CLI's replicates of the levers on screen, in worker processes, and their stats;
the user's own scenario folder; the server's Host check and local-only CDN route."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pandas as pd
import pytest

from analysis import synthetic
from analysis.results import RUNS_FILE
from dashboard.comparison import load_sweep
from dashboard.launch import main as launch
from dashboard.levers import Settings, presets, scenarios_from
from dashboard.replicate import Replication, replicate
from dashboard.server import LocalAssets, allowed_hosts, guarded
from experiments.seeds import point_id, replicate_seed
from sim.errors import ConfigError
from sim.run import run_replication

SMALL = Settings("small_org").with_values({"model.horizon_weeks": 60})


@pytest.fixture(scope="module")
def replicated() -> pd.DataFrame:
    calls: list[tuple[int, int]] = []
    runs = replicate(SMALL, 4, progress=lambda k, n: calls.append((k, n)))
    runs.attrs["calls"] = calls
    return runs


def test_replications_are_the_clis_replicates_of_the_levers_on_screen(replicated):
    assert replicated["replicate"].tolist() == [0, 1, 2, 3]
    for row in replicated.itertuples():
        seed = replicate_seed(SMALL.seed, row.replicate)
        assert row.seed == seed
        assert row.label == run_replication(SMALL.params, seed).kpis["label"]
    calls = replicated.attrs["calls"]
    assert calls[-1] == (4, 4) and [k for k, _ in calls] == sorted(k for k, _ in calls)


def test_stop_keeps_what_finished_and_cancels_the_rest():
    runs = replicate(SMALL, 12, stop=lambda: True)
    assert 1 <= len(runs) < 12
    assert set(runs["replicate"]) <= set(range(12))


def test_a_bad_number_of_replications_is_refused():
    for bad in (0, 1001, 2.5, True):
        with pytest.raises(ConfigError, match=r"replications=.* a whole number from 1 to 1000"):
            replicate(SMALL, bad)


def test_replication_statistics_and_their_place_beside_a_sweep(tmp_path, replicated):
    result = Replication(SMALL, replicated)
    assert result.rate_text().startswith("Success: ") and "of 4 runs" in result.rate_text()
    assert sum(result.label_mix().values()) == pytest.approx(1.0)
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(0.2, 0.5), 4,
                                        weeks=4)
    runs = pd.read_parquet(directory / RUNS_FILE)
    five = runs["scenario"] == "five_actions"
    runs.loc[five, "point_id"] = point_id(SMALL.params.flatten())   # the sweep ran these levers
    runs.loc[five, "seed"] = [replicate_seed(0, r) for r in runs.loc[five, "replicate"]]
    runs.loc[five, "label"] = replicated["label"].to_numpy()
    runs.loc[five, "success"] = runs.loc[five, "label"] == "success"
    runs.loc[~five, "seed"] = runs.loc[five, "seed"].to_numpy()
    runs.to_parquet(directory / RUNS_FILE, index=False)
    lines = result.against_sweep(load_sweep(directory))
    assert "ran these exact levers" in lines[0] and "4 of the 4 runs both made" in lines[0]
    assert lines[1].startswith("Against the sweep's reference: on screen ")
    assert "paired on 4 shared seeds, McNemar's exact test" in lines[1]


def test_a_users_own_scenario_folder_joins_silosims(tmp_path, capsys, monkeypatch):
    def never_serve(*args: object) -> None:
        raise AssertionError("silosim-dash started its server on bad input")

    monkeypatch.setattr("os.execve", never_serve)
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "acme.yaml").write_text(
        "# @package _global_\ndefaults:\n  - baseline\n  - _self_\nscenario: acme\n"
        "title: ACME today\nquestion: Would ACME do better with agile delivery?\n"
        "model:\n  silo:\n    level: 0.85\n")
    with scenarios_from(folder):
        acme = Settings("acme")
        assert acme.params.silo.level == 0.85
        assert presets("scenario")["acme"].title == "ACME today"
        assert "baseline" in presets("scenario")
    assert "acme" not in presets("scenario")   # the tree closed with the block
    (folder / "broken.yaml").write_text("# @package _global_\nscenario: broken\n"
                                        "model:\n  silo:\n    level: 7\n")
    with pytest.raises(SystemExit):
        launch(["--scenarios", str(folder), "--scenario", "acme"])
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "broken.yaml" in error and "silo.level" in error
    (folder / "broken.yaml").unlink()
    (folder / "baseline.yaml").write_text("scenario: baseline\n")
    with pytest.raises(ConfigError, match=r"baseline\.yaml is one of configs/scenario/"), \
            scenarios_from(folder):
        pass
    with pytest.raises(ConfigError, match="a directory of scenario files"), \
            scenarios_from(tmp_path / "missing"):
        pass


# ------------------------------------------------------------------- the server guards


async def _call(app, path: str, host: str) -> tuple[int, bytes]:
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(),
             "query_string": b"", "headers": [(b"host", host.encode())], "scheme": "http",
             "server": ("127.0.0.1", 8765), "http_version": "1.1", "root_path": ""}
    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body


def test_only_this_machines_host_names_are_served_and_the_cdn_never_fetches(tmp_path):
    cache = tmp_path / "cdn"
    (cache / "pkg@1.0.0").mkdir(parents=True)
    (cache / "pkg@1.0.0" / "main.js").write_text("ok")
    reached: list[str] = []

    async def inner(scope, receive, send) -> None:
        reached.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"inner"})

    app = guarded(inner, allowed_hosts("127.0.0.1"), cache)
    assert asyncio.run(_call(app, "/", "127.0.0.1:8765"))[0] == 200
    assert asyncio.run(_call(app, "/", "localhost:8765"))[0] == 200
    assert asyncio.run(_call(app, "/", "evil.example"))[0] == 400
    assert asyncio.run(_call(app, "/_solara/cdn/pkg@1.0.0/main.js", "127.0.0.1"))[0] == 200
    status, body = asyncio.run(_call(app, "/_solara/cdn/other@2.0.0/x.js", "127.0.0.1"))
    assert (status, body) == (404, b"not available offline")
    assert asyncio.run(_call(app, "/_solara/cdn/../../etc/passwd", "127.0.0.1"))[0] == 404
    assert reached == ["/", "/", "/_solara/cdn/pkg@1.0.0/main.js"]  # nothing else got through
    assert LocalAssets(inner, cache).on_disk("pkg@1.0.0/main.js")
    assert allowed_hosts("0.0.0.0", ["acme-laptop"])[-2:] == ["0.0.0.0", "acme-laptop"]


def test_the_cdn_cache_holds_the_pages_own_scripts():
    from solara.server.settings import assets

    cache = Path(assets.proxy_cache_dir)
    assert (cache / "requirejs@2.3.6").is_dir()
