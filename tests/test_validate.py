"""`silosim-validate` runs the calibration patterns and the levers' directions, one line each
(CI smoke size: the verdicts need the full size, the machinery is what is tested here)."""

import re

import pytest

from experiments.directions import DIRECTIONS, HIGHER, Direction, Variant
from experiments.validate import CALIBRATION, main


def verdicts(out: str) -> list[str]:
    return [line for line in out.strip().splitlines() if re.match(r"^(PASS|FAIL)  ", line)]


def test_validate_prints_one_verdict_line_per_calibration_pattern(capsys):
    main(["--replications", "3", "--kind", "calibration"])
    out = capsys.readouterr().out
    lines = verdicts(out)
    assert len(lines) == len(CALIBRATION)
    assert any("+40" in line and line.startswith("PASS") for line in lines)
    assert out.strip().splitlines()[-1].endswith(f"of {len(CALIBRATION)} checks pass")
    assert "3 paired replications per variant, base seed 0" in out


def test_validate_runs_the_chosen_directions_with_their_intervals(capsys, tmp_path):
    table = tmp_path / "calibration.md"
    main(["--replications", "3", "--kind", "directions", "--lever", "mandate",
          "--markdown", str(table)])
    lines = verdicts(capsys.readouterr().out)
    chosen = [d for d in DIRECTIONS if "mandate" in d.lever]
    assert len(lines) == len(chosen) >= 2
    assert all(re.search(r"\[[-+][^\]]*\] \(n=3\)", line) for line in lines)
    assert table.read_text().count("\n| ") >= len(chosen)


def test_a_direction_passes_only_when_its_interval_clears_zero():
    direction = Direction("test", "source", Variant("a"), Variant("b"), "x", HIGHER)
    up = direction.verdict([{"x": 2.0 + i % 2} for i in range(10)], [{"x": 1.0}] * 10)
    flat = direction.verdict([{"x": 1.0 + (i % 2 - 0.5)} for i in range(10)], [{"x": 1.0}] * 10)
    assert up.passed and up.low > 0
    assert not flat.passed


def test_validate_refuses_too_few_replications(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--replications", "1"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1
