"""Bad input to ``silosim`` is refused up front: one line naming key, value and what is allowed.

An adversarial table, as a hostile or careless user would type it: each case must exit
with status 2 before any job runs, print exactly one line on stderr (never Hydra's
multi-line errors or a traceback) and leave no trace: no output directory, nothing in the
working directory, no file a config tried to make a callable create.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from experiments.cli import main

BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x, x, x]\n" + "".join(  # 12^10 x's once merged
    f"{c}: &{c} [" + ", ".join([f"*{p}"] * 12) + "]\n" for p, c in zip("abcdefghi", "bcdefghij",
                                                                     strict=True))
#: config folders for hydra.searchpath: relative path -> content ({pwned}: a path to create)
FOLDERS = {
    "callback": {"experiment/pwned.yaml": "# @package _global_\nhydra:\n  callbacks:\n    x:\n"
                 "      _target_: os.makedirs\n      name: {pwned}\n"},
    "factory": {"experiment/pwned.yaml": "# @package _global_\nhydra:\n  job_logging:\n"
                "    handlers:\n      evil:\n        (): os.makedirs\n        name: {pwned}\n"},
    "launcher": {"experiment/pwned.yaml": "# @package _global_\nhydra:\n  launcher:\n"
                 "    setup: ['mkdir {pwned}']\n"},
    "target": {"experiment/pwned.yaml": "# @package _global_\nablation:\n  _target_: os.makedirs\n"
               "  name: {pwned}\n"},
    "bomb": {"experiment/bomb.yaml": BOMB},
    "big": {"experiment/big.yaml": "x: " + "y" * 1_100_000 + "\n"},
    "broken": {"experiment/broken.yaml": "a: [unclosed\n"},
    "new_key": {"experiment/extra.yaml": "# @package _global_\nreplication: 5\n"},
}
SWEEP = ["-m", "model.silo.level=0.2,0.8"]
DESIGN = ["-m", "experiment=levers_lhs", "design.samples=4"]
BAD_INPUT = {
    # flags
    "unknown flag": (["--frobnicate"], "command line=", "see --help"),
    "another config dir": (["--config-dir", "/tmp"], "--config-dir='/tmp'", "hydra.searchpath"),
    "another config name": (["--config-name", "other"], "--config-name='other'", "not supported"),
    "another config path": (["--config-path", "x"], "--config-path='x'", "not supported"),
    "hydra's rerun": (["--cfg", "job", "--experimental-rerun", "config.pickle"],
                      "--experimental-rerun='config.pickle'", "run the same command again"),
    "run and sweep": (["-r", *SWEEP], "--run='with --multirun'", "one of them"),
    "resolve without cfg": (["--resolve"], "--resolve='without --cfg'", "only with --cfg"),
    "bad cfg choice": (["--cfg", "everything"], "command line=", "invalid choice"),
    # groups and keys
    "unknown experiment": (["-m", "experiment=nope"], "experiment='nope'", "one of "),
    "unknown scenario": (["scenario=utopia"], "scenario='utopia'", "baseline"),
    "unknown org": (["org=huge"], "org='huge'", "small"),
    "unknown incentive": (["incentive=stock_options"], "incentive='stock_options'", "commission"),
    "unknown launcher": (["-m", "hydra/launcher=cloud"], "hydra/launcher='cloud'", "joblib"),
    "launcher outside the allowlist": (["-m", "hydra/launcher=ray_aws"],
                                       "hydra/launcher='ray_aws'", "ray_cluster"),
    "launchers swept": (["-m", "hydra/launcher=basic,joblib"], "hydra/launcher='basic,joblib'",
                        "cannot be swept"),
    "sweeper outside the allowlist": (["-m", "hydra/sweeper=optuna"], "hydra/sweeper='optuna'",
                                      "basic"),
    "unknown engine key": (["replicatons=5"], "replicatons=5", "replications"),
    "new top-level key": (["+replication=5"], "replication=5", "a known key"),
    "new model key": (["+model.org.reps=120"], "model.org.reps=120", "model.org.n_reps"),
    "model key typo": (["model.silo.levl=0.3"], "model.silo.levl=0.3", "model.silo.level"),
    "sweep over an unknown key": ([*SWEEP[:1], "model.silo.levl=0.1,0.2"], "model.silo.levl=",
                                  "model.silo.level"),
    "engine key deleted": (["~seed"], "seed='deleted'", "may not be deleted"),
    "scenario deleted": (["~scenario"], "scenario='deleted'", "may not be deleted"),
    "model deleted": (["~model"], "model='deleted'", "may not be deleted"),
    "group added again": (["+org=small"], "+org='small'", "org=small without +"),
    "group force-added": (["++org=small"], "command line=", "overrides Hydra can apply"),
    "group chosen as null": (["incentive=null"], "incentive=None", "~incentive leaves"),
    "design as a number": (["design=3"], "design=3", "a mapping"),
    "ablation as a list": (["ablation=[1]"], "ablation=", "a mapping"),
    "hydra setting deleted": (["~hydra.sweeper.params"], "hydra.sweeper.params='deleted'",
                              "Hydra settings silosim allows"),
    "unknown nested key": ([*DESIGN, "design.sampels=3"], "design.sampels=3", "design.samples"),
    # values
    "out-of-range value": (["model.org.n_reps=2"], "model.org.n_reps=2", "from 4 to 20000"),
    # the crashers of issue #19: each is now refused by the model's schema
    "no own conversion": (["model.selling.own_conversion=0"], "model.selling.own_conversion=0",
                          "a number from"),
    "roll-out deadline before the launch": (["model.horizon_weeks=156", "model.baseline_weeks=13",
                                             "model.labels.rollout_margin_weeks=150"],
                                            "model.labels.rollout_margin_weeks=150",
                                            "the roll-out deadline would fall before the launch"),
    "roll-out deadline at the horizon": (["model.labels.rollout_margin_weeks=0"],
                                         "model.labels.rollout_margin_weeks=0", "a number from"),
    "inverted adoption thresholds": (["model.attitude.threshold_enthusiast=0.2",
                                      "model.attitude.threshold_reluctant=0.6",
                                      "model.attitude.threshold_avoider=0.3"],
                                     "model.attitude.threshold_avoider=0.3",
                                     "at least attitude.threshold_reluctant = 0.6"),
    "recommendations start above their ceiling": (["model.selling.rec_quality_start=0.5",
                                                   "model.selling.rec_quality_ceiling=0.4"],
                                                  "model.selling.rec_quality_ceiling=0.4",
                                                  "at least selling.rec_quality_start = 0.5"),
    "horizon shorter than the waterfall build": (["delivery=waterfall",
                                                  "model.horizon_weeks=40",
                                                  "model.delivery.build_weeks=40"],
                                                 "model.delivery.build_weeks=40",
                                                 "the tool could never be released"),
    "out-of-range swept value": (["-m", "model.silo.level=0.5,1.5"], "model.silo.level=1.5",
                                 "from 0.0 to 1.0"),
    "wrong type": (["model.org.n_reps=many"], "model.org.n_reps='many'", "a whole number"),
    "unknown policy": (["model.lead_handoff.policy=telepathy"],
                       "model.lead_handoff.policy='telepathy'", "abc_scoring"),
    "policy swept in a grid": (["-m", "model.account_handoff.policy=single_role,random"],
                               "model.account_handoff.policy='random'", "single_role"),
    "no replications": (["replications=0"], "replications=0", "or auto"),
    "a billion replications": (["replications=1000000000"], "replications=1000000000",
                               "to 100000"),
    "replications as words": (["replications=many"], "replications='many'", "or auto"),
    "bad seeding": (["seeding=shared"], "seeding='shared'", "common, independent"),
    "bad precision": (["replications=auto", "precision=0.7"], "precision=0.7", "between 0"),
    "negative seed": (["seed=-1"], "seed=-1", "from 0 to 9223372036854775807"),
    "seed of 2^64": (["seed=18446744073709551616"], "seed=18446744073709551616",
                     "to 9223372036854775807"),
    "seeds mixed past 2^63": (["-m", "seed=1,9223372036854775808"], "seed=9223372036854775808",
                              "to 9223372036854775807"),
    "cap below a batch": (["replications=auto", "replications_batch=30", "replications_max=20"],
                          "replications_max=20", "at least replications_batch=30"),
    "report flag as a word": (["report=maybe"], "report='maybe'", "true or false"),
    "sweep without -m": (["model.silo.level=0.1,0.2"], "model.silo.level=", "add -m"),
    "shuffled sweep": (["-m", "model.silo.level=shuffle(0.1,0.2)"], "model.silo.level=",
                       "without shuffle"),
    "interval sweep": (["-m", "model.silo.level=interval(0,1)"], "model.silo.level=",
                       "a list or range"),
    "sweep too large to check": (["-m", "seed=range(0,100000)"], "sweep='100,000 jobs'",
                                 "at most 5,000 jobs"),
    "sweep of a trillion": (["-m", "seed=range(0,1000000000000)"], "sweep=", "at most 5,000"),
    "several experiments": (["-m", "experiment=org_size,levers_lhs"],
                            "experiment='org_size,levers_lhs'", "one experiment per sweep"),
    "design bounds out of range": ([*DESIGN, "design.factors.model.silo.level=[0,2]"],
                                   "design.factors.model.silo.level=[0, 2]", "<= 1.0"),
    "policy as a design factor": ([*DESIGN, "+design.factors.model.lead_handoff.policy=[0,1]"],
                                  "design.factors.model.lead_handoff.policy=",
                                  "a numeric parameter"),
    "sobol samples not a power of two": (["-m", "experiment=sensitivity_sobol",
                                          "design.samples=6"], "design.samples=6", "power of two"),
    "design too large": ([*DESIGN[:2], "design.samples=10000000"], "design.samples=10000000",
                         "at most 200,000 points"),
    "design block per job zero": ([*DESIGN, "design.per_job=0"], "design.per_job=0", ">= 1"),
    "adding a key that exists": (["+seed=3"], "+seed=3", "seed=3 without +"),
    "title as a list": (["title=[1,2]"], "title='[1, 2]'", "a text"),
    "title as a number": (["title=3"], "title=3", "quote it"),
    "question as a list": (["question=[1,2]"], "question='[1, 2]'", "a text"),
    "reference as a list": (["-m", "experiment=org_size", "reference=[1,2]"], "reference=",
                            "a text"),
    "scenario as a list": (["scenario=[1,2]"], "scenario=[1, 2]", "baseline"),
    "design seed past 2^63": ([*DESIGN, "design.seed=9223372036854775808"],
                              "design.seed=9223372036854775808", "to 9223372036854775807"),
    "negative design seed": ([*DESIGN, "design.seed=-1"], "design.seed=-1", "from 0 to"),
    "unknown reference": (["-m", "experiment=org_size", "reference=nirvana"],
                          "reference='nirvana'", "baseline"),
    "block without a design": (["block=1"], "block=1", "null unless the config has a design"),
    "design block out of range": (["experiment=levers_lhs", "hydra.mode=RUN", "block=99"],
                                  "block=99", "from 0 to 7"),
    # Hydra settings and instantiation
    "callback from the command line": (["+hydra.callbacks.x._target_=os.makedirs",
                                        "+hydra.callbacks.x.name={pwned}"],
                                       "hydra.callbacks.x._target_=", "Hydra settings"),
    "launcher target swapped": (["-m", "hydra/launcher=joblib", "hydra.launcher._target_=os.system"],
                                "hydra.launcher._target_='os.system'", "left as shipped"),
    "logging handler class": (["hydra.job_logging.handlers.file.class=os.system"],
                              "hydra.job_logging.handlers.file.class=", "Hydra settings"),
    "environment for jobs": (["+hydra.job.env_set.LD_PRELOAD=/tmp/x.so"],
                             "hydra.job.env_set.LD_PRELOAD=", "Hydra settings"),
    "hydra's own output dir": ([*SWEEP, "hydra.sweep.dir=/tmp/x"], "hydra.sweep.dir='/tmp/x'",
                               "out=DIR"),
    "hydra's run dir": (["hydra.run.dir=/tmp/x"], "hydra.run.dir='/tmp/x'", "out=DIR"),
    "joblib without workers": (["-m", "hydra/launcher=joblib", "hydra.launcher.n_jobs=0"],
                               "hydra.launcher.n_jobs=0", "or -1 for one per core"),
    "a million workers": (["-m", "hydra/launcher=joblib", "hydra.launcher.n_jobs=1000000"],
                          "hydra.launcher.n_jobs=1000000", "from 1 to 1024"),
    "workers as a word": (["-m", "hydra/launcher=joblib", "hydra.launcher.n_jobs=many"],
                          "hydra.launcher.n_jobs='many'", "from 1 to 1024"),
    "batches of no jobs": ([*SWEEP, "hydra.sweeper.max_batch_size=0"],
                           "hydra.sweeper.max_batch_size=0", "at least 1, or null"),
    "batches of minus one job": ([*SWEEP, "hydra.sweeper.max_batch_size=-1"],
                                 "hydra.sweeper.max_batch_size=-1", "at least 1, or null"),
    "batch size as a word": ([*SWEEP, "hydra.sweeper.max_batch_size=all"],
                             "hydra.sweeper.max_batch_size='all'", "at least 1, or null"),
    "unknown launcher option": (["hydra.launcher.foo=1"], "hydra.launcher.foo=1",
                                "basic has none"),
    "unknown joblib option": (["-m", "hydra/launcher=joblib", "hydra.launcher.foo=1"],
                              "hydra.launcher.foo=1", "hydra.launcher.n_jobs"),
    "launcher option added": (["-m", "hydra/launcher=submitit_local", "+hydra.launcher.foo=1"],
                              "hydra.launcher.foo=1", "hydra.launcher.timeout_min"),
    "launcher option added twice": (["-m", "hydra/launcher=joblib", "+hydra.launcher.n_jobs=2"],
                                    "hydra.launcher.n_jobs=2", "without + (the key exists)"),
    "unknown hydra mode": (["hydra.mode=XYZ"], "hydra.mode='XYZ'", "RUN or MULTIRUN"),
    "verbose loggers as numbers": (["hydra.verbose=[1,2]"], "hydra.verbose=[1, 2]",
                                   "a list of logger names"),
    "sweeper params on the command line": (["-m", "hydra.sweeper.params.seed=1"],
                                           "hydra.sweeper.params.seed=", "seed=A,B with -m"),
    "submitit without time": (["-m", "hydra/launcher=submitit_local",
                               "hydra.launcher.timeout_min=0"], "hydra.launcher.timeout_min=0",
                              "at least 1"),
    "submitit without memory": (["-m", "hydra/launcher=submitit_local", "hydra.launcher.mem_gb=0"],
                                "hydra.launcher.mem_gb=0", "above 0"),
    "search path as a package": (["hydra.searchpath=[pkg://os]"], "hydra.searchpath='pkg://os'",
                                 "file:///absolute/path"),
    "search path that is missing": (["hydra.searchpath=[file:///nonexistent/silosim]"],
                                    "hydra.searchpath=", "an existing config folder"),
    "callback in a config file": (["experiment=pwned", "hydra.searchpath=[file://{callback}]"],
                                  "hydra.callbacks.x._target_=", "nothing to instantiate"),
    "logging factory in a config file": (["experiment=pwned",
                                          "hydra.searchpath=[file://{factory}]"],
                                         "hydra.job_logging.handlers.evil.()=", "nothing to "),
    "launcher commands in a config file": (["-m", "hydra/launcher=slurm", "experiment=pwned",
                                            "hydra.searchpath=[file://{launcher}]"],
                                           "hydra.launcher=", "as shipped"),
    "target in a config file": (["experiment=pwned", "hydra.searchpath=[file://{target}]"],
                                "ablation._target_=", "nothing to instantiate"),
    "alias bomb on the search path": (["hydra.searchpath=[file://{bomb}]"], "config file=",
                                      "at most 100 aliases"),
    "huge config file": (["hydra.searchpath=[file://{big}]"], "config file=",
                         "at most 1,000,000 bytes"),
    "broken config file": (["hydra.searchpath=[file://{broken}]"], "config file=", "valid YAML"),
    "new key from a config file": (["experiment=extra", "hydra.searchpath=[file://{new_key}]"],
                                   "replication=5", "a known key"),
    # the output directory
    "empty out": (["out="], "out=''", "a directory path"),
    "out as a list": (["out=[a,b]"], "out=", "a directory path"),
}


def folders(root: Path, pwned: Path) -> dict[str, str]:
    """Write every search-path folder of ``FOLDERS`` under ``root``; their paths by name."""
    paths = {}
    for name, files in FOLDERS.items():
        for relative, content in files.items():
            path = root / name / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content.replace("{pwned}", str(pwned)))
        paths[name] = str(root / name)
    return paths


@pytest.mark.parametrize(("argv", "named", "allowed"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_refused_in_one_line_with_no_side_effect(argv, named, allowed, tmp_path,
                                                              capsys, monkeypatch):
    pwned, workdir = tmp_path / "PWNED", tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    paths = folders(tmp_path / "search", pwned)
    argv = [arg.format(pwned=pwned, **paths) for arg in argv]
    has_out = any(arg.startswith("out=") for arg in argv)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as caught:
        main([*argv] if has_out else [*argv, f"out={out}"])
    assert caught.value.code == 2
    captured = capsys.readouterr()
    err = captured.err
    assert err.count("\n") == 1 and err.startswith("silosim: error: "), err
    assert named in err and allowed in err and "is not allowed" in err, err
    assert "Traceback" not in err + captured.out
    assert not out.exists() and not pwned.exists()
    assert list(workdir.iterdir()) == []


def test_the_table_is_adversarial_enough():
    assert len(BAD_INPUT) > 90  # docs/reliability.md: "more than 90 cases"


def test_every_bad_point_of_a_sweep_gets_its_own_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["-m", "model.silo.level=0.5,1.5,2.5", "model.org.n_reps=8,2", f"out={tmp_path / 'o'}"])
    assert caught.value.code == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3 and all(ln.startswith("silosim: error: ") for ln in lines)
    assert {"model.silo.level=1.5", "model.silo.level=2.5", "model.org.n_reps=2"} == {
        ln.split(" is not allowed")[0].removeprefix("silosim: error: ") for ln in lines}


@pytest.mark.parametrize("make_unwritable", ["under_a_file", "in_proc", "a_file"])
def test_an_output_directory_that_cannot_be_written_is_refused(make_unwritable, tmp_path,
                                                               capsys):
    (tmp_path / "file").write_text("")
    out = {"under_a_file": tmp_path / "file" / "results", "in_proc": Path("/proc/silosim-results"),
           "a_file": tmp_path / "file"}[make_unwritable]
    with pytest.raises(SystemExit) as caught:
        main(["-m", "model.silo.level=0.1,0.2", f"out={out}"])
    err = capsys.readouterr().err
    assert caught.value.code == 2 and err.count("\n") == 1
    assert f"out='{out}' is not allowed: a" in err
    assert "writable directory" in err or "this is a file" in err


@pytest.mark.parametrize("argv", [
    ["-m", "model.silo.level=0.2,7"],
    ["+hydra.callbacks.x._target_=os.makedirs", "+hydra.callbacks.x.name=PWNED"],
    ["--frobnicate"],
])
def test_the_installed_command_prints_one_line_and_no_traceback(argv, tmp_path):
    result = subprocess.run([str(Path(sys.executable).parent / "silosim"), *argv,
                             f"out={tmp_path / 'out'}"], capture_output=True, text=True,
                            timeout=120, check=False, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("silosim: error: ")
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_help_and_config_views_pass_through_hydra_after_the_same_checks(tmp_path, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--cfg", "job", "+hydra.callbacks.x._target_=os.makedirs"])
    assert caught.value.code == 2
    main(["--cfg", "job", "scenario=five_actions"])
    shown = capsys.readouterr().out
    assert "title: Five key actions" in shown and "name: boundary_spanner" in shown
