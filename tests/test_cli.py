"""Bad input to ``silosim`` is refused up front: one line naming key, value and what is allowed.

Each case must exit with status 2 before any job runs (no job directory, no
results) and print exactly one line, never Hydra's multi-line errors or a traceback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from experiments.cli import main

BAD_INPUT = {
    "unknown experiment": (["-m", "experiment=nope"], "experiment='nope'", "one of "),
    "unknown scenario": (["scenario=utopia"], "scenario='utopia'", "baseline"),
    "unknown launcher": (["-m", "hydra/launcher=cloud"], "hydra/launcher='cloud'", "local"),
    "no workers": (["-m", "hydra/launcher=local", "hydra.launcher.n_jobs=0"],
                   "hydra.launcher.n_jobs=0", "or -1 for one per core"),
    "sweep over an unknown key": (["-m", "model.silo.levl=0.1,0.2"], "model.silo.levl=",
                                  "model.silo.level"),
    "unknown engine key": (["replicatons=5"], "replicatons=5", "replications"),
    "out-of-range swept value": (["-m", "model.silo.level=0.5,1.5"], "model.silo.level=1.5",
                                 "from 0.0 to 1.0"),
    "out-of-range value": (["model.org.n_reps=2"], "model.org.n_reps=2", "from 4 to 20000"),
    "wrong type": (["model.org.n_reps=many"], "model.org.n_reps='many'", "a whole number"),
    "unknown policy": (["model.lead_handoff.policy=telepathy"],
                       "model.lead_handoff.policy='telepathy'", "abc_scoring"),
    "policy swept in a grid": (["-m", "model.account_handoff.policy=single_role,random"],
                               "model.account_handoff.policy='random'", "single_role"),
    "bad replications": (["replications=0"], "replications=0", "or auto"),
    "bad seeding": (["seeding=shared"], "seeding='shared'", "common, independent"),
    "bad precision": (["replications=auto", "precision=0.7"], "precision=0.7", "between 0"),
    "sweep without -m": (["model.silo.level=0.1,0.2"], "model.silo.level=", "add -m"),
    "design bounds out of range": (["-m", "experiment=levers_lhs", "design.samples=4",
                                    "design.factors.model.silo.level=[0,2]"],
                                   "design.factors.model.silo.level=[0, 2]", "<= 1.0"),
    "policy as a design factor": (["-m", "experiment=levers_lhs",
                                   "+design.factors.model.programme.leader=[0,1]"],
                                  "design.factors.model.programme.leader=", "a numeric parameter"),
    "unknown reference": (["-m", "experiment=org_size", "reference=nirvana"],
                          "reference='nirvana'", "baseline"),
    "several experiments": (["-m", "experiment=org_size,levers_lhs"],
                            "experiment='org_size,levers_lhs'", "one experiment per sweep"),
    "hydra's own output dir": (["-m", "model.silo.level=0.1,0.2", "hydra.sweep.dir=/tmp/x"],
                               "hydra.sweep.dir='/tmp/x'", "out=DIR"),
    "shuffled sweep": (["-m", "model.silo.level=shuffle(0.1,0.2)"], "model.silo.level=",
                       "without shuffle"),
    "another config dir": (["--config-dir", "/tmp"], "--config-dir='/tmp'", "hydra.searchpath"),
    "hydra's rerun": (["--cfg", "job", "--experimental-rerun", "config.pickle"],
                      "--experimental-rerun='config.pickle'", "run the same command again"),
    "run and sweep": (["-r", "-m", "model.silo.level=0.1,0.2"], "--run='with --multirun'",
                      "one of them"),
    "resolve without cfg": (["--resolve"], "--resolve='without --cfg'", "only with --cfg"),
}


@pytest.mark.parametrize(("argv", "named", "allowed"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_refused_in_one_line_before_any_job(argv, named, allowed, tmp_path,
                                                         capsys):
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as caught:
        main([*argv, f"out={out}"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("silosim: error: "), err
    assert named in err and allowed in err and "is not allowed" in err
    assert not out.exists()


@pytest.mark.parametrize("make_unwritable", ["under_a_file", "in_proc"])
def test_an_output_directory_that_cannot_be_written_is_refused(make_unwritable, tmp_path,
                                                               capsys):
    if make_unwritable == "under_a_file":
        (tmp_path / "file").write_text("")
        out = tmp_path / "file" / "results"
    else:
        out = Path("/proc/silosim-results")
    with pytest.raises(SystemExit) as caught:
        main(["-m", "model.silo.level=0.1,0.2", f"out={out}"])
    err = capsys.readouterr().err
    assert caught.value.code == 2 and err.count("\n") == 1
    assert f"out='{out}' is not allowed: a writable directory" in err


def test_the_installed_command_prints_one_line_and_no_traceback(tmp_path):
    result = subprocess.run(
        [str(Path(sys.executable).parent / "silosim"), "-m", "model.silo.level=0.2,7",
         f"out={tmp_path / 'out'}"], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2
    assert result.stderr == ("silosim: error: model.silo.level=7.0 is not allowed: "
                             "a number from 0.0 to 1.0\n")
    assert result.stdout == ""
    assert not (tmp_path / "out").exists()
