"""`silosim-validate` runs every calibration pattern and prints one line per check (CI smoke size)."""

import re

import pytest

from experiments.validate import CHECKS, main


def test_validate_prints_one_verdict_line_per_pattern(capsys):
    main(["--replications", "3"])
    lines = capsys.readouterr().out.strip().splitlines()
    verdicts = [line for line in lines if re.match(r"^(PASS|FAIL)  ", line)]
    assert len(verdicts) == len(CHECKS)
    assert any("+40" in line and line.startswith("PASS") for line in verdicts)
    assert lines[-1].endswith(f"of {len(CHECKS)} checks pass")


def test_validate_refuses_too_few_replications(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--replications", "1"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1
