"""A sweep on a Ray cluster through Hydra's stock Ray launcher gives the basic launcher's results.

The fixture starts a local Ray cluster of its own (a head node with two worker CPUs, in
its own temporary directory, with its own authentication token, so a token another Ray
left in ``~/.ray`` cannot interfere) and ``silosim`` joins it as a user would join a real
one: ``hydra/launcher=ray_cluster`` with ``RAY_ADDRESS``. Needs the ``ray`` extra
(``pip install -e '.[ray]'``; ``.ci/run`` installs it).
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_engine_sweeps import BIN, POINTS, SWEEP, assert_clean, assert_same_results, sweep

pytest.importorskip("hydra_plugins.hydra_ray_launcher", reason="needs the ray extra")
pytestmark = pytest.mark.ray

RAY_CLUSTER = ["hydra/launcher=ray_cluster"]


@pytest.fixture(scope="module")
def ray_cluster(tmp_path_factory) -> Iterator[dict[str, str]]:
    """A local two-CPU Ray cluster, stopped (with all its processes) when the module ends.

    Yields the environment that joins it: its address and authentication token.
    """
    temp = Path(f"/tmp/silosim-ray-{os.getpid()}")  # Ray's socket paths must stay short
    log = tmp_path_factory.mktemp("ray") / "ray.log"
    auth = {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32)}
    with open(log, "w") as handle:
        head = subprocess.Popen(
            [str(BIN / "ray"), "start", "--head", "--block", "--num-cpus=2", "--port=0",
             f"--temp-dir={temp}", "--include-dashboard=false", "--disable-usage-stats"],
            stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
            env=os.environ | auth)
    try:
        address = None
        deadline = time.monotonic() + 120
        while address is None and time.monotonic() < deadline and head.poll() is None:
            found = re.search(r"ray start --address='([^']+)'", log.read_text())
            address = found.group(1) if found else time.sleep(0.5)
        assert address, f"Ray did not start: {log.read_text()[-2000:]}"
        yield auth | {"RAY_ADDRESS": address}
    finally:
        head.terminate()  # ray start --block stops the processes it started
        try:
            head.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(head.pid, signal.SIGKILL)
        subprocess.run(["rm", "-rf", str(temp)], check=False)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference")
    sweep(out)
    return out


def test_a_sweep_on_a_ray_cluster_gives_the_basic_launchers_results(ray_cluster, reference,
                                                                    tmp_path, monkeypatch):
    for name, value in ray_cluster.items():
        monkeypatch.setenv(name, value)
    result = sweep(tmp_path, *RAY_CLUSTER)
    assert f"{POINTS} of {POINTS} points" in result.stdout
    assert_same_results(tmp_path, reference)
    assert_clean(tmp_path)


def test_a_ray_sweep_killed_midway_resumes_to_the_uninterrupted_results(ray_cluster, reference,
                                                                       tmp_path, monkeypatch):
    for name, value in ray_cluster.items():
        monkeypatch.setenv(name, value)
    process = subprocess.Popen([str(BIN / "silosim"), *SWEEP, f"out={tmp_path}", *RAY_CLUSTER],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while not list(tmp_path.glob("jobs/*/done.json")) and time.monotonic() < deadline:
        time.sleep(0.01)
    process.kill()  # the driver only: the cluster's workers may still be running its tasks
    process.wait(timeout=30)
    finished = {p.parent.name: p.stat().st_mtime_ns for p in tmp_path.glob("jobs/*/done.json")}
    assert 0 < len(finished) < POINTS, "the kill must land mid-sweep"
    sweep(tmp_path, *RAY_CLUSTER)
    assert_same_results(tmp_path, reference)
    for job, stamp in finished.items():
        assert (tmp_path / "jobs" / job / "done.json").stat().st_mtime_ns == stamp
    assert_clean(tmp_path)
